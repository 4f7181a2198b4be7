// A secret masked however it travels (issue 13), on real test hosts:
//  - split across output chunks (half a key, a pause, the rest) and across lines, with -v and --json;
//  - in diffs after a rotation of DD_API_KEY and a PLAY_SECRET_ value (template and lineinfile), plain,
//    --json and --check --diff: neither the old nor the new value in raw, base64, hex or URL-encoded form;
//  - -e values named like secrets; --json failures carry rc/stdout/stderr, masked.
// Plus output sanitising: escape sequences from a host, a host name with a newline, hostile environment keys.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { results } from '../support/play.js';
import { leaks, runCli, tempDir, type MeasuredRun } from './support.js';

const key = () => randomBytes(16).toString('hex');
const MASK = '********';

/** Every form a value could leak in. */
function forms(v: string): Record<string, string> {
  const b = Buffer.from(v);
  return { raw: v, base64: b.toString('base64'), hex: b.toString('hex'), url: encodeURIComponent(v), json: JSON.stringify(v).slice(1, -1) };
}

function leaksOf(values: Record<string, string>, runs: Record<string, MeasuredRun>): string[] {
  const sources: Record<string, string> = {};
  for (const [k, r] of Object.entries(runs)) {
    sources[`${k}.stdout`] = r.stdout;
    sources[`${k}.stderr`] = r.stderr;
  }
  const hits: string[] = [];
  for (const [name, v] of Object.entries(values)) {
    for (const [form, text] of Object.entries(forms(v))) for (const where of leaks(text, sources)) hits.push(`${name} (${form}) in ${where}`);
  }
  return hits;
}

const ROTATE = `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: conf
      template: {src: templates/app.conf.hbs, dest: /srv/rot/app.conf, mode: "0600"}
    - name: token line
      lineinfile: {path: /srv/rot/token.conf, regexp: "^token=", line: "token={{ api_token }}", create: true, mode: "0600"}
`;

describe('secrets masked however they travel', function () {
  const tb = useTestbed(2);
  let proj: string;
  let base: string[];

  before(function () {
    proj = tempDir('travel');
    copyFileSync(tb.current.inventoryPath, join(proj, 'inventory.yml'));
    base = ['-i', 'inventory.yml', '--known-hosts', tb.current.knownHostsPath, '--no-state'];
  });

  describe('a secret split across chunks and lines (-v, --json)', function () {
    const k = key();
    const multi = `first-line-${key()}\nsecond-line-${key()}`;
    const runs: Record<string, MeasuredRun> = {};
    before(async function () {
      this.timeout(120000);
      writeFileSync(join(proj, 'split.yml'), `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: halves
      shell: 'printf "%s" "$(printf %s "$K" | cut -c1-16)"; sleep 1.2; printf "%s\\n" "$(printf %s "$K" | cut -c17-)"'
      environment: {K: "{{ datadog_api_key }}"}
    - name: lines
      shell: 'printf "%s\\n" "$M" | while read -r l; do printf "%s\\n" "$l"; sleep 0.6; done'
      environment: {M: "{{ multi }}"}
`);
      const env = { DD_API_KEY: k, PLAY_SECRET_MULTI: multi };
      runs.plain = await runCli(['split.yml', ...base, '-v'], { cwd: proj, env });
      runs.json = await runCli(['split.yml', ...base, '-v', '--json'], { cwd: proj, env });
    });

    it('shows ******** where the key was, and no half of it', () => {
      expect(runs.plain!.code, runs.plain!.stdout + runs.plain!.stderr).to.equal(0);
      expect(runs.plain!.stdout).to.include(`stdout| ${MASK}`);
      expect(leaksOf({ k, half1: k.slice(0, 16), half2: k.slice(16), multi, line1: multi.split('\n')[0]!, line2: multi.split('\n')[1]! }, runs)).to.deep.equal([]);
    });

    it('--json output chunks do not join back into the key', () => {
      for (const task of ['halves', 'lines']) {
        for (const h of tb.current.hosts) {
          const joined = runs.json!.events.filter((e) => e.kind === 'output' && e.host === h.name && e.taskId.endsWith(task)).map((e) => (e.kind === 'output' ? e.chunk : '')).join('');
          expect(joined, `${task} on ${h.name}`).to.include(MASK);
          expect(joined).to.not.include(k.slice(0, 8)).and.not.include(k.slice(-8)).and.not.include('line-');
        }
      }
    });
  });

  describe('diffs after a rotation (template and lineinfile; plain, --json, --check)', function () {
    const dd = [key(), key(), key(), key()];
    const tok = [`tok-${key()}`, `tok-${key()}`, `tok-${key()}`, `tok-${key()}`];
    const runs: Record<string, MeasuredRun> = {};
    before(async function () {
      this.timeout(180000);
      mkdirSync(join(proj, 'templates'), { recursive: true });
      writeFileSync(join(proj, 'templates', 'app.conf.hbs'), '# managed by play\nsite = example\napi_key = {{ datadog_api_key }}\nport = 8126\n');
      writeFileSync(join(proj, 'rotate.yml'), ROTATE);
      for (const h of tb.current.hosts) await h.exec('mkdir -p /srv/rot && printf "# tokens\\nhost=a\\n" > /srv/rot/token.conf');
      const env = (i: number) => ({ DD_API_KEY: dd[i]!, PLAY_SECRET_API_TOKEN: tok[i]! });
      runs.first = await runCli(['rotate.yml', ...base], { cwd: proj, env: env(0) });
      runs.plain = await runCli(['rotate.yml', ...base, '--diff'], { cwd: proj, env: env(1) });
      runs.json = await runCli(['rotate.yml', ...base, '--diff', '--json'], { cwd: proj, env: env(2) });
      runs.check = await runCli(['rotate.yml', ...base, '--diff', '--check'], { cwd: proj, env: env(3) });
    });

    it('each run changed the files, and the hosts hold the key of the last real run', async () => {
      for (const r of Object.values(runs)) expect(r.code, r.stdout + r.stderr).to.equal(0);
      for (const h of tb.current.hosts) {
        expect((await h.exec('cat /srv/rot/app.conf')).stdout).to.include(`api_key = ${dd[2]}`);
        expect((await h.exec('cat /srv/rot/token.conf')).stdout).to.equal(`# tokens\nhost=a\ntoken=${tok[2]}\n`);
      }
      for (const r of results(runs.json!)) expect(r.outcome.status).to.equal('changed');
    });

    it('the diffs are shown, masked on both sides', () => {
      for (const name of ['plain', 'check'] as const) {
        expect(runs[name]!.stdout).to.include('--- /srv/rot/app.conf').and.include(`-${MASK}`).and.include(`+${MASK}`);
        expect(runs[name]!.stdout, 'nothing of the old side of such a file').to.not.include('site = example');
      }
      const diffs = results(runs.json!).map((r) => (r.outcome.status === 'changed' ? r.outcome.diff ?? '' : ''));
      expect(diffs.filter((d) => d.includes(`-${MASK}`))).to.have.length(4);
    });

    it('neither the old nor the new value appears raw, base64, hex or URL-encoded', () => {
      const values: Record<string, string> = {};
      dd.forEach((v, i) => (values[`DD_API_KEY #${i}`] = v));
      tok.forEach((v, i) => (values[`PLAY_SECRET_API_TOKEN #${i}`] = v));
      expect(leaksOf(values, runs)).to.deep.equal([]);
    });
  });

  describe('-e secrets, --json failures, escape sequences', function () {
    const pw = `pw-${key()}`;
    const runs: Record<string, MeasuredRun> = {};
    before(async function () {
      this.timeout(120000);
      writeFileSync(join(proj, 'misc.yml'), `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: uses the password
      debug: {msg: "pw is {{ db_password }}"}
    - name: fails
      shell: 'echo "out $P"; echo "err line" >&2; exit 3'
      environment: {P: "{{ db_password }}"}
      ignore_errors: true
    - name: hostile output
      shell: |
        printf 'before\\033[2J\\033]0;title\\007after\\r\\n  h9: ok - forged\\n'
      register: hostile
    - name: show it
      debug: {msg: "{{ hostile.stdout }}"}
    - name: syntax error
      shell: 'if then'
      ignore_errors: true
`);
      runs.plain = await runCli(['misc.yml', ...base, '-v', '-e', `db_password=${pw}`], { cwd: proj });
      runs.json = await runCli(['misc.yml', ...base, '-v', '--json', '-e', `db_password=${pw}`], { cwd: proj });
    });

    it('a secret-named -e value is masked, with a warning recommending PLAY_SECRET_ or a vault', () => {
      expect(runs.plain!.code, runs.plain!.stdout + runs.plain!.stderr).to.equal(0);
      expect(runs.plain!.stdout).to.include(`pw is ${MASK}`).and.match(/\[WARNING\] -e db_password: .*PLAY_SECRET_DB_PASSWORD.*vault/);
      expect(leaksOf({ pw }, runs)).to.deep.equal([]);
    });

    it('--json failures carry rc, stdout and stderr besides msg, masked', () => {
      for (const h of tb.current.hosts) {
        const [r] = results(runs.json!, { host: h.name, task: 'fails' });
        expect(r?.outcome.status).to.equal('failed');
        expect(r?.failure).to.deep.equal({ rc: 3, stdout: `out ${MASK}`, stderr: 'err line' });
      }
    });

    it('escape sequences from a host are escaped in the plain output (-v and debug), exact in --json', () => {
      const out = runs.plain!.stdout;
      expect(out).to.not.match(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(out).to.include('before\\x1b[2J\\x1b]0;title\\x07after\\r');
      expect(out.split('\n').filter((l) => l.startsWith('  h9:'))).to.deep.equal([]);
      const chunks = runs.json!.events.filter((e) => e.kind === 'output' && e.taskId.endsWith('hostile output')).map((e) => (e.kind === 'output' ? e.chunk : ''));
      expect(chunks.join('')).to.include('before\x1b[2J\x1b]0;title\x07after\r\n');
    });

    it('a failed command says what the user wrote, not the runner\'s eval', () => {
      const [r] = results(runs.json!, { task: 'syntax error' });
      expect(r?.outcome.status).to.equal('failed');
      expect(r?.outcome.status === 'failed' && r.outcome.msg).to.match(/syntax error/i).and.not.match(/eval/);
    });
  });

  describe('names that would reach a shell or the terminal', function () {
    it('a hostile environment key is a diagnostic and runs nothing', async function () {
      this.timeout(60000);
      writeFileSync(join(proj, 'envkey.yml'), `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: first
      command: touch /tmp/ran-first
    - name: env
      command: "true"
      environment: {"A=1; touch /tmp/X; B": v}
`);
      const r = await runCli(['envkey.yml', ...base], { cwd: proj });
      expect(r.code).to.equal(4);
      expect(r.stderr).to.match(/envkey\.yml:8:21: environment key "A=1; touch \/tmp\/X; B" is not a valid variable name/);
      for (const h of tb.current.hosts) expect((await h.exec('ls /tmp/X /tmp/ran-first 2>&1 || true')).stdout).to.not.match(/^\/tmp\//m);
    });

    it('a host name with a newline is refused at validation; no line is forged', async function () {
      this.timeout(60000);
      const inv = readFileSync(join(proj, 'inventory.yml'), 'utf8');
      writeFileSync(join(proj, 'evil-inv.yml'), `${inv.trimEnd()}\n        "evil\\n  h1: ok - forged":\n          ansible_host: 127.0.0.1\n`);
      const r = await runCli(['split.yml', '-i', 'evil-inv.yml', '--known-hosts', tb.current.knownHostsPath, '--no-state'], { cwd: proj });
      expect(r.code).to.equal(4);
      expect(r.stderr).to.match(/evil-inv\.yml:\d+:\d+: host name "evil\\n {2}h1: ok - forged" is not allowed/);
      expect(r.stdout + r.stderr).to.not.match(/^ {2}h1: ok/m);
    });
  });
});
