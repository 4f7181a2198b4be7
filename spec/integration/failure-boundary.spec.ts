// The failure boundary on real SSH hosts: a write the login user may not do (a non-root user without
// become on a root-owned path) fails that host alone, with a message naming the host, the task's
// file:line and what was denied; ignore_errors and rescue apply; finished work is recorded; no
// uploaded temp file stays behind, also where sudo wants a password.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { play, recap, results, statuses } from '../support/play.js';
import { useTestbed } from '../support/testbed.js';

describe('the failure boundary on real SSH hosts', function () {
  const tb = useTestbed(2);
  let inv: string;

  before(async function () {
    this.timeout(60000);
    const h1 = tb.current.hosts[0]!;
    // A key-only account: '*' instead of useradd's '!' (sshd without PAM refuses locked accounts).
    await h1.exec("id deploy >/dev/null 2>&1 || useradd -m -s /bin/sh -p '*' deploy");
    const doc = parse(readFileSync(tb.current.inventoryPath, 'utf8')) as { all: { children: Record<string, { hosts: Record<string, Record<string, unknown>> }> } };
    doc.all.children.testhosts!.hosts.h1!.ansible_user = 'deploy';
    inv = join(mkdtempSync(join(tmpdir(), 'play-inv-')), 'hosts.yml');
    writeFileSync(inv, stringify(doc));
  });

  const common = () => ['-i', inv, '--known-hosts', tb.current.knownHostsPath, '--json'];
  const denied = (extra = '') => `- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - name: root-owned config\n      copy: {dest: /etc/play-denied.conf, content: "x=1\\n"}\n${extra}    - name: after\n      command: "true"\n`;
  const leftovers = async (): Promise<string> => (await tb.current.hosts[0]!.exec('ls -a /tmp /etc | grep -E "^\\.play-(upload|env)-|play-tmp-" || true')).stdout;

  it('fails only the host that was denied, names it, the task\'s file:line and the cause; records the others\' work', async () => {
    const state = mkdtempSync(join(tmpdir(), 'play-state-'));
    const pb = writePlaybook(denied());
    const run = await play([pb, ...common(), '--state-dir', state]);
    expect(run.code, run.stderr + run.stdout.slice(-2000)).to.equal(2);
    expect(run.stderr).to.not.include('internal error');
    const r = results(run, { host: 'h1', task: 'root-owned config' })[0]!;
    expect(r.outcome.status).to.equal('failed');
    if (r.outcome.status === 'failed') {
      expect(r.outcome.msg).to.match(/^h1: put \/etc\/play-denied\.conf: .*Permission denied/);
      expect(r.outcome.msg).to.include('denied to login user deploy, without become');
      expect(r.outcome.msg).to.include(`(task 'root-owned config' at ${pb}:4)`);
    }
    expect(statuses(run, 'h2')).to.deep.equal({ 'root-owned config': 'changed', after: 'changed' });
    expect(statuses(run, 'h1')).to.deep.equal({ 'root-owned config': 'failed' });
    expect(recap(run).h1).to.include({ failed: 1 });
    expect(await leftovers()).to.equal('');
    const again = await play([pb, ...common(), '--state-dir', state]);
    expect(statuses(again, 'h2'), 'h2\'s finished work was recorded').to.deep.equal({ 'root-owned config': 'skipped:done-before', after: 'skipped:done-before' });
  });

  it('ignore_errors lets the denied host go on', async () => {
    const run = await play([writePlaybook(denied('      ignore_errors: true\n')), ...common(), '--no-state']);
    expect(run.code, run.stdout.slice(-2000)).to.equal(0);
    expect(statuses(run, 'h1')).to.deep.equal({ 'root-owned config': 'failed', after: 'changed' });
    expect(recap(run).h1).to.include({ failed: 0, ok: 1 });
  });

  it('rescue takes the denied write over', async () => {
    const pb = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - block:\n        - name: root-owned config\n          copy: {dest: /etc/play-denied.conf, content: "x=1\\n"}\n      rescue:\n        - name: fallback\n          copy: {dest: "/tmp/play-fallback-{{ inventory_hostname }}.conf", content: "x=1\\n"}\n`);
    const run = await play([pb, ...common(), '--no-state']);
    expect(run.code, run.stdout.slice(-2000)).to.equal(0);
    expect(statuses(run, 'h1')).to.deep.equal({ 'root-owned config': 'failed', fallback: 'changed' });
    expect(statuses(run, "h2")["root-owned config"]).to.match(/^(changed|ok)$/);
    expect((await tb.current.hosts[0]!.exec('stat -c %U /tmp/play-fallback-h1.conf')).stdout).to.equal('deploy\n');
  });

  it('become where sudo wants a password fails the host clearly and leaves no uploaded secret behind', async () => {
    const secret = randomBytes(12).toString('hex');
    const pb = writePlaybook(`- hosts: h1\n  gather_facts: false\n  become: true\n  tasks:\n    - name: secret config\n      copy: {dest: /etc/play-secret.conf, content: "key=${secret}\\n"}\n`);
    const run = await play([pb, ...common(), '--no-state']);
    expect(run.code, run.stdout.slice(-2000)).to.equal(2);
    expect(run.stderr).to.not.include('internal error');
    expect(recap(run).h1).to.include({ failed: 1 });
    const r = results(run, { host: 'h1', task: 'secret config' })[0]!;
    expect(r.outcome.status === 'failed' && r.outcome.msg).to.match(/^h1: .*wants a password for root.*\(task 'secret config' at .*pb\.yml:5\)$/s);
    expect(await leftovers()).to.equal('');
    const grep = await tb.current.hosts[0]!.exec(`grep -rl ${secret} /tmp /etc 2>/dev/null || true`);
    expect(grep.stdout).to.equal('');
  });
});

function writePlaybook(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'play-pb-')), 'pb.yml');
  writeFileSync(p, text);
  return p;
}
