// Secrets from the environment and from a vault file (group_vars/all/vault.yml, encrypted with Debian's
// ansible-vault) used in copy content, a template, command stdin and a shell env var; runs with -v,
// --diff, --json, a failing command that prints one, and a second run. Then every byte the runner
// wrote (stdout, stderr, the whole state dir) is searched for each secret, and every argv seen on
// the host while a long task ran.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { statuses } from '../support/play.js';
import { filesUnder, leaks, runCli, tempDir, type MeasuredRun } from './support.js';

const rnd = () => randomBytes(6).toString('hex');
const S = {
  envToken: `EnvTok-${rnd()}`,
  ddApiKey: randomBytes(16).toString('hex'),
  vaultDb: `VaultDb-${rnd()}`,
  vaultOther: `VaultOther-${rnd()}`,
  vaultPassword: `vault-pass-${rnd()}`,
};

const PLAYBOOK = `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: dir
      file: {path: /srv/sec, state: directory, mode: "0700"}
    - name: copy content
      copy: {dest: /srv/sec/copy.txt, content: "token={{ api_token }}\\n", mode: "0600"}
    - name: template
      template: {src: templates/secret.conf.hbs, dest: /srv/sec/tmpl.conf, mode: "0600"}
    - name: command stdin
      command: {cmd: "tee /srv/sec/stdin.txt", stdin: "{{ vault_db_password }}"}
    - name: slow with stdin
      shell: 'cat > /srv/sec/slow.txt; sleep 4.01; echo slow-stdin-done'
      args: {stdin: "{{ vault_other }}"}
    - name: slow with env
      shell: 'printf "%s" "$SLOW" > /srv/sec/slow-env.txt; sleep 4.02; echo slow-env-done'
      environment: {SLOW: "{{ vault_db_password }}"}
    - name: shell env
      shell: 'printf "%s" "$DD_KEY" > /srv/sec/env.txt; echo "key is $DD_KEY"'
      environment: {DD_KEY: "{{ datadog_api_key }}"}
    - name: debug it
      debug: {msg: "the password is {{ vault_db_password }}"}
    - name: failing echo
      shell: 'echo "bad token $TOK" >&2; exit 3'
      environment: {TOK: "{{ api_token }}"}
      ignore_errors: true
`;

describe('secrets never leave the process in clear', function () {
  const tb = useTestbed(2);
  const runs: Record<string, MeasuredRun> = {};
  const argvSeen: string[] = [];
  let proj: string;
  let stateDir: string;

  before(async function () {
    this.timeout(300000);
    proj = tempDir('secrets');
    stateDir = join(proj, 'state');
    copyFileSync(tb.current.inventoryPath, join(proj, 'inventory.yml'));
    mkdirSync(join(proj, 'group_vars', 'all'), { recursive: true });
    mkdirSync(join(proj, 'templates'));
    writeFileSync(join(proj, 'vault-pass'), `${S.vaultPassword}\n`);
    const vaultFile = join(proj, 'group_vars', 'all', 'vault.yml');
    writeFileSync(vaultFile, `vault_db_password: ${S.vaultDb}\nvault_other: ${S.vaultOther}\n`);
    execFileSync('ansible-vault', ['encrypt', '--vault-password-file', join(proj, 'vault-pass'), vaultFile]);
    expect(readFileSync(vaultFile, 'utf8')).to.match(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    writeFileSync(join(proj, 'templates', 'secret.conf.hbs'), '[db]\npassword = {{ vault_db_password }}\n');
    writeFileSync(join(proj, 'site.yml'), PLAYBOOK);
    const env = { PLAY_SECRET_API_TOKEN: S.envToken, DD_API_KEY: S.ddApiKey, PLAY_VAULT_PASSWORD_FILE: join(proj, 'vault-pass') };
    const base = ['site.yml', '-i', 'inventory.yml', '--known-hosts', tb.current.knownHostsPath, '--state-dir', stateDir];
    // First run, plain text, -v --diff, with `ps` sampled on the host while it runs.
    let running = true;
    const h1 = tb.current.hosts[0]!;
    const sampler = (async () => {
      while (running) {
        argvSeen.push((await h1.exec('ps -eo args')).stdout);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    runs.verbose = await runCli([...base, '-v', '--diff'], { cwd: proj, env });
    running = false;
    await sampler;
    runs.json = await runCli([...base, '--json', '--diff', '-v'], { cwd: proj, env });
    runs.forced = await runCli([...base, '--json', '--force', '-v', '--diff'], { cwd: proj, env });
    runs.listed = await runCli([...base, '--list-tasks'], { cwd: proj, env });
  });

  it('the runs did what was asked: the failing task failed (ignored), everything else succeeded', () => {
    expect(runs.verbose!.code, runs.verbose!.stderr + runs.verbose!.stdout).to.equal(0);
    expect(runs.json!.code).to.equal(0);
    expect(runs.forced!.code).to.equal(0);
    for (const h of tb.current.hosts) {
      expect(statuses(runs.forced!, h.name)['failing echo']).to.equal('failed');
      expect(statuses(runs.forced!, h.name)['copy content']).to.equal('ok');
    }
    expect(runs.verbose!.stdout, 'masked values are shown as the mask').to.include('********');
  });

  it('the secrets reached the hosts intact (via SFTP, stdin and the environment)', async () => {
    for (const h of tb.current.hosts) {
      const r = await h.exec('cat /srv/sec/copy.txt; cat /srv/sec/tmpl.conf; cat /srv/sec/stdin.txt; echo; cat /srv/sec/env.txt; echo; cat /srv/sec/slow.txt; echo; cat /srv/sec/slow-env.txt');
      expect(r.stdout).to.equal(`token=${S.envToken}\n[db]\npassword = ${S.vaultDb}\n${S.vaultDb}\n\n${S.ddApiKey}\n${S.vaultOther}\n\n${S.vaultDb}`);
    }
  });

  it('no byte the runner wrote (stdout, stderr, every file of the state dir) holds a secret', () => {
    const sources: Record<string, Buffer | string> = {};
    for (const [k, r] of Object.entries(runs)) {
      sources[`${k}.stdout`] = r.stdout;
      sources[`${k}.stderr`] = r.stderr;
    }
    const stateFiles = filesUnder(stateDir);
    expect(stateFiles.length, 'the state store was written').to.be.greaterThan(0);
    for (const f of stateFiles) sources[f] = readFileSync(f);
    for (const [name, value] of Object.entries(S)) expect(leaks(value, sources), `${name} found in`).to.deep.equal([]);
  });

  it('no process on the host had a secret in its argv while the tasks ran', () => {
        // (the command runs in a subshell of the persistent shell: its own text is no process's argv, its sleep is)
    expect(argvSeen.some((s) => s.includes('sleep 4.01')), 'ps was sampled while the stdin task ran').to.equal(true);
    expect(argvSeen.some((s) => s.includes('sleep 4.02')), 'ps was sampled while the env task ran').to.equal(true);
    const all = argvSeen.join('\n');
    const hits = Object.entries(S).filter(([, v]) => all.includes(v)).map(([k]) => k);
    const lines = all.split('\n').filter((l) => Object.values(S).some((v) => l.includes(v)));
    expect(hits, `secrets in argv:\n${[...new Set(lines)].join('\n')}`).to.deep.equal([]);
  });
});
