import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanBlock, PlanItem, PlanTask } from '../../../runner/types.js';
import { loadProject } from '../../../runner/load/project.js';
import { loadInventoryFile } from '../../../runner/load/inventory.js';
import type { LoadedProject } from '../../../runner/load/types.js';
import { compilePlan } from '../../../runner/compile/compile.js';
import type { CompileOptions } from '../../../runner/compile/types.js';
import { fakeDeps, fakeInventory, fakeModules } from '../load/fakes.js';

const DIR = 'spec/fixtures/load/valid-site';

function ids(items: PlanItem[]): string[] {
  return items.flatMap((i) => (i.kind === 'task' ? [i.id] : [i.id, ...ids([...i.block, ...i.rescue, ...i.always])]));
}

describe('compilePlan (valid-site fixture)', () => {
  let project: LoadedProject;
  let compile: (o?: Partial<CompileOptions>) => ReturnType<typeof compilePlan>;
  before(async () => {
    project = await loadProject(`${DIR}/site.yml`, { modules: fakeModules });
    const inv = fakeInventory(await loadInventoryFile(`${DIR}/inventory.yml`));
    compile = (o = {}) => compilePlan(project, inv, { extraVars: {}, ...o }, fakeDeps);
  });
  const plan = (o: Partial<CompileOptions> = {}) => {
    const r = compile(o);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    return r.plan;
  };

  it('gives stable ids: role or file, then name (module when unnamed), #n for repeats', () => {
    const play = plan().plays[1]!;
    expect(ids(play.tasks)).to.deep.equal([
      'site.yml/hello', 'base/base task', 'common/packages', 'web/config', 'web/files', 'web/set', 'web/use',
      'site.yml/hello#2', 'tasks/extra.yml/extra thing', 'site.yml/block', 'site.yml/command', 'site.yml/debug#2', 'site.yml/debug#3',
    ]);
    expect(play.handlers.map((h) => h.id)).to.deep.equal(['web/reload web', 'site.yml/restart web']);
    expect(play.handlers[1]!.listen).to.deep.equal(['web changed']);
  });

  it('never gives two tasks of one playbook the same id, even across plays (each has its own state record)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'play-ids-'));
    const task = '    - name: same\n      debug: {msg: hi}\n';
    writeFileSync(join(dir, 'pb.yml'), `- hosts: web\n  tasks:\n${task}- hosts: web\n  tasks:\n${task}`);
    const two = await loadProject(join(dir, 'pb.yml'), { modules: fakeModules });
    const r = compilePlan(two, fakeInventory(await loadInventoryFile(`${DIR}/inventory.yml`)), { extraVars: {} }, fakeDeps);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    expect(r.plan.plays.map((p) => ids(p.tasks)[0]!.replace(/^.*\//, ''))).to.deep.equal(['same', 'same#2']);
  });

  it('orders roles dependencies first and merges defaults, vars and params in role order', () => {
    const play = plan().plays[1]!;
    expect(play.roles).to.deep.equal(['base', 'common', 'web']);
    expect(play.roleDefaults).to.include({ base_x: 1, common_pkg: 'curl', web_port: 80, web_root: '/srv' });
    expect(play.roleVars).to.deep.equal({ web_user: 'www', web_port: 8080 });
    expect(play.vars).to.deep.equal({ greeting: 'hi-from-file', port: 80, shared: 1 });
    expect(play.become).to.equal(true);
    expect(play.hosts).to.deep.equal(['web1', 'web2']);
  });

  it('inherits play, role and import tags and import conditions; normalizes args and conditions', () => {
    const tasks = plan().plays[1]!.tasks;
    const byId = (id: string) => tasks.find((t) => t.id === id) as PlanTask;
    expect(byId('web/config').tags).to.deep.equal(['base', 'webtag']);
    expect(byId('web/config').notify).to.deep.equal(['web changed']);
    expect(byId('tasks/extra.yml/extra thing').role).to.equal(undefined);
    expect(byId('tasks/extra.yml/extra thing').tags).to.deep.equal(['base', 'extra']);
    expect(byId('tasks/extra.yml/extra thing').when).to.deep.equal(["greeting == 'hello'"]);
    expect(byId('base/base task').args).to.deep.equal({ cmd: 'true' });
    const fresh = plan().plays[2]!.tasks[0] as PlanTask;
    expect(fresh.loop).to.deep.equal([1, 2]);
    expect(fresh.changedWhen).to.deep.equal(['false']);
  });

  it('keeps a play whose group is created by add_host in an earlier play, with no hosts yet', () => {
    const p = plan().plays[2]!;
    expect(p.pattern).to.equal('fresh');
    expect(p.hosts).to.deep.equal([]);
  });

  it('drops never-tagged tasks by default and keeps block tags on children', () => {
    const block = plan().plays[1]!.tasks.find((t) => t.kind === 'block') as PlanBlock;
    expect(block.block.map((t) => t.id)).to.deep.equal(['site.yml/command']);
    expect(block.always[0]!.tags).to.deep.equal(['base', 'blk', 'always']);
  });

  it('--tags keeps matching tasks and always-tagged ones; never runs when asked', () => {
    expect(ids(plan({ tags: ['extra'] }).plays[1]!.tasks)).to.deep.equal(['tasks/extra.yml/extra thing', 'site.yml/block', 'site.yml/debug#3']);
    expect(ids(plan({ tags: ['debug'] }).plays[1]!.tasks)).to.deep.equal(['site.yml/block', 'site.yml/debug', 'site.yml/debug#3']);
  });

  it('--skip-tags removes tasks, including always when named', () => {
    const left = ids(plan({ skipTags: ['webtag', 'always'] }).plays[1]!.tasks);
    expect(left.filter((i) => i.startsWith('web/'))).to.deep.equal([]);
    expect(left).to.not.include('site.yml/debug#3');
    expect(left).to.include('site.yml/hello');
  });

  it('--role keeps only that role’s tasks and handlers, and only plays using it', () => {
    const p = plan({ role: 'web' });
    expect(p.plays.map((x) => x.name)).to.deep.equal(['base']);
    expect(ids(p.plays[0]!.tasks)).to.deep.equal(['web/config', 'web/files', 'web/set', 'web/use']);
    expect(p.plays[0]!.handlers.map((h) => h.id)).to.deep.equal(['web/reload web']);
  });

  it('--limit narrows the hosts in inventory order', () => {
    expect(plan({ limit: 'web2' }).plays[1]!.hosts).to.deep.equal(['web2']);
  });

  it('checks role variable schemas against extra vars, which win over everything', () => {
    const r = compile({ extraVars: { web_port: 'x' } });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => d.message)).to.deep.equal([
      "expected an integer for web_port, got string \"x\" (role 'web' on host 'web1')",
      "expected an integer for web_port, got string \"x\" (role 'web' on host 'web2')",
    ]);
    expect(compile({ extraVars: { web_port: '{{ other }}' } }).ok).to.equal(true);
  });

  it('records role dirs and the files read, for fingerprints', () => {
    expect(project.plays[1]!.roles.map((r) => r.name)).to.deep.equal(['base', 'common', 'web']);
    expect(project.roles.get('web')!.dir).to.match(/valid-site\/roles\/web$/);
    expect(project.roles.get('web')!.files.some((f) => f.endsWith('site.conf.hbs'))).to.equal(true);
  });
});
