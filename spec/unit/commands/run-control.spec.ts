import { expect } from 'chai';
import { fnmatch, listTags, startAtTask } from '../../../runner/commands/run-control.js';
import type { Plan, PlanItem, PlanPlay, PlanTask } from '../../../runner/types.js';

const src = { file: 'site.yml', line: 1, col: 1 };
const task = (name: string, extra: Partial<PlanTask> = {}): PlanTask =>
  ({ kind: 'task', id: name, name, src, baseDir: '.', when: [], tags: [], noLog: false, module: 'command', args: 'true', notify: [], ...extra }) as PlanTask;
const play = (name: string, tasks: PlanItem[]): PlanPlay =>
  ({ name, src, pattern: 'all', hosts: ['h'], vars: {}, roleDefaults: {}, roleVars: {}, gatherFacts: false, tasks, handlers: [task('restart')], roles: [] }) as PlanPlay;
const plan = (plays: PlanPlay[]): Plan => ({ playbook: 'site.yml', plays, inventory: { file: 'i', hosts: new Map(), groups: new Map() }, extraVars: {} });
const names = (items: readonly PlanItem[]): string[] => items.flatMap((i) => (i.kind === 'task' ? [i.name] : [`block(${names(i.block).join(',')}|${names(i.always).join(',')})`]));

describe('--start-at-task', () => {
  const p = plan([
    play('one', [task('install'), task('configure')]),
    play('two', [task('a'), { kind: 'block', id: 'b', name: 'b', src, baseDir: '.', when: [], tags: [], noLog: false, block: [task('b1'), task('b2')], rescue: [], always: [task('cleanup')] } as unknown as PlanItem, task('c')]),
  ]);

  it('drops every task before the first match, across plays; earlier plays keep their handlers', () => {
    const r = startAtTask(p, 'b2');
    if (!r.ok) throw new Error(r.message);
    expect(r.plan.plays.map((x) => names(x.tasks))).to.deep.equal([[], ['block(b2|cleanup)', 'c']]);
    expect(r.plan.plays[0]!.handlers.map((h) => h.name)).to.deep.equal(['restart']);
  });

  it('matches the name, `role : name`, or an fnmatch pattern', () => {
    const withRole = plan([play('p', [task('x'), task('install pkgs', { role: 'nginx' }), task('y')])]);
    for (const pat of ['install pkgs', 'nginx : install pkgs', 'install*', 'nginx : inst?ll*']) {
      const r = startAtTask(withRole, pat);
      expect(r.ok && names(r.plan.plays[0]!.tasks), pat).to.deep.equal(['install pkgs', 'y']);
    }
  });

  it('says so when no task matches', () => {
    expect(startAtTask(p, 'nope')).to.deep.equal({ ok: false, message: "--start-at-task: no task matches 'nope'" });
  });

  it('fnmatch: *, ?, [seq], [!seq], and regex characters stay literal', () => {
    expect(fnmatch('web (1).conf', 'web (?).*')).to.equal(true);
    expect(fnmatch('a1', 'a[0-9]')).to.equal(true);
    expect(fnmatch('ab', 'a[!b]')).to.equal(false);
    expect(fnmatch('a.b', 'a?b')).to.equal(true);
    expect(fnmatch('axb', 'a.b')).to.equal(false);
  });
});

describe('--list-tags', () => {
  it('prints each play with the union of its tasks\' tags, as ansible-playbook does', () => {
    const p = plan([play('web', [task('a', { tags: ['pkg', 'web'] }), task('b', { tags: ['conf'] })])]);
    expect(listTags(p)).to.deep.equal(['playbook: site.yml', '', '  play #1 (all): web', '      TASK TAGS: [conf, pkg, web]', '']);
  });
});
