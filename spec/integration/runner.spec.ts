// The runner against real SSH test hosts: modules twice, handlers, --check, --limit, failures, unreachable.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parse, stringify } from 'yaml';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, recap, results, statuses, ROOT } from '../support/play.js';

const FIX = join(ROOT, 'spec', 'fixtures', 'runner');

describe('runner on real SSH hosts', function () {
  const tb = useTestbed(3);
  const common = () => ['-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json'];
  const stateDir = () => mkdtempSync(join(tmpdir(), 'play-state-'));

  it('runs every builtin module: changed first, ok with nothing changed the second time', async () => {
    const first = await play([join(FIX, 'modules.yml'), ...common(), '--no-state']);
    expect(first.code, first.stderr + first.stdout.slice(-3000)).to.equal(0);
    for (const h of tb.current.hosts) {
      const s = statuses(first, h.name);
      for (const task of ['templated config', 'a directory', 'a touched file', 'a link', 'copy content', 'a line in a file', 'command with creates', 'shell with creates', 'a group', 'a user', 'a small package from Debian', 'an init script', 'the service runs']) {
        expect(s[task], `${h.name} ${task}`).to.equal('changed');
      }
      expect(s['nothing where nothing should be']).to.equal('ok');
    }
    const second = await play([join(FIX, 'modules.yml'), ...common(), '--no-state']);
    expect(second.code, second.stderr).to.equal(0);
    // Like Ansible, touch always updates the times: it is the one task expected to change again.
    for (const [host, t] of Object.entries(recap(second))) expect(t.changed - 1, `${host} changed on second run: ${JSON.stringify(results(second, { host }).filter((r) => r.outcome.status === 'changed'))}`).to.equal(0);
    const h = tb.current.hosts[0]!;
    const check = await h.exec('stat -c %a /srv/play/dir; cat /srv/play/dir/content.txt /srv/play/dir/lines.txt; cat /srv/play/dir/answer; readlink /srv/play/link; id -nG playuser; dpkg-query -W -f=\'${Status}\' hello; /etc/init.d/playdemo status && echo running; cat /etc/play-demo.conf');
    expect(check.stdout).to.include('750\nline one\nmanaged by play\n42\n/srv/play/dir\nplaygrp\ninstall ok installed');
    expect(check.stdout).to.include('running');
    expect(check.stdout).to.include(`# demo on ${h.name}\nport = 8080`);
  });

  it('runs a handler once per host at the end, only where notified', async () => {
    const dir = stateDir();
    const run = await play([join(FIX, 'handlers.yml'), ...common(), '--state-dir', dir]);
    expect(run.code, run.stderr).to.equal(0);
    const order = run.events.filter((e) => e.kind === 'task_start').map((e) => (e.kind === 'task_start' ? e.name : ''));
    expect(order.slice(-2), 'handlers last, in definition order').to.deep.equal(['restart thing', 'c handler']);
    for (const h of tb.current.hosts) {
      expect((await h.exec('cat /srv/play-h/restarts')).stdout).to.equal('restarted\n');
    }
    const again = await play([join(FIX, 'handlers.yml'), ...common(), '--state-dir', dir, '-e', 'version=2']);
    expect(again.code).to.equal(0);
    expect(statuses(again, 'h1')['config a']).to.equal('changed');
    expect(statuses(again, 'h1')['unrelated']).to.equal('skipped:done-before');
    const c = await tb.current.hosts[0]!.exec('cat /srv/play-h/restarts; cat /srv/play-h/c-handler');
    expect(c.stdout, 'restart ran once per run; the c handler only in the run that changed c').to.equal('restarted\nrestarted\nc\n');
  });

  it('--check changes nothing on the hosts and reports what would change', async () => {
    const pb = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - name: would write\n      copy: {dest: /srv/check-only.txt, content: "x\\n"}\n`);
    const run = await play([pb, ...common(), '--check', '--no-state']);
    expect(run.code).to.equal(0);
    for (const r of results(run)) {
      expect(r.outcome.status).to.equal('changed');
      if (r.outcome.status === 'changed') expect(r.outcome.summary).to.match(/^would /);
    }
    for (const h of tb.current.hosts) expect((await h.exec('test -e /srv/check-only.txt')).code).to.equal(1);
  });

  it('--limit runs only the selected hosts', async () => {
    const pb = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - name: limited\n      copy: {dest: /srv/limited.txt, content: "x\\n"}\n`);
    const run = await play([pb, ...common(), '--limit', 'h1,h3', '--no-state']);
    expect(run.code).to.equal(0);
    expect(Object.keys(recap(run)).sort()).to.deep.equal(['h1', 'h3']);
    const [h1, h2, h3] = tb.current.hosts;
    expect((await h1!.exec('cat /srv/limited.txt')).stdout).to.equal('x\n');
    expect((await h2!.exec('test -e /srv/limited.txt')).code).to.equal(1);
    expect((await h3!.exec('cat /srv/limited.txt')).stdout).to.equal('x\n');
  });

  it('runs hosts in parallel: a 2 s command on 3 hosts overlaps', async () => {
    const pb = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - name: stamp\n      shell: date +%s.%N > /srv/par-start; sleep 2; date +%s.%N > /srv/par-end\n`);
    const run = await play([pb, ...common(), '--no-state']);
    expect(run.code).to.equal(0);
    const spans = await Promise.all(tb.current.hosts.map(async (h) => (await h.exec('cat /srv/par-start /srv/par-end')).stdout.trim().split('\n').map(Number)));
    const latestStart = Math.max(...spans.map((s) => s[0]!));
    const earliestEnd = Math.min(...spans.map((s) => s[1]!));
    expect(latestStart, 'every host started before any finished').to.be.lessThan(earliestEnd);
  });

  it('a failed host leaves the play; the others go on; exit code 2', async () => {
    const run = await play([join(FIX, 'failing.yml'), ...common(), '--no-state']);
    expect(run.code).to.equal(2);
    expect(statuses(run, 'h2')['fail on the second host only']).to.equal('failed');
    expect(statuses(run, 'h2')['third']).to.equal(undefined);
    expect(statuses(run, 'h1')['third']).to.equal('changed');
    expect(statuses(run, 'h3')['third']).to.equal('changed');
    expect(recap(run).h2!.failed).to.equal(1);
  });

  it('become runs tasks through sudo -n as become_user; where sudo wants a password the task fails at once', async () => {
    const pb = writePlaybook(`- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: who\n      command: whoami\n      become: true\n      become_user: nobody\n      register: who\n    - name: it was nobody\n      assert: {that: ["who.stdout == 'nobody'"]}\n`);
    const asRoot = await play([pb, ...common(), '--no-state']);
    expect(asRoot.code, asRoot.stdout).to.equal(0);
    const h1 = tb.current.hosts[0]!;
    // A key-only account: '*' instead of useradd's '!' (sshd without PAM refuses locked accounts).
    await h1.exec("id deploy >/dev/null 2>&1 || useradd -m -s /bin/sh -p '*' deploy");
    const doc = parse(readFileSync(tb.current.inventoryPath, 'utf8')) as { all: { children: Record<string, { hosts: Record<string, Record<string, unknown>> }> } };
    doc.all.children.testhosts!.hosts.h1!.ansible_user = 'deploy';
    const inv = join(mkdtempSync(join(tmpdir(), 'play-inv-')), 'hosts.yml');
    writeFileSync(inv, stringify(doc));
    const pw = writePlaybook(`- hosts: h1\n  gather_facts: false\n  become: true\n  tasks:\n    - name: needs root\n      command: "true"\n`);
    const run = await play([pw, '-i', inv, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state']);
    expect(run.code, run.stdout.slice(-1500)).to.equal(2);
    const r = results(run, { host: 'h1', task: 'needs root' })[0]!;
    expect(r.outcome.status).to.equal('failed');
    if (r.outcome.status === 'failed') expect(r.outcome.msg).to.match(/wants a password for root/);
  });

  it('an unreachable host is reported unreachable; exit code 3; the others finish', async () => {
    const inv = join(mkdtempSync(join(tmpdir(), 'play-inv-')), 'hosts.yml');
    const text = readFileSync(tb.current.inventoryPath, 'utf8');
    const doc = parse(text) as { all: { children: Record<string, { hosts: Record<string, unknown> }> } };
    doc.all.children.testhosts!.hosts.ghost = { ansible_host: '127.0.99.250', ansible_port: 22 };
    writeFileSync(inv, stringify(doc));
    const pb = writePlaybook(`- hosts: all\n  gather_facts: false\n  tasks:\n    - name: reach\n      command: "true"\n`);
    const run = await play([pb, '-i', inv, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state']);
    expect(run.code, run.stderr + run.stdout).to.equal(3);
    expect(recap(run).ghost!.unreachable).to.equal(1);
    for (const h of tb.current.hosts) expect(recap(run)[h.name]!.changed).to.equal(1);
  });
});

function writePlaybook(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'play-pb-')), 'pb.yml');
  writeFileSync(p, text);
  return p;
}
