// Real round trips in a temp dir: probe -> change -> apply -> probe -> noop. Each probe is one exec.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { Decision, ModuleDef, ProbeContext } from '../../../runner/modules/types.js';
import { builtinModules } from '../../../runner/modules/builtin.js';
import { copyModule } from '../../../runner/modules/copy.js';
import { templateModule } from '../../../runner/modules/template.js';
import { fileModule } from '../../../runner/modules/file.js';
import { lineinfileModule } from '../../../runner/modules/lineinfile.js';
import { commandModule } from '../../../runner/modules/command.js';
import { shellModule } from '../../../runner/modules/shell.js';
import { statModule } from '../../../runner/modules/stat.js';
import { applySteps } from '../../../runner/execute/apply.js';
import { localConn } from './local-conn.js';
import { dctx } from './helpers.js';

let dir = '';
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'play-mod-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One probe (asserting it used exactly one exec) and a decision. */
async function step<A>(m: ModuleDef<A>, args: A, diff = false): Promise<Decision> {
  const conn = localConn();
  const ctx: ProbeContext = { conn, host: 'local', vars: {}, diff };
  const probe = await m.probe(args, ctx);
  expect(conn.execCount, `${m.name} probe execs`).to.equal(1);
  return m.decide(args, probe, dctx({ diff }));
}

/** change, apply, then noop; returns the noop reason. */
async function converge<A>(m: ModuleDef<A>, args: A): Promise<string> {
  const first = await step(m, args, true);
  expect(first.kind, JSON.stringify(first)).to.equal('change');
  if (first.kind === 'change') {
    const applied = await applySteps(localConn(), first.steps, { timeoutMs: 30_000 });
    expect(applied.ok, JSON.stringify(applied)).to.equal(true);
  }
  const second = await step(m, args);
  expect(second.kind, JSON.stringify(second)).to.equal('noop');
  return second.kind === 'noop' ? second.reason : '';
}

const modeOf = (p: string): number => statSync(p).mode & 0o7777;

describe('modules applied locally', () => {
  it('copy: creates with mode, then noop; then updates content keeping mode', async () => {
    const dest = join(dir, "my app's.conf");
    expect(await converge(copyModule, { dest, content: 'a=1\n', mode: 'u=rw,g=r,o=' })).to.match(/already has the same content \(sha256 [0-9a-f]{12}…\) and mode 0640/);
    expect(readFileSync(dest, 'utf8')).to.equal('a=1\n');
    expect(modeOf(dest)).to.equal(0o640);
    expect(await converge(copyModule, { dest, content: 'a=2\n' })).to.match(/mode 0640/);
    expect(readFileSync(dest, 'utf8')).to.equal('a=2\n');
    expect(modeOf(dest)).to.equal(0o640);
  });
  it('copy: src into a directory via prepare()', async () => {
    const env = { vars: {}, readControllerFile: async () => Buffer.from('bin\0ary'), renderTemplate: (t: string) => t };
    const args = await copyModule.prepare!({ src: 'files/agent.bin', dest: `${dir}/` }, env);
    await converge(copyModule, args);
    expect(readFileSync(join(dir, 'agent.bin'))).to.deep.equal(Buffer.from('bin\0ary'));
  });
  it('template: rendered through a fake env, then noop', async () => {
    const env = { vars: { port: 5050 }, readControllerFile: async () => Buffer.from('port: {{port}}\n'), renderTemplate: (t: string) => t.replace('{{port}}', '5050') };
    const args = await templateModule.prepare!({ src: 'conf.yaml.hbs', dest: join(dir, 'conf.yaml'), mode: '0600' }, env);
    expect(await converge(templateModule, args)).to.match(/mode 0600/);
    expect(readFileSync(join(dir, 'conf.yaml'), 'utf8')).to.equal('port: 5050\n');
  });
  it('file: directory, mode change, link, absent', async () => {
    const d = join(dir, 'conf.d');
    expect(await converge(fileModule, { path: d, state: 'directory', mode: '0750' })).to.equal(`${d} is already a directory with mode 0750, owner root, group root`);
    expect(await converge(fileModule, { path: d, state: 'directory', mode: '0755', recurse: true })).to.match(/everything below matches/);
    writeFileSync(join(d, 'x'), 'x');
    expect(await converge(fileModule, { path: d, state: 'directory', mode: '0700', recurse: true })).to.match(/0700/);
    expect(modeOf(join(d, 'x'))).to.equal(0o700);
    expect(await converge(fileModule, { path: join(dir, 'current'), state: 'link', src: 'conf.d' })).to.match(/already a link to conf.d/);
    expect(readlinkSync(join(dir, 'current'))).to.equal('conf.d');
    expect(await converge(fileModule, { path: d, state: 'absent' })).to.match(/already absent/);
    expect(existsSync(d)).to.equal(false);
  });
  it('lineinfile: create, replace last match, insertafter', async () => {
    const p = join(dir, 'sshd_config');
    expect(await converge(lineinfileModule, { path: p, line: 'Port 22', create: true, mode: '0644' })).to.match(/already has the line "Port 22"/);
    writeFileSync(p, 'PermitRootLogin yes\n#PermitRootLogin maybe\n# end\n');
    await converge(lineinfileModule, { path: p, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' });
    await converge(lineinfileModule, { path: p, line: 'UseDNS no', insertafter: '^PermitRootLogin' });
    expect(readFileSync(p, 'utf8')).to.equal('PermitRootLogin yes\nPermitRootLogin no\nUseDNS no\n# end\n');
    expect(modeOf(p)).to.equal(0o644);
  });
  it('command with creates: runs once, then noop; argv is not shell-interpreted', async () => {
    const marker = join(dir, 'done marker');
    const args = { argv: ['touch', marker], creates: marker };
    expect(await converge(commandModule, args)).to.equal(`Did not run command since '${marker}' exists`);
    const d = await step(commandModule, { cmd: 'echo $HOME', chdir: dir });
    const res = d.kind === 'change' ? await applySteps(localConn(), d.steps, { timeoutMs: 30_000 }) : undefined;
    expect(res?.ok && res.result.stdout).to.equal('$HOME');
  });
  it('shell with stdin and chdir returns its output through the exec step', async () => {
    const d = await step(shellModule, { cmd: 'cat > in.txt && pwd', chdir: dir, stdin: 'secret' });
    expect(d.kind === 'change' && d.steps.map((s) => (s.kind === 'exec' ? s.cmd : '')).join()).not.to.contain('secret');
    const res = d.kind === 'change' ? await applySteps(localConn(), d.steps, { timeoutMs: 30_000 }) : undefined;
    expect(res?.ok && res.result.stdout).to.equal(dir);
    expect(readFileSync(join(dir, 'in.txt'), 'utf8')).to.equal('secret\n');
  });
  it('stat probes in one exec and never changes anything', async () => {
    writeFileSync(join(dir, 'f'), 'abc');
    const d = await step(statModule, { path: join(dir, 'f'), checksum_algorithm: 'sha256' });
    expect(d.kind === 'noop' && (d.result!.stat as Record<string, unknown>).checksum).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('module schemas', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  it('every schema compiles and is closed (set_fact and add_host, whose extra keys are variables, aside)', () => {
    for (const m of builtinModules) {
      ajv.compile(m.schema);
      if (m.name !== 'set_fact' && m.name !== 'add_host') expect(m.schema.additionalProperties, m.name).to.equal(false);
    }
  });
  it('accepts Ansible argument names and rejects unknown ones', () => {
    const v = ajv.compile(copyModule.schema);
    expect(v({ dest: '/x', content: 'a', mode: '0640', owner: 'root' })).to.equal(true);
    expect(v({ dest: '/x', remote_src: true, directory_mode: '0755' })).to.equal(true);
    expect(v({ dest: '/x', remote: true })).to.equal(false);
    const li = ajv.compile(lineinfileModule.schema);
    expect(li({ path: '/x', line: 'a', insertafter: 'EOF', insertbefore: 'BOF' })).to.equal(false);
  });
});
