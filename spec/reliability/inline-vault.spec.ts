// Inline `!vault` values (issue 13) on real test hosts: blocks made by ansible-vault's encrypt_string in a
// playbook, a vars file, a role's defaults and the inventory are decrypted with the password from an
// executable password file, deployed intact, and masked in every output. Without the password the run is
// an input error at the value's file:line:col and contacts no host. And `play vault encrypt-string`
// output opens in ansible-vault and ansible-playbook.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { CLI } from '../support/play.js';
import { leaks, runCli, tempDir, type MeasuredRun } from './support.js';
import { vaultDecrypt } from '../../runner/secrets/vault.js';

const rnd = () => randomBytes(8).toString('hex');

/** ansible-vault encrypt_string, plaintext on stdin, as a `name: !vault |` block indented by `indent`. */
function ansibleBlock(name: string, plaintext: string, passFile: string, indent: string): string {
  const out = execFileSync('ansible-vault', ['encrypt_string', '--vault-password-file', passFile, '--stdin-name', name], { input: plaintext, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
  return out.trimEnd().split('\n').map((l) => indent + l).join('\n');
}

describe('inline !vault values', function () {
  const tb = useTestbed(1);
  const password = `vault-${rnd()}`;
  const S = { play: `PlayVar-${rnd()}`, file: `FileVar-${rnd()}`, role: `RoleVar-${rnd()}`, inv: `InvVar-${rnd()}` };
  let proj: string;
  let base: string[];
  const runs: Record<string, MeasuredRun> = {};
  let afterNoPassword = '';

  before(async function () {
    this.timeout(180000);
    proj = tempDir('inline-vault');
    // an executable password file: run, its stdout is the password (as in Ansible)
    writeFileSync(join(proj, 'pass.sh'), `#!/bin/sh\necho '${password}'\n`, { mode: 0o700 });
    writeFileSync(join(proj, 'pass.txt'), `${password}\n`);
    const pass = join(proj, 'pass.txt');
    const h = tb.current.hosts[0]!;
    const inv = readFileSync(tb.current.inventoryPath, 'utf8').trimEnd();
    writeFileSync(join(proj, 'inventory.yml'), `${inv}\n${ansibleBlock('inv_secret', S.inv, pass, ' '.repeat(10))}\n`);
    mkdirSync(join(proj, 'roles', 'r', 'defaults'), { recursive: true });
    mkdirSync(join(proj, 'roles', 'r', 'tasks'), { recursive: true });
    writeFileSync(join(proj, 'roles', 'r', 'defaults', 'main.yml'), `${ansibleBlock('role_secret', S.role, pass, '')}\n`);
    writeFileSync(join(proj, 'roles', 'r', 'tasks', 'main.yml'), '- copy: {dest: /srv/iv/role.txt, content: "{{ role_secret }}", mode: "0600"}\n');
    writeFileSync(join(proj, 'vars.yml'), `${ansibleBlock('file_secret', S.file, pass, '')}\n`);
    writeFileSync(join(proj, 'site.yml'), `- hosts: testhosts
  gather_facts: false
  vars_files: [vars.yml]
  vars:
${ansibleBlock('play_secret', S.play, pass, '    ')}
  pre_tasks:
    - file: {path: /srv/iv, state: directory}
    - copy: {dest: /srv/iv/play.txt, content: "{{ play_secret }}", mode: "0600"}
    - copy: {dest: /srv/iv/file.txt, content: "{{ file_secret }}", mode: "0600"}
    - copy: {dest: /srv/iv/inv.txt, content: "{{ inv_secret }}", mode: "0600"}
    - debug: {msg: "secrets {{ play_secret }} {{ file_secret }} {{ inv_secret }} {{ role_secret }}"}
  roles: [r]
`);
    base = ['site.yml', '-i', 'inventory.yml', '--known-hosts', tb.current.knownHostsPath, '--no-state'];
    runs.noPassword = await runCli(base, { cwd: proj });
    afterNoPassword = (await h.exec('ls /srv/iv 2>&1 || true')).stdout;
    runs.plain = await runCli([...base, '-v', '--diff', '--vault-password-file', 'pass.sh'], { cwd: proj });
    runs.json = await runCli([...base, '--json', '--diff', '--vault-password-file', 'pass.sh'], { cwd: proj });
  });

  it("without the password: an input error at each value's file:line:col, and no host contacted", () => {
    expect(runs.noPassword!.code).to.equal(4);
    expect(runs.noPassword!.stderr).to.match(/inventory\.yml:\d+:\d+: inline !vault value needs the vault password/);
    expect(runs.noPassword!.stderr).to.match(/site\.yml:5:\d+: inline !vault value needs the vault password/);
    expect(afterNoPassword).to.match(/No such file/);
  });

  it('with an executable password file: every value decrypts and reaches the host intact', async () => {
    expect(runs.plain!.code, runs.plain!.stdout + runs.plain!.stderr).to.equal(0);
    const h = tb.current.hosts[0]!;
    const r = await h.exec('cat /srv/iv/play.txt; echo; cat /srv/iv/file.txt; echo; cat /srv/iv/inv.txt; echo; cat /srv/iv/role.txt');
    expect(r.stdout).to.equal(`${S.play}\n${S.file}\n${S.inv}\n${S.role}`);
  });

  it('the values are secrets: masked in plain and --json output', () => {
    expect(runs.plain!.stdout).to.include('secrets ******** ******** ******** ********');
    const sources = { plain: runs.plain!.stdout + runs.plain!.stderr, json: runs.json!.stdout + runs.json!.stderr };
    for (const [name, v] of Object.entries(S)) expect(leaks(v, sources), name).to.deep.equal([]);
  });

  it("play's encrypt-string output opens in ansible-vault decrypt and ansible-playbook", function () {
    this.timeout(60000);
    const plain = `from-play-${rnd()}`;
    const r = spawnSync(CLI, ['vault', 'encrypt-string', '--name', 'from_play', '--vault-password-file', 'pass.txt'], { cwd: proj, input: plain });
    expect(r.status, r.stderr.toString()).to.equal(0);
    const block = r.stdout.toString();
    expect(block).to.match(/^from_play: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n( {10}[0-9a-f]{1,80}\n)+$/);
    expect(r.stderr.toString()).to.include('Encryption successful');
    // the envelope alone, as a file
    writeFileSync(join(proj, 'envelope'), block.split('\n').slice(1).map((l) => l.trim()).join('\n'));
    const dec = execFileSync('ansible-vault', ['decrypt', '--vault-password-file', 'pass.txt', '--output', '-', 'envelope'], { cwd: proj, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    expect(dec).to.equal(plain);
    writeFileSync(join(proj, 'from-play.yml'), block);
    writeFileSync(join(proj, 'ap.yml'), '- hosts: localhost\n  gather_facts: false\n  vars_files: [from-play.yml]\n  tasks:\n    - debug: {msg: "value=[{{ from_play }}]"}\n');
    const ap = execFileSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', 'ap.yml', '--vault-password-file', 'pass.txt'], { cwd: proj, env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false' } }).toString();
    expect(ap).to.include(`value=[${plain}]`);
  });

  it('encrypt-string on a terminal prompts without echoing the plaintext', function () {
    this.timeout(30000);
    const plain = `typed-${rnd()}`;
    const log = join(proj, 'prompt.log');
    const cmd = `(sleep 1; printf '%s\\r' '${plain}') | script -qec "${CLI} vault encrypt-string --vault-password-file pass.txt -n typed" ${log} > /dev/null`;
    execFileSync('/bin/sh', ['-c', cmd], { cwd: proj });
    const screen = readFileSync(log, 'utf8').replace(/\r/g, '');
    expect(screen).to.include('String to encrypt (hidden): ').and.not.include(plain);
    const envelope = screen.slice(screen.indexOf('$ANSIBLE_VAULT')).split('\n').filter((l) => /^\s*(\$ANSIBLE_VAULT|[0-9a-f]+$)/.test(l)).map((l) => l.trim()).join('\n');
    const opened = vaultDecrypt(envelope, password);
    expect(opened.ok && opened.plaintext.toString()).to.equal(plain);
  });

  it('a multi-line password file means what it means to ansible-vault (the whole file, trimmed)', function () {
    this.timeout(30000);
    writeFileSync(join(proj, 'pw-lines'), `  ${password}\nsecond line \r\n\n`);
    writeFileSync(join(proj, 'two.yml'), 'x: 1\n');
    execFileSync('ansible-vault', ['encrypt', '--vault-password-file', 'pw-lines', 'two.yml'], { cwd: proj, stdio: 'ignore' });
    const r = spawnSync(CLI, ['vault', 'view', 'two.yml', '--vault-password-file', 'pw-lines'], { cwd: proj });
    expect(r.status, r.stderr.toString()).to.equal(0);
    expect(r.stdout.toString()).to.equal('x: 1\n');
  });

  it('encrypt-string refuses a plaintext on the command line', () => {
    const r = spawnSync(CLI, ['vault', 'encrypt-string', '--vault-password-file', 'pass.txt', 'hunter2-on-argv'], { cwd: proj, input: '' });
    expect(r.status).to.equal(5);
    expect(r.stderr.toString()).to.match(/no plaintext on the command line/);
  });
});
