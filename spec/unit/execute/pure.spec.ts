import { expect } from 'chai';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addHostToInventory } from '../../../runner/execute/add-host.js';
import { exitCodeFor, EXIT } from '../../../runner/exit-codes.js';
import { factsToVars, parseFacts } from '../../../runner/execute/facts.js';
import { becomeCommand, becomePutScript, envFileText, SUDO_PROMPT, withEnvFile, wrapConnection } from '../../../runner/execute/wrap.js';
import { askConnectionSecrets } from '../../../runner/connection/prompt.js';
import { newTally } from '../../../runner/execute/context.js';
import type { Connection } from '../../../runner/connection/types.js';
import { recapLines } from '../../../runner/report/format.js';
import { Redactor, MASK } from '../../../runner/secrets/redact.js';
import { resolveVars } from '../../../runner/vars/resolve.js';
import type { Inventory } from '../../../runner/types.js';

const RECORDED_FACTS = 'os_id=debian\nos_version=12\nos_like=\nos_codename=bookworm\nhostname=h1\narchitecture=x86_64\ninit_system=sysv\npython=/usr/bin/python3\nmachine_id=0123abcd\nuser_id=root\n';

describe('facts', () => {
  it('parses the one-exec facts script output', () => {
    const f = parseFacts(RECORDED_FACTS);
    expect(f).to.deep.include({ os_id: 'debian', os_family: 'Debian', init_system: 'sysv', machine_id: '0123abcd', hostname: 'h1', python: '/usr/bin/python3' });
    const v = factsToVars(f);
    expect(v.ansible_os_family).to.equal('Debian');
    expect((v.ansible_facts as Record<string, unknown>).init_system).to.equal('sysv');
  });
  it('derives the family from ID_LIKE for derivatives', () => {
    expect(parseFacts('os_id=pop\nos_like=ubuntu debian\n').os_family).to.equal('Debian');
  });
});

describe('become and environment wrapping', () => {
  it('builds a sudo -n command that survives quoting', () => {
    const cmd = becomeCommand(`echo "it's $HOME"`, 'nobody');
    expect(cmd).to.equal(`sudo -n -H -u nobody -- sh -c 'echo "it'\\''s $HOME"'`);
    expect(envFileText({ A: "x'y" })).to.equal(`export A='x'\\''y'\n`);
    const file = join(mkdtempSync(join(tmpdir(), 'play-env-')), 'env');
    writeFileSync(file, envFileText({ A: "x'$(y)`z`" }), { mode: 0o600 });
    expect(execSync(withEnvFile('printf %s "$A"', file), { shell: '/bin/sh' }).toString()).to.equal("x'$(y)`z`");
    expect(existsSync(file), 'the env file is gone before the command runs').to.equal(false);
  });
  it('fails at once with a clear message when sudo wants a password', async () => {
    const fake: Connection = {
      host: 'h1', execCount: 0,
      exec: async () => ({ code: 1, stdout: '', stderr: 'sudo: a password is required\n' }),
      put: async () => undefined, close: async () => undefined,
    };
    const wrapped = wrapConnection(fake, { become: { loginUser: 'deploy', becomeUser: 'root' } });
    const r = await wrapped.exec('true');
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/wants a password for root .*give it with -K or ansible_become_password/);
  });
  it('sends the become password on stdin to sudo -S, never in the command, and strips its prompt', async () => {
    const seen: { cmd: string; stdin?: string }[] = [];
    const fake: Connection = {
      host: 'h1', execCount: 0,
      exec: async (cmd, o) => {
        seen.push({ cmd, stdin: o?.stdin === undefined ? undefined : String(o.stdin) });
        if (cmd.startsWith('sudo -n')) return { code: 1, stdout: '', stderr: 'sudo: a password is required\n' };
        return { code: 0, stdout: 'ok\n', stderr: SUDO_PROMPT };
      },
      put: async () => undefined, close: async () => undefined,
    };
    const wrapped = wrapConnection(fake, { become: { loginUser: 'deploy', becomeUser: 'root', password: 'pw-s3cret' } });
    expect(await wrapped.exec('cat', { stdin: 'data' })).to.deep.equal({ code: 0, stdout: 'ok\n', stderr: '' });
    await wrapped.exec('true');
    expect(seen.map((s) => s.cmd.slice(0, 9))).to.deep.equal(['sudo -n -', 'sudo -S -', 'sudo -S -'], 'probed once, then -S');
    expect(seen.every((s) => !s.cmd.includes('pw-s3cret'))).to.equal(true);
    expect(seen[1]!.stdin).to.equal('pw-s3cret\ndata');
    expect(seen[1]!.cmd).to.include(`-S -k -p '${SUDO_PROMPT}'`);
  });
  it('keeps sudo -n where sudo needs no password, and says so when the password is wrong', async () => {
    const nopasswd: Connection = {
      host: 'h1', execCount: 0, exec: async (cmd) => ({ code: 0, stdout: cmd, stderr: '' }),
      put: async () => undefined, close: async () => undefined,
    };
    const r = await wrapConnection(nopasswd, { become: { loginUser: 'a', becomeUser: 'root', password: 'pw-s3cret' } }).exec('id');
    expect(r.stdout).to.match(/^sudo -n /);
    const wrong: Connection = {
      host: 'h1', execCount: 0,
      exec: async (cmd) => (cmd.startsWith('sudo -n') ? { code: 1, stdout: '', stderr: '' } : { code: 1, stdout: '', stderr: `${SUDO_PROMPT}Sorry, try again.\n${SUDO_PROMPT}sudo: 1 incorrect password attempt\n` }),
      put: async () => undefined, close: async () => undefined,
    };
    const w = await wrapConnection(wrong, { become: { loginUser: 'a', becomeUser: 'root', password: 'pw-s3cret' } }).exec('id');
    expect(w.stderr).to.match(/^become failed: sudo on h1 did not accept the become password for root/);
    expect(w.stderr).to.not.include(SUDO_PROMPT);
  });
  it('moves a become upload into place like a write by the become user', () => {
    const dir = mkdtempSync(join(tmpdir(), 'play-bput-'));
    const me = execSync('id -un').toString().trim();
    writeFileSync(join(dir, 'up'), 'new');
    execSync(becomePutScript(join(dir, 'up'), join(dir, 'fresh'), me), { shell: '/bin/sh' });
    expect(execSync(`stat -c '%a %U' ${join(dir, 'fresh')}`).toString()).to.equal(`644 ${me}\n`);
    writeFileSync(join(dir, 'old'), 'old', { mode: 0o640 });
    writeFileSync(join(dir, 'up'), 'new', { mode: 0o600 });
    execSync(becomePutScript(join(dir, 'up'), join(dir, 'old'), me), { shell: '/bin/sh' });
    expect(execSync(`stat -c %a ${join(dir, 'old')}; cat ${join(dir, 'old')}`).toString()).to.equal('640\nnew');
    writeFileSync(join(dir, 'up'), 'x');
    execSync(becomePutScript(join(dir, 'up'), join(dir, 'old'), me, 0o600), { shell: '/bin/sh' });
    expect(execSync(`stat -c %a ${join(dir, 'old')}`).toString()).to.equal('600\n');
  });
  it('asks -k and -K once each and registers the answers as secrets', async () => {
    const asked: string[] = [];
    const r = new Redactor();
    const s = await askConnectionSecrets({ askPass: true, askBecomePass: true }, r, async (q) => { asked.push(q); return q.startsWith('SSH') ? 'ssh-pw-1' : ''; });
    expect(asked).to.deep.equal(['SSH password: ', 'BECOME password[defaults to SSH password]: ']);
    expect(s).to.deep.equal({ password: 'ssh-pw-1', becomePassword: 'ssh-pw-1' });
    expect(r.redact('x ssh-pw-1')).to.equal(`x ${MASK}`);
    expect(await askConnectionSecrets({}, r, async () => { throw new Error('never asked'); })).to.deep.equal({});
  });
  it('passes through when the login user is already the become user', () => {
    const fake = { host: 'h', execCount: 0 } as unknown as Connection;
    expect(wrapConnection(fake, { become: { loginUser: 'root', becomeUser: 'root' } })).to.equal(fake);
  });
});

describe('redaction', () => {
  it('masks secrets in text and in JSON, escaped or not', () => {
    const r = new Redactor();
    r.add('s3cr"et\nvalue');
    r.add('abc'); // too short to mask safely: ignored
    expect(r.redact('x s3cr"et\nvalue y')).to.equal(`x ${MASK} y`);
    const v = r.redactValue({ msg: 'got s3cr"et\nvalue', nested: ['s3cr"et\nvalue'] });
    expect(JSON.stringify(v)).to.not.include('s3cr');
    expect(r.redact('abc')).to.equal('abc');
  });
});

describe('recap and exit codes', () => {
  it('exit code follows the worst host', () => {
    const ok = newTally();
    expect(exitCodeFor({ a: ok }, false)).to.equal(EXIT.ok);
    expect(exitCodeFor({ a: ok, b: { ...ok, unreachable: 1 } }, false)).to.equal(EXIT.hostUnreachable);
    expect(exitCodeFor({ a: { ...ok, failed: 1 }, b: { ...ok, unreachable: 1 } }, false)).to.equal(EXIT.hostFailed);
    expect(exitCodeFor({ a: ok }, true)).to.equal(EXIT.interrupted);
  });
  it('prints one aligned line per host', () => {
    const lines = recapLines({ web1: { ...newTally(), ok: 3, changed: 2, ms: 1500 }, db: newTally() });
    expect(lines[0]).to.match(/^web1 : ok=3\s+changed=2\s+skipped=0\s+done-before=0\s+failed=0\s+unreachable=0\s+rescued=0\s+ignored=0\s+time=1\.5s$/);
    expect(lines[1]!.indexOf(':')).to.equal(lines[0]!.indexOf(':'));
  });
});

describe('add_host', () => {
  it('adds a host to groups for the following plays', () => {
    const inv: Inventory = { file: 'x', hosts: new Map(), groups: new Map([['all', { name: 'all', hosts: [], children: [], vars: {} }]]) };
    addHostToInventory(inv, { name: 'vm1', groups: ['vagrant'], vars: { ansible_port: 2222 } });
    expect(inv.hosts.get('vm1')!.groups).to.deep.equal(['all', 'vagrant']);
    expect(inv.groups.get('vagrant')!.hosts).to.deep.equal(['vm1']);
    expect(inv.groups.get('all')!.children).to.include('vagrant');
  });
});

describe('resolveVars', () => {
  it('resolves variables that refer to other variables, keeping types', () => {
    const v = resolveVars({ base: 'http://x', url: '{{base}}/p', list: [1, 2], same: '{{list}}', deep: { u: '{{url}}' } }, 'test');
    expect(v).to.deep.include({ url: 'http://x/p', same: [1, 2], deep: { u: 'http://x/p' } });
  });
  it('leaves out a value whose reference is undefined (a task that uses it fails with the reason)', () => {
    const v = resolveVars({ a: '{{nope}}' }, 'test');
    expect(v.a).to.equal(undefined);
    expect(Object.keys(v)).to.deep.equal([]);
  });
});
