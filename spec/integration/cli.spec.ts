// Ansible's command line against real SSH hosts: inventory formats and merging, group_vars next to the
// playbook, ansible.cfg, run control (--start-at-task, --step, --force-handlers), -vv..-vvvv, several playbooks.
import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { CLI, play, statuses } from '../support/play.js';
import type { Testbed } from '../../testbed/testbed.js';
import { vaultEncrypt } from '../../runner/secrets/vault.js';

type TestHost = Testbed['hosts'][number];

describe('Ansible command line on real SSH hosts', function () {
  const tb = useTestbed(2);
  const hostVars = (h: TestHost) => ({ ansible_host: h.ip, ansible_port: h.port, ansible_user: 'root', ansible_ssh_private_key_file: tb.current.clientKeyPath });
  const ini = (h: TestHost) => `${h.name} ${Object.entries(hostVars(h)).map(([k, v]) => `${k}=${v}`).join(' ')}`;
  const kh = () => ['--known-hosts', tb.current.knownHostsPath];

  /** A project: h1 in an INI file, h2 from a dynamic inventory script, a playbook with group_vars/ next to it. */
  function project(tasks: string, extra: Record<string, string> = {}): string {
    const [h1, h2] = tb.current.hosts as [TestHost, TestHost];
    const dir = mkdtempSync(join(tmpdir(), 'play-cli-'));
    mkdirSync(join(dir, 'inv'));
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'inv', 'hosts.ini'), `[web]\n${ini(h1)}\n[web:vars]\ngreeting=from_ini\nport=8080\n`);
    const list = { web: { hosts: [h2.name] }, _meta: { hostvars: { [h2.name]: hostVars(h2) } } };
    writeFileSync(join(dir, 'inv', 'cloud.sh'), `#!/bin/sh\n[ "$1" = --list ] && cat <<'JSON'\n${JSON.stringify(list)}\nJSON\n`);
    chmodSync(join(dir, 'inv', 'cloud.sh'), 0o755);
    writeFileSync(join(dir, 'group_vars', 'web.yml'), 'greeting: from_playbook_group_vars\n');
    writeFileSync(join(dir, 'site.yml'), `- hosts: web\n  gather_facts: false\n  tasks:\n${tasks}`);
    for (const [f, text] of Object.entries(extra)) writeFileSync(join(dir, f), text);
    return dir;
  }
  const sources = (dir: string) => ['-i', join(dir, 'inv', 'hosts.ini'), '-i', join(dir, 'inv', 'cloud.sh')];
  const cat = async (h: TestHost, f: string) => (await h.exec(`cat ${f} 2>/dev/null || echo MISSING`)).stdout;

  it('merges an INI file and a dynamic inventory (two -i); group_vars next to the playbook win over [web:vars]', async () => {
    const dir = project('    - name: greet\n      copy: {dest: /srv/cli-greeting, content: "{{ greeting }} {{ port }}\\n"}\n');
    const run = await play([join(dir, 'site.yml'), ...sources(dir), ...kh(), '--no-state', '--json']);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    for (const h of tb.current.hosts) expect(await cat(h, '/srv/cli-greeting')).to.equal('from_playbook_group_vars 8080\n');
  });

  it('reads the inventory, forks and play settings from ./ansible.cfg, and play config shows where each came from', async () => {
    const dir = project('    - name: cfg\n      command: "touch /srv/cli-cfg"\n', {
      'ansible.cfg': '[defaults]\ninventory = inv/hosts.ini, inv/cloud.sh\nforks = 1\n[play]\ntask_timeout = 77\n',
    });
    const run = await play(['site.yml', ...kh(), '--no-state', '--json'], { cwd: dir });
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    expect(Object.keys(statuses(run, 'h1'))).to.deep.equal(['cfg']);
    expect(Object.keys(statuses(run, 'h2'))).to.deep.equal(['cfg']);
    const shown = await play(['config', '--only-changed'], { cwd: dir });
    expect(shown.code).to.equal(0);
    expect(shown.stdout).to.include(`forks = 1  (${join(dir, 'ansible.cfg')}:3; [defaults] forks, ANSIBLE_FORKS)`);
    expect(shown.stdout).to.include(`inventory = ${join(dir, 'inv/hosts.ini')}, ${join(dir, 'inv/cloud.sh')}  (${join(dir, 'ansible.cfg')}:2;`);
    expect(shown.stdout).to.include(`task_timeout = 77  (${join(dir, 'ansible.cfg')}:5; [play] task_timeout, PLAY_TASK_TIMEOUT)`);
    const env = await play(['config', '--only-changed'], { cwd: dir, env: { ANSIBLE_FORKS: '3' } });
    expect(env.stdout).to.include('forks = 3  (env: ANSIBLE_FORKS;');
  });

  it('--start-at-task skips the tasks before the named one', async () => {
    const dir = project('    - name: first\n      command: "touch /srv/cli-first"\n    - name: second step\n      command: "touch /srv/cli-second"\n');
    const run = await play([join(dir, 'site.yml'), ...sources(dir), ...kh(), '--no-state', '--json', '--start-at-task', 'second*']);
    expect(run.code, run.stderr).to.equal(0);
    const h1 = tb.current.hosts[0]!;
    expect((await h1.exec('test -e /srv/cli-first; echo $?; test -e /srv/cli-second; echo $?')).stdout).to.equal('1\n0\n');
    const none = await play([join(dir, 'site.yml'), ...sources(dir), ...kh(), '--no-state', '--start-at-task', 'third']);
    expect(none.code).to.equal(5);
    expect(none.stderr).to.include("--start-at-task: no task matches 'third'");
  });

  it('--force-handlers runs the notified handler on a host that failed later', async () => {
    const tasks = '    - name: change\n      copy: {dest: /srv/cli-fh-conf, content: "{{ 999999 | random }}\\n"}\n      notify: mark\n' +
      '    - name: fail\n      command: "false"\n  handlers:\n    - name: mark\n      command: "touch /srv/cli-fh-handled"\n';
    const dir = project(tasks.replace('{{ 999999 | random }}', 'v1'));
    const without = await play([join(dir, 'site.yml'), ...sources(dir), ...kh(), '--no-state', '--json']);
    expect(without.code).to.equal(2);
    const h1 = tb.current.hosts[0]!;
    expect((await h1.exec('test -e /srv/cli-fh-handled; echo $?')).stdout).to.equal('1\n');
    writeFileSync(join(dir, 'site.yml'), `- hosts: web\n  gather_facts: false\n  tasks:\n${tasks.replace('{{ 999999 | random }}', 'v2')}`);
    const forced = await play([join(dir, 'site.yml'), ...sources(dir), ...kh(), '--no-state', '--json', '--force-handlers']);
    expect(forced.code).to.equal(2);
    expect(statuses(forced, 'h1')).to.include({ change: 'changed', fail: 'failed', mark: 'changed' });
    expect((await h1.exec('test -e /srv/cli-fh-handled; echo $?')).stdout).to.equal('0\n');
  });

  it('--step asks before each task on the terminal: n skips, y runs, c runs the rest', async () => {
    const dir = project(['a', 'b', 'c', 'd'].map((t) => `    - name: step ${t}\n      command: "touch /srv/cli-step-${t}"\n`).join(''));
    const cmd = [CLI, join(dir, 'site.yml'), ...sources(dir), ...kh(), '--no-state', '--step'].map((a) => `'${a}'`).join(' ');
    // script(1) gives play a terminal; the answers arrive on it as typed
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120000 }, (err, stdout) => (err ? reject(new Error(`${err.message}\n${stdout}`)) : resolve(stdout)));
      child.stdin!.end('n\ny\nc\n');
    });
    expect(out).to.include('Perform task: TASK: step a (N)o/(y)es/(c)ontinue:');
    expect(out).not.to.include('Perform task: TASK: step d');
    const h1 = tb.current.hosts[0]!;
    expect((await h1.exec('for t in a b c d; do test -e /srv/cli-step-$t && echo $t; done')).stdout).to.equal('b\nc\nd\n');
  });

  it('-vv names each task\'s source, -vvv each connection and command, -vvvv adds the SSH debug', async () => {
    const dir = project('    - name: noisy\n      command: "echo hi"\n');
    const args = [join(dir, 'site.yml'), ...sources(dir), ...kh(), '--no-state', '--limit', 'h1'];
    const vv = await play([...args, '-vv']);
    expect(vv.stderr).to.match(/TASK \[noisy\] at .*site\.yml:4:7/);
    expect(vv.stderr).to.match(/<h1> changed in \d+ ms/);
    expect(vv.stderr).not.to.include('CONNECT');
    const vvv = await play([...args, '-vvv']);
    expect(vvv.stderr).to.include(`<h1> CONNECT h1: ssh root@${tb.current.hosts[0]!.ip}:${tb.current.hosts[0]!.port}`);
    expect(vvv.stderr).to.include('echo hi');
    expect(vvv.stderr).not.to.include('SSH: ');
    const vvvv = await play([...args, '-vvvv']);
    expect(vvvv.stderr).to.match(/<h1> SSH: .*(Handshake|KEX|Outbound|Inbound)/);
  });

  it('runs several playbooks in order; a bad one means none runs', async () => {
    const dir = project('    - name: one\n      command: "touch /srv/cli-pb-one"\n', {
      'two.yml': '- hosts: web\n  gather_facts: false\n  tasks:\n    - name: two\n      shell: "test -e /srv/cli-pb-one && touch /srv/cli-pb-two"\n',
      'bad.yml': '- hosts: web\n  tasks:\n    - name: typo\n      coppy: {dest: /x}\n',
    });
    const bad = await play([join(dir, 'site.yml'), join(dir, 'bad.yml'), ...sources(dir), ...kh(), '--no-state']);
    expect(bad.code).to.equal(4);
    const h1 = tb.current.hosts[0]!;
    expect((await h1.exec('test -e /srv/cli-pb-one; echo $?')).stdout).to.equal('1\n');
    const run = await play([join(dir, 'site.yml'), join(dir, 'two.yml'), ...sources(dir), ...kh(), '--no-state', '--json']);
    expect(run.code, run.stderr).to.equal(0);
    expect((await h1.exec('test -e /srv/cli-pb-two; echo $?')).stdout).to.equal('0\n');
  });

  it('--syntax-check and --list-tags read the playbooks and contact no host', async () => {
    const dir = project('    - name: tagged\n      command: "true"\n      tags: [pkg, conf]\n');
    const syntax = await play([join(dir, 'site.yml'), ...sources(dir), '--syntax-check']);
    expect(syntax.code).to.equal(0);
    expect(syntax.stdout).to.include(`playbook: ${join(dir, 'site.yml')}`);
    const tags = await play([join(dir, 'site.yml'), ...sources(dir), '--list-tags']);
    expect(tags.stdout).to.include('TASK TAGS: [conf, pkg]');
  });
});

describe('Ansible command line without hosts', () => {
  /** Runs bin/play on a pseudo-terminal (script(1)); `answer` is typed once `prompt` shows. */
  function onTty(args: string[], prompt: string, answer: string, cwd: string): Promise<{ code: number; out: string }> {
    const cmd = [CLI, ...args].map((a) => `'${a}'`).join(' ');
    return new Promise((resolve) => {
      let out = '';
      const child = execFile('script', ['-qec', cmd, '/dev/null'], { cwd, encoding: 'utf8', timeout: 60000 }, (err) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out });
      });
      child.stdout!.on('data', (d: string) => {
        const before = out.includes(prompt);
        out += d;
        if (!before && out.includes(prompt)) child.stdin!.end(answer);
      });
    });
  }

  function vaultProject(password: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'play-cli-vault-'));
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'hosts'), '[web]\nw1 ansible_host=127.0.0.1\n');
    writeFileSync(join(dir, 'group_vars', 'web.yml'), vaultEncrypt('db_password: s3cret-value\n', password));
    writeFileSync(join(dir, 'site.yml'), '- hosts: web\n  gather_facts: false\n  tasks:\n    - name: uses it\n      command: "echo {{ db_password }}"\n');
    return dir;
  }

  it('--ask-vault-pass and --vault-id label@prompt ask on the terminal, without echo', async () => {
    const pw = randomBytes(9).toString('hex');
    const dir = vaultProject(pw);
    const asked = await onTty(['validate', 'site.yml', '-i', 'hosts', '--ask-vault-pass'], 'Vault password: ', `${pw}\n`, dir);
    expect(asked.out).to.include('Vault password: ');
    expect(asked.out).to.include('site.yml: valid');
    expect(asked.out).not.to.include(pw);
    const labelled = await onTty(['validate', 'site.yml', '-i', 'hosts', '--vault-id', 'prod@prompt'], 'Vault password (prod): ', 'wrong\n', dir);
    expect(labelled.out).to.include('Vault password (prod): ');
    expect(labelled.code).to.equal(4);
    expect(labelled.out).to.include('vault password does not match');
  });

  it('tries every --vault-id password; the config\'s vault_password_file applies when no flag names one', async () => {
    const pw = randomBytes(9).toString('hex');
    const dir = vaultProject(pw);
    writeFileSync(join(dir, 'other.txt'), 'not-this-one\n');
    writeFileSync(join(dir, 'right.txt'), `${pw}\n`);
    const both = await play(['validate', 'site.yml', '-i', 'hosts', '--vault-id', 'dev@other.txt', '--vault-id', 'prod@right.txt'], { cwd: dir });
    expect(both.code, both.stderr).to.equal(0);
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nvault_password_file = right.txt\ninventory = hosts\n');
    const cfg = await play(['validate', 'site.yml'], { cwd: dir });
    expect(cfg.code, cfg.stderr).to.equal(0);
    const flagWins = await play(['validate', 'site.yml', '--vault-password-file', 'other.txt'], { cwd: dir });
    expect(flagWins.code).to.equal(4);
  });

  it('-T bounds the SSH handshake: a host that accepts and never speaks is unreachable after it', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.61.9', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'play-cli-t-'));
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
      writeFileSync(join(dir, 'hosts'), `silent ansible_host=127.0.61.9 ansible_port=${port} ansible_ssh_private_key_file=${join(dir, 'key')}\n`);
      writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
      const run = await play(['site.yml', '-i', 'hosts', '-T', '1', '--no-state', '--ssh-host-key-check', 'off', '--json'], { cwd: dir });
      expect(run.code).to.equal(3);
      const unreachable = run.events.find((e) => e.kind === 'host_unreachable');
      expect(unreachable && unreachable.kind === 'host_unreachable' && unreachable.msg).to.match(/timed out/i);
    } finally {
      silent.close();
    }
  });
});
