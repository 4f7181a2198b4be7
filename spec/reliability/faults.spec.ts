// Faults against real test hosts: a host down from the start, sshd killed mid-task (and the resume
// after it returns), hanging commands and timeouts, the runner SIGKILLed or interrupted mid-run, a full
// disk under the state store, and a host whose key changed.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { useTestbed } from '../support/testbed.js';
import { play, recap, results, statuses } from '../support/play.js';
import type { TestHost } from '../../testbed/host.js';
import { runCli, tempDir } from './support.js';

async function until(what: string, fn: () => Promise<boolean>, limitMs = 60000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exists = (h: TestHost, path: string) => async () => (await h.exec(`test -e ${path}`)).code === 0;

function writePlaybook(text: string): string {
  const p = join(tempDir('pb'), 'pb.yml');
  writeFileSync(p, text);
  return p;
}

/** Five steps, one second each, each appending its number to /srv/<dir>/log. */
const steps = (dir: string) => `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: mkdir
      file: {path: /srv/${dir}, state: directory}
${[1, 2, 3, 4, 5].map((n) => `    - name: step ${n}\n      shell: sleep 1; echo ${n} >> /srv/${dir}/log\n`).join('')}`;

describe('faults on real hosts', function () {
  const tb = useTestbed(3);
  const common = () => ['-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json'];

  it('a host down from the start is unreachable; the others finish; exit 3', async () => {
    const inv = join(tempDir('inv'), 'hosts.yml');
    const doc = parse(readFileSync(tb.current.inventoryPath, 'utf8')) as { all: { children: Record<string, { hosts: Record<string, unknown> }> } };
    doc.all.children.testhosts!.hosts.down = { ansible_host: '127.0.60.249', ansible_port: 22, ansible_user: 'root', ansible_ssh_private_key_file: tb.current.clientKeyPath };
    writeFileSync(inv, stringify(doc));
    const pb = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - name: mark\n      copy: {dest: /srv/down-test.txt, content: "x\\n"}\n`);
    const r = await play([pb, '-i', inv, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state']);
    expect(r.code, r.stderr).to.equal(3);
    expect(recap(r).down!.unreachable).to.equal(1);
    const ev = r.events.find((e) => e.kind === 'host_unreachable' && e.host === 'down');
    expect(ev && ev.kind === 'host_unreachable' ? ev.msg : '').to.match(/127\.0\.60\.249|refused|connect/i);
    for (const h of tb.current.hosts) expect((await h.exec('cat /srv/down-test.txt')).stdout).to.equal('x\n');
  });

  it('sshd killed mid-task: that host is unreachable at that task, the others finish; the next run resumes it', async () => {
    const h2 = tb.current.hosts[1]!;
    const stateDir = tempDir('state');
    const pb = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: first
      copy: {dest: /srv/kill-first.txt, content: "1\\n"}
    - name: sleepy
      shell: touch /srv/kill-started; sleep 4; touch /srv/kill-sleepy
    - name: after
      copy: {dest: /srv/kill-after.txt, content: "3\\n"}
`);
    const running = play([pb, ...common(), '--state-dir', stateDir]);
    await until('the sleepy task started on h2', exists(h2, '/srv/kill-started'));
    await h2.killSshd();
    const r = await running;
    expect(r.code, r.stderr).to.equal(3);
    const un = r.events.find((e) => e.kind === 'host_unreachable' && e.host === 'h2');
    expect(un && un.kind === 'host_unreachable' ? un.task : undefined, JSON.stringify(un)).to.equal('sleepy');
    expect(statuses(r, 'h2')).to.deep.equal({ first: 'changed', sleepy: 'unreachable' });
    for (const h of ['h1', 'h3']) expect(statuses(r, h)).to.deep.equal({ first: 'changed', sleepy: 'changed', after: 'changed' });
    await h2.restartSshd();
    const again = await play([pb, ...common(), '--state-dir', stateDir]);
    expect(again.code, again.stderr).to.equal(0);
    expect(statuses(again, 'h2')).to.deep.equal({ first: 'skipped:done-before', sleepy: 'changed', after: 'changed' });
    expect(statuses(again, 'h1')).to.deep.equal({ first: 'skipped:done-before', sleepy: 'skipped:done-before', after: 'skipped:done-before' });
    expect((await h2.exec('test -e /srv/kill-sleepy && cat /srv/kill-after.txt')).stdout).to.equal('3\n');
  });

  it('a hanging command is ended by `timeout:` and by --task-timeout; the failure is reported; the connection still works', async () => {
    const pb = writePlaybook(`- hosts: h1
  gather_facts: false
  tasks:
    - name: hangs with keyword
      command: sleep 1000
      timeout: 2
      ignore_errors: true
    - name: alive after keyword
      command: echo alive-1
    - name: hangs with default
      shell: sleep 1000
      ignore_errors: true
    - name: alive after default
      command: echo alive-2
`);
    const r = await play([pb, ...common(), '--no-state', '--task-timeout', '3']);
    expect(r.code, r.stderr).to.equal(0);
    expect(statuses(r, 'h1')).to.deep.equal({ 'hangs with keyword': 'failed', 'alive after keyword': 'changed', 'hangs with default': 'failed', 'alive after default': 'changed' });
    for (const [task, secs] of [['hangs with keyword', 2], ['hangs with default', 3]] as const) {
      const o = results(r, { host: 'h1', task })[0]!.outcome;
      expect(o.status === 'failed' ? o.msg : '', task).to.match(new RegExp(`timed? ?out.*${secs} ?s|${secs} ?s.*timed? ?out|timeout`, 'i'));
    }
    expect((await tb.current.hosts[0]!.exec("pgrep -f 'slee[p] 1000' || echo none")).stdout.trim(), 'the hung commands were killed').to.equal('none');
  });

  it('the runner SIGKILLed mid-run, then rerun: the work completes and finished tasks are not redone', async () => {
    const stateDir = tempDir('state');
    const h1 = tb.current.hosts[0]!;
    const pb = writePlaybook(steps('sigkill'));
    const killed = await runCli([pb, ...common(), '--state-dir', stateDir], {
      signal: { name: 'SIGKILL', when: () => until('step 2 done on h1', async () => (await h1.exec('cat /srv/sigkill/log 2>/dev/null')).stdout.includes('2\n')) },
    });
    expect(killed.code).to.equal(137);
    const again = await play([pb, ...common(), '--state-dir', stateDir]);
    expect(again.code, again.stderr).to.equal(0);
    for (const h of tb.current.hosts) {
      const log = (await h.exec('cat /srv/sigkill/log')).stdout.trim().split('\n');
      expect([...new Set(log)].sort(), `${h.name} log`).to.deep.equal(['1', '2', '3', '4', '5']);
      expect(statuses(again, h.name)['step 1'], `${h.name}: step 1 recorded before the kill`).to.equal('skipped:done-before');
      expect(statuses(again, h.name)['step 5']).to.equal('changed');
    }
  });

  it('SIGINT stops cleanly, records the finished tasks and exits 130', async () => {
    const stateDir = tempDir('state');
    const h1 = tb.current.hosts[0]!;
    const pb = writePlaybook(steps('sigint'));
    const r = await runCli([pb, ...common(), '--state-dir', stateDir], {
      signal: { name: 'SIGINT', when: () => until('step 2 done on h1', async () => (await h1.exec('cat /srv/sigint/log 2>/dev/null')).stdout.includes('2\n')) },
    });
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stderr).to.include('Interrupted');
    const log = (await h1.exec('cat /srv/sigint/log')).stdout.trim().split('\n');
    expect(log.length, 'stopped before the end').to.be.lessThan(5);
    const shown = await play(['state', 'show', '--state-dir', stateDir, '--json']);
    expect(shown.code, shown.stderr).to.equal(0);
    const rows = JSON.parse(shown.stdout) as Array<{ host: string; tasks: Array<{ id: string }> }>;
    const h1row = rows.find((x) => x.host === 'h1')!;
    // mkdir plus every step that finished on h1 is recorded
    expect(h1row.tasks.length).to.equal(1 + log.length);
  });

  describe('the controller disk is full when the state is written', () => {
    let mnt: string;
    before(() => {
      mnt = tempDir('tmpfs');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
    });
    after(() => {
      execFileSync('umount', ['-l', mnt]);
    });

    it('a clear error, exit 6, and the store stays readable with its previous records', async () => {
      const stateDir = join(mnt, 'state');
      mkdirSync(stateDir);
      const pb1 = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - name: before full\n      copy: {dest: /srv/full-1.txt, content: "1\\n"}\n`);
      const first = await play([pb1, ...common(), '--state-dir', stateDir]);
      expect(first.code, first.stderr).to.equal(0);
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(mnt, 'fill')}`, 'bs=4k'], { stdio: 'ignore' });
      } catch { /* ENOSPC is the point */ }
      const pb2 = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n${Array.from({ length: 20 }, (_, i) => `    - name: when full ${i}\n      copy: {dest: /srv/full-2-${i}.txt, content: "${'y'.repeat(200)}\\n"}\n`).join('')}`);
      const full = await play([pb2, ...common(), '--state-dir', stateDir]);
      expect(full.code, full.stderr + full.stdout.slice(-2000)).to.equal(6);
      expect(full.stderr).to.match(/^play: .*(no space|ENOSPC)/im);
      const shown = await play(['state', 'show', '--state-dir', stateDir, '--json']);
      expect(shown.code, shown.stderr).to.equal(0);
      const rows = JSON.parse(shown.stdout) as Array<{ host: string; tasks: Array<{ id: string }> }>;
      for (const h of tb.current.hosts) {
        const ids = rows.find((x) => x.host === h.name)!.tasks.map((t) => t.id);
        expect(ids.some((id) => id.endsWith('/before full')), `${h.name}: ${ids.join(', ')}`).to.equal(true);
      }
    });
  });

  it('a host whose key changed is refused with a clear message; --ssh-host-key-check off accepts it', async () => {
    const kh = join(tempDir('kh'), 'known_hosts');
    const other = join(tempDir('key'), 'k');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const fake = readFileSync(`${other}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const h3 = tb.current.hosts[2]!;
    const lines = readFileSync(tb.current.knownHostsPath, 'utf8').split('\n').map((l) => (l.startsWith(`${h3.ip} `) ? `${h3.ip} ${fake}` : l));
    writeFileSync(kh, lines.join('\n'));
    const pb = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - name: reach\n      command: "true"\n`);
    const strict = await play([pb, '-i', tb.current.inventoryPath, '--known-hosts', kh, '--json', '--no-state']);
    expect(strict.code, strict.stderr).to.equal(3);
    expect(recap(strict).h3!.unreachable).to.equal(1);
    const ev = strict.events.find((e) => e.kind === 'host_unreachable' && e.host === 'h3');
    expect(ev && ev.kind === 'host_unreachable' ? ev.msg : '').to.match(/host key/i);
    const off = await play([pb, '-i', tb.current.inventoryPath, '--known-hosts', kh, '--json', '--no-state', '--ssh-host-key-check', 'off']);
    expect(off.code, off.stderr).to.equal(0);
    expect(statuses(off, 'h3')).to.deep.equal({ reach: 'changed' });
  });
});
