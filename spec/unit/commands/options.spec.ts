// The command line and the config files -> one RunOptions object (pure).
import { expect } from 'chai';
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findConfigFiles } from '../../../runner/config/files.js';
import { parseBool, parseCfg, resolveSettings, type Settings } from '../../../runner/config/settings.js';
import { configRows, formatRows } from '../../../runner/commands/config.js';
import { parseVaultId, runOptions, type RunOptions } from '../../../runner/commands/options.js';
import { runFlags } from '../../../runner/commands/run.js';
import { Command } from 'commander';

const none: Settings = new Map();
const settings = (text: string, env: NodeJS.ProcessEnv = {}, file = '/proj/ansible.cfg'): Settings => {
  const r = resolveSettings([{ path: file, text }], env, '/cwd');
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.settings;
};

describe('runOptions', () => {
  it('fills ConnectionDefaults from -u, --private-key, -c, -T, --ssh-common-args, -k, -b, --become-user, -K', () => {
    const o = runOptions(['site.yml'], {
      user: 'deploy', privateKey: '/k', connection: 'local', timeout: 7, sshCommonArgs: '-o ServerAliveInterval=5',
      askPass: true, become: true, becomeUser: 'postgres', askBecomePass: true,
    }, none);
    expect(o.connection).to.deep.equal({
      user: 'deploy', privateKeyFile: '/k', connection: 'local', timeoutSec: 7, sshCommonArgs: '-o ServerAliveInterval=5',
      askPass: true, become: true, becomeUser: 'postgres', askBecomePass: true,
    });
  });

  it('refuses a connection type play has no transport for', () => {
    expect(() => runOptions(['s.yml'], { connection: 'docker' }, none)).to.throw(/-c\/--connection 'docker' is not supported/);
  });

  it('takes flags over ansible.cfg, and ansible.cfg over the built-in defaults', () => {
    const s = settings('[defaults]\nforks = 7\nremote_user = cfguser\ninventory = inv/hosts, other.yml\nhost_key_checking = False\n[privilege_escalation]\nbecome = yes\n');
    const fromCfg = runOptions(['s.yml'], {}, s);
    expect(fromCfg).to.include({ forks: 7, hostKeyCheck: 'off', taskTimeoutSec: 3600 });
    expect(fromCfg.connection).to.deep.equal({ user: 'cfguser', become: true });
    expect(fromCfg.inventory).to.deep.equal(['/proj/inv/hosts', '/proj/other.yml']);
    const flags = runOptions(['s.yml'], { forks: 3, user: 'me', inventory: ['x.ini'], sshHostKeyCheck: 'accept-new' }, s);
    expect(flags).to.include({ forks: 3, hostKeyCheck: 'accept-new' });
    expect(flags.connection.user).to.equal('me');
    expect(flags.inventory).to.deep.equal(['x.ini']);
    expect(runOptions(['s.yml'], {}, none)).to.include({ forks: 50, hostKeyCheck: undefined, stateDir: undefined, verbosity: 0, list: null });
  });

  it('counts -v up to four and keeps several playbooks in order', () => {
    const o = runOptions(['a.yml', 'b.yml'], { verbose: 6 }, none);
    expect(o.verbosity).to.equal(4);
    expect(o.playbooks).to.deep.equal(['a.yml', 'b.yml']);
  });

  it('orders vault sources as ansible-playbook: prompt, password files, vault ids; the config only without flags', () => {
    const s = settings('[defaults]\nvault_password_file = ~/.vault_pass\n', { HOME: '/home/u' });
    expect(runOptions(['s.yml'], {}, s).vaultIds).to.deep.equal([{ label: 'default', source: { kind: 'file', path: '/home/u/.vault_pass' } }]);
    expect(runOptions(['s.yml'], { askVaultPass: true, vaultPasswordFile: ['p1'], vaultId: ['prod@prompt', 'dev@dev.txt'] }, s).vaultIds).to.deep.equal([
      { label: 'default', source: { kind: 'prompt' } },
      { label: 'default', source: { kind: 'file', path: 'p1' } },
      { label: 'prod', source: { kind: 'prompt' } },
      { label: 'dev', source: { kind: 'file', path: 'dev.txt' } },
    ]);
    expect(parseVaultId('secret.txt')).to.deep.equal({ label: 'default', source: { kind: 'file', path: 'secret.txt' } });
    expect(() => parseVaultId('prod@')).to.throw(/names no password source/);
  });

  it('keeps play\'s own settings under [play] or in play.cfg, and PLAY_* variables over them', () => {
    const r = resolveSettings([
      { path: '/p/ansible.cfg', text: '[play]\ntask_timeout = 60\nstate_dir = st\n' },
      { path: '/p/play.cfg', text: 'ssh_host_key_check = accept-new\n', play: true },
    ], { PLAY_TASK_TIMEOUT: '90' }, '/cwd');
    if (!r.ok) throw new Error(r.problems.join());
    const o = runOptions(['s.yml'], {}, r.settings);
    expect(o).to.include({ taskTimeoutSec: 90, stateDir: '/p/st', hostKeyCheck: 'accept-new' });
    expect(r.settings.get('task_timeout')!.origin).to.equal('env: PLAY_TASK_TIMEOUT');
    expect(r.settings.get('state_dir')!.origin).to.equal('/p/ansible.cfg:3');
  });
});

describe('config settings', () => {
  it('reads configparser syntax: sections, = and :, comments, inline comments after whitespace', () => {
    expect(parseCfg('# c\n[defaults]\nforks: 9 ; nine\nremote_user=a#b\n\n; x\n[ssh_connection]\nSSH_COMMON_ARGS = -o A=1\n')).to.deep.equal([
      { section: 'defaults', key: 'forks', value: '9', line: 3 },
      { section: 'defaults', key: 'remote_user', value: 'a#b', line: 4 },
      { section: 'ssh_connection', key: 'ssh_common_args', value: '-o A=1', line: 8 },
    ]);
  });

  it('puts ANSIBLE_* over the file and names where each value came from', () => {
    const s = settings('[defaults]\nforks = 7\nremote_user = cfguser\n', { ANSIBLE_FORKS: '12', ANSIBLE_PRIVATE_KEY_FILE: 'k/id' });
    expect(s.get('forks')).to.deep.equal({ value: 12, origin: 'env: ANSIBLE_FORKS' });
    expect(s.get('remote_user')).to.deep.equal({ value: 'cfguser', origin: '/proj/ansible.cfg:3' });
    expect(s.get('private_key_file')).to.deep.equal({ value: '/cwd/k/id', origin: 'env: ANSIBLE_PRIVATE_KEY_FILE' });
  });

  it('reports a bad value with its file and line', () => {
    const r = resolveSettings([{ path: '/a.cfg', text: '[defaults]\nforks = many\n' }], { ANSIBLE_BECOME: 'perhaps' }, '/');
    expect(r).to.deep.equal({ ok: false, problems: ["/a.cfg:2: forks: expects a whole number, got 'many'", "env ANSIBLE_BECOME: expects a boolean (yes/no, true/false, 1/0), got 'perhaps'"] });
  });

  it('reads booleans as Ansible does', () => {
    expect(['yes', 'On', 'TRUE', '1', 'y'].map(parseBool)).to.deep.equal([true, true, true, true, true]);
    expect(['no', 'off', 'False', '0', 'n'].map(parseBool)).to.deep.equal([false, false, false, false, false]);
    expect(parseBool('maybe')).to.equal(undefined);
  });

  it('finds the config where Ansible looks: ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg; only the first', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'play-cfg-'));
    for (const d of ['cwd', 'home', 'elsewhere']) mkdirSync(path.join(root, d));
    chmodSync(path.join(root, 'cwd'), 0o755);
    writeFileSync(path.join(root, 'home', '.ansible.cfg'), '[defaults]\nforks=1\n');
    const find = (env: NodeJS.ProcessEnv) => findConfigFiles(env, path.join(root, 'cwd'), path.join(root, 'home')).map((f) => path.relative(root, f.path));
    expect(find({})).to.deep.equal(['home/.ansible.cfg']);
    writeFileSync(path.join(root, 'cwd', 'ansible.cfg'), '[defaults]\nforks=2\n');
    writeFileSync(path.join(root, 'cwd', 'play.cfg'), 'task_timeout=5\n');
    expect(find({})).to.deep.equal(['cwd/ansible.cfg', 'cwd/play.cfg']);
    writeFileSync(path.join(root, 'elsewhere', 'ansible.cfg'), '[defaults]\nforks=3\n');
    expect(find({ ANSIBLE_CONFIG: path.join(root, 'elsewhere') })).to.deep.equal(['elsewhere/ansible.cfg', 'cwd/play.cfg']);
    // a world-writable working directory is not trusted, as in Ansible
    chmodSync(path.join(root, 'cwd'), 0o777);
    expect(find({})).to.deep.equal(['home/.ansible.cfg']);
  });

  it('play config lists every setting with its value and origin, or only the changed ones', () => {
    const s = settings('[defaults]\nforks = 7\n');
    const changed = configRows(s, true);
    expect(changed).to.deep.equal([{ key: 'forks', section: 'defaults', ini: 'forks', env: 'ANSIBLE_FORKS', value: 7, origin: '/proj/ansible.cfg:2' }]);
    const all = configRows(s, false);
    expect(all.find((r) => r.key === 'task_timeout')).to.include({ value: '3600', origin: 'default' });
    expect(formatRows(changed, ['/proj/ansible.cfg'])).to.equal('config files: /proj/ansible.cfg\nforks = 7  (/proj/ansible.cfg:2; [defaults] forks, ANSIBLE_FORKS)\n');
  });
});

describe('play run argv -> RunOptions (through commander)', () => {
  const parse = (argv: string[]) => {
    let got: RunOptions | undefined;
    const c = runFlags(new Command('run').argument('<playbooks...>').exitOverride().configureOutput({ writeErr: () => undefined }))
      .action((playbooks: string[], raw: Record<string, unknown>) => { got = runOptions(playbooks, raw, new Map()); });
    c.parse(argv, { from: 'user' });
    return got!;
  };

  it('maps every Ansible flag to its field', () => {
    const o = parse(['a.yml', 'b.yml', '-i', 'one.ini', '-i', 'two,', '-u', 'deploy', '--key-file', '/k', '-k', '-c', 'ssh', '-T', '9',
      '--ssh-common-args', '-o X=1', '-b', '--become-user', 'pg', '-K', '-J', '--vault-id', 'p@f', '--vault-password-file', 'v',
      '--start-at-task', 'x*', '--step', '--syntax-check', '--force-handlers', '-vvv', '-f', '4', '--task-timeout', '30', '--no-state']);
    expect(o).to.deep.include({
      playbooks: ['a.yml', 'b.yml'], inventory: ['one.ini', 'two,'], startAtTask: 'x*', step: true, syntaxCheck: true,
      forceHandlers: true, verbosity: 3, forks: 4, taskTimeoutSec: 30, stateDir: null,
    });
    expect(o.connection).to.deep.equal({ user: 'deploy', privateKeyFile: '/k', askPass: true, connection: 'ssh', timeoutSec: 9, sshCommonArgs: '-o X=1', become: true, becomeUser: 'pg', askBecomePass: true });
    expect(o.vaultIds.map((v) => `${v.label}@${v.source.kind === 'file' ? v.source.path : 'prompt'}`)).to.deep.equal(['default@prompt', 'default@v', 'p@f']);
    expect(parse(['a.yml', '--private-key', '/p', '--list-tags']).connection.privateKeyFile).to.equal('/p');
    expect(parse(['a.yml', '--list-tags']).list).to.equal('tags');
  });

  it('refuses a timeout that is not a whole number, naming the flag', () => {
    expect(() => parse(['a.yml', '-T', 'soon'])).to.throw("--timeout expects a whole number, got 'soon'");
    expect(() => parse(['a.yml', '--task-timeout', '-1'])).to.throw("--task-timeout expects a whole number, got '-1'");
  });
});
