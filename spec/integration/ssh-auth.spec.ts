// SSH as OpenSSH users expect it, on real test hosts: ssh_config aliases, ProxyJump chains, the agent,
// encrypted keys on a pseudo-terminal, password login, and become with a password that never shows.
import { expect } from 'chai';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { openSsh } from '../../runner/connection/ssh.js';
import { lookUp, readSshConfig } from '../../runner/connection/ssh-config.js';
import { connectionSpec } from '../../runner/inventory/select.js';
import { quoteArgs } from '../../runner/shell-quote.js';
import type { TestHost } from '../../testbed/host.js';
import { CLI, parseEvents, recap } from '../support/play.js';
import { useTestbed } from '../support/testbed.js';

const run = promisify(execFile);

interface Ran { code: number; out: string; err: string; argvSeen: string[] }

describe('SSH auth and config (real test hosts)', function () {
  this.timeout(120_000);
  // host 0 also listens on 2222 and takes passwords; hosts 1 and 2 are the jump hosts
  const tb = useTestbed(3, { namePrefix: 'auth', sshdOptions: ['ListenAddress=IP:2222', 'PasswordAuthentication=yes'] });
  const alicePw = `pw-${randomBytes(9).toString('base64url')}`;
  let dir: string;
  let home: string;
  let knownHosts: string;
  let target: TestHost;

  const write = async (name: string, text: string, mode = 0o644) => {
    const p = join(dir, name);
    await fs.writeFile(p, text, { mode });
    return p;
  };
  const playbook = (become: boolean) => write(`pb-${become}.yml`, stringify([{
    hosts: 'all:!localhost', gather_facts: false, ...(become ? { become: true } : {}),
    tasks: [
      // the login user and port, or (through sudo, which drops SSH_CONNECTION) the user and who ran sudo
      { name: 'who', shell: 'echo "$(id -un)${SSH_CONNECTION:+ ${SSH_CONNECTION##* }}${SUDO_USER:+ sudo from $SUDO_USER}" >> /var/tmp/auth-who' },
      ...(become ? [{ name: 'a file as root', copy: { dest: '/root/become-copy', content: 'made as root\n', mode: '0600' } }] : []),
    ],
  }]));
  let invCount = 0;
  const inventory = (name: string, hostVars: Record<string, unknown>) =>
    write(`inv-${name}-${++invCount}.yml`, stringify({ all: { hosts: { [name]: hostVars } } }));
  /** A clean environment: its own HOME (no ~/.ssh), no agent unless given. */
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
    if (!extra.SSH_AUTH_SOCK) delete e.SSH_AUTH_SOCK;
    return e;
  };
  const whoLog = async () => (await target.exec('cat /var/tmp/auth-who; rm -f /var/tmp/auth-who')).stdout;

  /**
   * Runs bin/play without a controlling terminal (setsid), or on a pseudo-terminal made by script(1),
   * typing each answer once its prompt shows. While it runs, argv of every process on this machine and
   * on the target is sampled.
   */
  async function playRun(args: string[], e: NodeJS.ProcessEnv, pty?: { prompt: RegExp; answer: string }[]): Promise<Ran> {
    const child = pty
      ? spawn('script', ['-qfec', quoteArgs([CLI, ...args]), '/dev/null'], { env: e, stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn(CLI, args, { env: e, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    const pending = [...(pty ?? [])];
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      while (pending[0] && pending[0].prompt.test(out)) child.stdin!.write(`${pending.shift()!.answer}\r`);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    const argvSeen: string[] = [];
    let done = false;
    void exited.then(() => { done = true; });
    while (!done) {
      argvSeen.push(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }));
      argvSeen.push((await target.exec('ps -eo args')).stdout);
      await new Promise((r) => setTimeout(r, 25));
    }
    return { code: await exited, out, err, argvSeen };
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'play-ssh-auth-'));
    home = join(dir, 'home');
    await fs.mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    target = tb.current.hosts[0]!;
    // alice: a password (through a file, not argv) and a sudo rule that asks for it
    await fs.writeFile(join(target.upperDir, 'root', 'pw'), `alice:${alicePw}\n`, { mode: 0o600 });
    const setup = await target.exec('useradd -m -s /bin/sh alice && chpasswd < /root/pw && rm /root/pw && ' +
      "printf 'alice ALL=(ALL:ALL) ALL\\n' > /etc/sudoers.d/play-alice && chmod 0440 /etc/sudoers.d/play-alice");
    expect(setup.code, setup.stderr).to.equal(0);
    const kh = await fs.readFile(tb.current.knownHostsPath, 'utf8');
    knownHosts = await write('known_hosts', `${kh}[${target.ip}]:2222 ${target.hostKeyPublic}\n`);
  });

  it('reaches an alias from ssh_config with its User, Port and IdentityFile', async () => {
    const cfg = await write('ssh_config', `Host webalias\n  HostName ${target.ip}\n  User alice\n  Port 2222\n` +
      `  IdentityFile ${tb.current.clientKeyPath}\n  IdentitiesOnly yes\n`);
    const inv = await inventory('webalias', {});
    const r = await playRun([await playbook(false), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'], env({ PLAY_SSH_CONFIG: cfg }));
    expect(r.code, r.err + r.out).to.equal(0);
    expect(await whoLog()).to.equal('alice 2222\n');
    // known_hosts from the config's UserKnownHostsFile; StrictHostKeyChecking accept-new adds the key there
    const fresh = join(dir, 'kh-from-config');
    const cfg2 = await write('ssh_config2', `Host webalias\n  HostName ${target.ip}\n  User alice\n  Port 2222\n` +
      `  IdentityFile ${tb.current.clientKeyPath}\n  UserKnownHostsFile ${fresh}\n  StrictHostKeyChecking accept-new\n`);
    const accepted = await playRun([await playbook(false), '-i', inv, '--json', '--no-state'], env({ PLAY_SSH_CONFIG: cfg2 }));
    expect(accepted.code, accepted.err + accepted.out).to.equal(0);
    expect(await fs.readFile(fresh, 'utf8')).to.equal(`[${target.ip}]:2222 ${target.hostKeyPublic}\n`);
    expect(await whoLog()).to.equal('alice 2222\n');
    // an unknown key on port 2222: the hint carries -p
    const unknown = await playRun([await playbook(false), '-i', inv, '--known-hosts', join(dir, 'empty_known_hosts'), '--json', '--no-state'], env({ PLAY_SSH_CONFIG: cfg }));
    expect(unknown.code).to.equal(3);
    expect(unknown.out).to.include(`\`ssh-keyscan -p 2222 -H ${target.ip} >> ~/.ssh/known_hosts\``);
    // an unreadable config: that host is unreachable, saying why
    const unreadable = await playRun([await playbook(false), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'], env({ PLAY_SSH_CONFIG: dir }));
    expect(unreadable.code).to.equal(3);
    expect(unreadable.out).to.include(`cannot read ssh config ${dir}`);
    // without the config the alias is just a name that does not resolve
    const bare = await playRun([await playbook(false), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'], env({ PLAY_SSH_CONFIG: join(dir, 'none') }));
    expect(bare.code).to.equal(3);
  });

  it('goes through a two-hop ProxyJump chain, checking the host key at every hop', async () => {
    const [, hop1, hop2] = tb.current.hosts as [TestHost, TestHost, TestHost];
    const key = tb.current.clientKeyPath;
    const cfg = await write('ssh_config_jump', `Host jumped\n  HostName ${target.ip}\n  User root\n  IdentityFile ${key}\n  ProxyJump hop1,hop2\n` +
      `Host hop1\n  HostName ${hop1.ip}\n  User root\n  IdentityFile ${key}\nHost hop2\n  HostName ${hop2.ip}\n  User root\n  IdentityFile ${key}\n`);
    const inv = await inventory('jumped', {});
    const ok = await playRun([await playbook(false), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'], env({ PLAY_SSH_CONFIG: cfg }));
    expect(ok.code, ok.err + ok.out).to.equal(0);
    expect(await whoLog()).to.equal('root 22\n');

    // Ansible's usual bastion spelling, a ProxyCommand that is a jump host, runs as ProxyJump
    const viaPc = await inventory('pc', { ansible_host: target.ip, ansible_user: 'root', ansible_ssh_private_key_file: key,
      ansible_ssh_common_args: '-o ProxyCommand="ssh -W %h:%p -q hop2"' });
    const pc = await playRun([await playbook(false), '-i', viaPc, '--known-hosts', knownHosts, '--json', '--no-state'], env({ PLAY_SSH_CONFIG: cfg }));
    expect(pc.code, pc.err + pc.out).to.equal(0);
    expect(await whoLog()).to.equal('root 22\n');

    // the same spec through the API: while connected, each hop holds an sshd session for it
    const spec = connectionSpec({ name: 'jumped', groups: ['all'], vars: {} }, undefined,
      { sshConfig: (d, u) => lookUp(readSshConfig({ PLAY_SSH_CONFIG: cfg }).config, d, u) });
    expect(spec.jumps?.map((j) => j.address)).to.deep.equal([hop1.ip, hop2.ip]);
    // a session process is titled `sshd: <user>`; the listener's title is its command line
    const sessions = async (h: TestHost) => (await h.exec('ps -eo args')).stdout.split('\n').filter((l) => /^sshd: root\b/.test(l)).length;
    const before = [await sessions(hop1), await sessions(hop2)];
    const conn = await openSsh(spec, { knownHostsFiles: [knownHosts], agentSocket: '' });
    expect((await conn.exec('hostname')).stdout.trim()).to.equal(target.name);
    const during = [await sessions(hop1), await sessions(hop2)];
    await conn.close();
    expect(during).to.deep.equal(before.map((n) => n + 1));

    // a wrong key for the middle hop: refused there, naming it
    const wrong = (await fs.readFile(knownHosts, 'utf8')).replace(`${hop2.ip} ${hop2.hostKeyPublic}`, `${hop2.ip} ${target.hostKeyPublic}`);
    const wrongFile = await write('known_hosts_wrong_hop2', wrong);
    const bad = await playRun([await playbook(false), '-i', inv, '--known-hosts', wrongFile, '--json', '--no-state'], env({ PLAY_SSH_CONFIG: cfg }));
    expect(bad.code).to.equal(3);
    const unreachable = parseEvents(bad.out).find((e) => e.kind === 'host_unreachable');
    expect(unreachable && 'msg' in unreachable ? unreachable.msg : '').to.include(`jump host hop2`).and.include(`host key for ${hop2.ip} CHANGED`);
    expect(await whoLog()).to.equal('');
  });

  it('logs in with a key that only a running ssh-agent holds, and skips the passphrase of a key the agent holds', async () => {
    const sock = join(dir, 'agent.sock');
    const started = (await run('ssh-agent', ['-a', sock, '-s'])).stdout;
    const agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(started)![1]);
    try {
      const copy = join(dir, 'agent_only_key');
      await fs.copyFile(tb.current.clientKeyPath, copy);
      await fs.chmod(copy, 0o600);
      await run('ssh-add', ['-q', copy], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      await fs.rm(copy);
      const inv = await inventory('viaagent', { ansible_host: target.ip, ansible_user: 'root' });
      const pb = await playbook(false);
      const args = [pb, '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'];
      const r = await playRun(args, env({ SSH_AUTH_SOCK: sock }));
      expect(r.code, r.err + r.out).to.equal(0);
      const without = await playRun(args, env());
      expect(without.code).to.equal(3);
      expect(without.out).to.include('authentication failed for root@');
      // an encrypted copy of the same key, with its .pub: the agent signs, nothing is asked (no terminal here)
      const enc = join(dir, 'enc_in_agent');
      await fs.copyFile(tb.current.clientKeyPath, enc);
      await fs.chmod(enc, 0o600);
      await run('ssh-keygen', ['-q', '-p', '-N', 'agent-knows-me', '-f', enc]);
      await fs.copyFile(`${tb.current.clientKeyPath}.pub`, `${enc}.pub`);
      const inv2 = await inventory('viaagent', { ansible_host: target.ip, ansible_user: 'root', ansible_ssh_private_key_file: enc, ansible_ssh_common_args: '-o IdentitiesOnly=yes' });
      const r2 = await playRun([pb, '-i', inv2, '--known-hosts', knownHosts, '--json', '--no-state'], env({ SSH_AUTH_SOCK: sock }));
      expect(r2.code, r2.err + r2.out).to.equal(0);
      expect(await whoLog()).to.equal('root 22\nroot 22\n');
      // no agent, no key named: OpenSSH's default ~/.ssh/id_ed25519
      const defHome = join(dir, 'home-with-id');
      await fs.mkdir(join(defHome, '.ssh'), { recursive: true, mode: 0o700 });
      await fs.copyFile(tb.current.clientKeyPath, join(defHome, '.ssh', 'id_ed25519'));
      await fs.chmod(join(defHome, '.ssh', 'id_ed25519'), 0o600);
      const viaDefault = await playRun(args, env({ HOME: defHome }));
      expect(viaDefault.code, viaDefault.err + viaDefault.out).to.equal(0);
      expect(await whoLog()).to.equal('root 22\n');
    } finally {
      process.kill(agentPid, 'SIGTERM');
    }
  });

  it('asks for the passphrase of an encrypted key on the terminal, once, without echo', async () => {
    const pass = `pp-${randomBytes(6).toString('hex')}`;
    const enc = join(dir, 'encrypted_key');
    await fs.copyFile(tb.current.clientKeyPath, enc);
    await fs.chmod(enc, 0o600);
    await run('ssh-keygen', ['-q', '-p', '-N', pass, '-f', enc]);
    const inv = await inventory('enc', { ansible_host: target.ip, ansible_user: 'root', ansible_ssh_private_key_file: enc });
    const r = await playRun([await playbook(false), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'], env(),
      [{ prompt: /Enter passphrase for key '.*encrypted_key': /, answer: pass }]);
    expect(r.code, r.out).to.equal(0);
    expect(r.out.match(/Enter passphrase/g)).to.have.length(1);
    expect(r.out).to.not.include(pass);
    expect(r.argvSeen.join('\n')).to.not.include(pass);
    expect(await whoLog()).to.equal('root 22\n');
    // no terminal: a clear failure that says what to do
    const none = await playRun([await playbook(false), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'], env());
    expect(none.code).to.equal(3);
    expect(none.out).to.include('is encrypted').and.include('ssh-add');
  });

  it('logs in with a password from ansible_password (a PLAY_SECRET_ value), masked', async () => {
    const inv = await inventory('pwlogin', { ansible_host: target.ip, ansible_user: 'alice', ansible_password: '{{ alice_pw }}' });
    const r = await playRun([await playbook(false), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state', '-v'], env({ PLAY_SECRET_ALICE_PW: alicePw }));
    expect(r.code, r.err + r.out).to.equal(0);
    expect(await whoLog()).to.equal('alice 22\n');
    expect(r.out + r.err).to.not.include(alicePw);
    expect(r.argvSeen.join('\n')).to.not.include(alicePw);
    // -k: asked once on the terminal
    const invK = await inventory('pwlogin', { ansible_host: target.ip, ansible_user: 'alice' });
    const k = await playRun([await playbook(false), '-i', invK, '--known-hosts', knownHosts, '--json', '--no-state', '-k'], env(),
      [{ prompt: /SSH password: /, answer: alicePw }]);
    expect(k.code, k.out).to.equal(0);
    expect(k.out.match(/SSH password/g)).to.have.length(1);
    expect(k.out).to.not.include(alicePw);
    expect(k.argvSeen.join('\n')).to.not.include(alicePw);
    expect(await whoLog()).to.equal('alice 22\n');
    const wrong = await playRun([await playbook(false), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'], env({ PLAY_SECRET_ALICE_PW: 'not-the-password' }));
    expect(wrong.code).to.equal(3);
    expect(wrong.out).to.include('authentication failed for alice@').and.include('password');
  });

  it('play validate names an ssh option it would not honour, at the host, and --ssh-common-args once', async () => {
    const inv = await write('inv-bad-args.yml', 'all:\n  hosts:\n    web1:\n      ansible_ssh_common_args: "-o ControlMaster=auto"\n');
    const pb = await playbook(false);
    const r = await playRun(['validate', pb, '-i', inv], env());
    expect(r.code).to.equal(4);
    expect(r.err).to.include(`${inv}:3:5: host 'web1': ansible_ssh_common_args: '-o ControlMaster=auto' is not supported`);
    const ok = await write('inv-ok.yml', 'all:\n  hosts:\n    web1:\n      ansible_host: 127.0.0.1\n');
    const cli = await playRun([pb, '-i', ok, '--ssh-common-args', '-o ForwardAgent=yes', '--no-state'], env());
    expect(cli.code).to.equal(5);
    expect(cli.err).to.include("--ssh-common-args: '-o ForwardAgent=yes' is not supported");
  });

  describe('become with a password', () => {
    const check = async (r: Ran, stateDir: string) => {
      expect(r.code, r.err + r.out).to.equal(0);
      expect(recap({ code: r.code, stdout: r.out, stderr: r.err, events: parseEvents(r.out) })['alicehost']!.failed).to.equal(0);
      expect(await whoLog()).to.equal('root sudo from alice\n');
      expect((await target.exec('cat /root/become-copy; stat -c %U /root/become-copy')).stdout).to.equal('made as root\nroot\n');
      await target.exec('rm -f /root/become-copy');
      expect(r.out + r.err, 'in nothing play printed').to.not.include(alicePw);
      expect(r.argvSeen.join('\n'), 'in no argv, on the controller or the host').to.not.include(alicePw);
      const onHost = await run('grep', ['-rlF', '--', alicePw, target.upperDir]).then((x) => x.stdout, () => '');
      expect(onHost, 'in no file on the host').to.equal('');
      const inState = await run('grep', ['-rlF', '--', alicePw, stateDir]).then((x) => x.stdout, () => '');
      expect(inState, 'in no state file').to.equal('');
    };

    it('takes ansible_become_password per host, to sudo -S on stdin only', async () => {
      const inv = await inventory('alicehost', { ansible_host: target.ip, ansible_user: 'alice', ansible_ssh_private_key_file: tb.current.clientKeyPath,
        ansible_become_password: '{{ alice_pw }}' });
      const stateDir = join(dir, 'state-var');
      const r = await playRun([await playbook(true), '-i', inv, '--known-hosts', knownHosts, '--json', '--state-dir', stateDir, '-v'], env({ PLAY_SECRET_ALICE_PW: alicePw }));
      await check(r, stateDir);
    });

    it('asks once with -K on the terminal', async () => {
      const inv = await inventory('alicehost', { ansible_host: target.ip, ansible_user: 'alice', ansible_ssh_private_key_file: tb.current.clientKeyPath });
      const stateDir = join(dir, 'state-K');
      const r = await playRun([await playbook(true), '-i', inv, '--known-hosts', knownHosts, '--json', '--state-dir', stateDir, '-v', '-K'], env(),
        [{ prompt: /BECOME password: /, answer: alicePw }]);
      expect(r.out.match(/BECOME password/g)).to.have.length(1);
      await check(r, stateDir);
    });

    it('keeps sudo -n without a password, and says how to give one', async () => {
      const inv = await inventory('alicehost', { ansible_host: target.ip, ansible_user: 'alice', ansible_ssh_private_key_file: tb.current.clientKeyPath });
      const r = await playRun([await playbook(true), '-i', inv, '--known-hosts', knownHosts, '--json', '--no-state'], env());
      expect(r.code).to.equal(2);
      expect(r.out).to.include('wants a password for root').and.include('-K or ansible_become_password');
    });
  });
});
