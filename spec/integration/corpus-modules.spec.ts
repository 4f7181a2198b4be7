// Modules real roles use, on real SSH hosts: script (sent from files/, its arguments through the
// shell, creates/chdir/executable, its rc), service's use: and sleep:, and rpm_key, which loads
// and fails on these Debian hosts with their family named.
import { expect } from 'chai';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, results, ROOT, type PlayRun } from '../support/play.js';

function project(playbook: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'play-cm-'));
  cpSync(join(ROOT, 'spec', 'fixtures', 'corpus-modules', 'files'), join(dir, 'files'), { recursive: true });
  writeFileSync(join(dir, 'pb.yml'), playbook);
  return join(dir, 'pb.yml');
}

const INIT = `#!/bin/sh
PID=/run/cmdemo.pid
case "$1" in
  start) start-stop-daemon --start --quiet --background --make-pidfile --pidfile $PID --exec /bin/sleep -- 100000 ;;
  stop) start-stop-daemon --stop --quiet --pidfile $PID --remove-pidfile --oknodo ;;
  restart) $0 stop; $0 start ;;
  status) start-stop-daemon --status --pidfile $PID ;;
  *) exit 3 ;;
esac
`;

describe('modules of real roles on real SSH hosts (script, service use/sleep, rpm_key)', function () {
  this.timeout(240000);
  const tb = useTestbed(1, { namePrefix: 'corpmod' });
  const run = (pb: string) => play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state']);
  const ok = (r: PlayRun) => expect(r.code, r.stderr + r.stdout.slice(-3000)).to.equal(0);
  const status = (r: PlayRun, task: string) => results(r, { task })[0]!.outcome.status;

  it('script: runs the role file with its shell-split arguments, creates= makes a rerun ok, chdir/executable, a failing rc fails', async () => {
    const pb = project(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: with arguments
      script: args.sh /srv/cm-args one "two words" creates=/srv/cm-args
      register: r
    - name: its output registered
      assert:
        that: ["r.rc == 0", "'ran with 2' in r.stdout"]
      when: r is changed
    - name: in a directory, by an interpreter
      script:
        cmd: where.sh
        chdir: /srv
        executable: /bin/sh
      register: w
    - name: where it ran
      assert:
        that: ["w.stdout is search('in /srv as /tmp/')"]
    - name: a failing script
      script: where.sh 3
      ignore_errors: true
`);
    const h = tb.current.hosts[0]!;
    await h.exec('rm -f /srv/cm-args');
    const r = await run(pb);
    ok(r);
    expect(status(r, 'with arguments')).to.equal('changed');
    expect(status(r, 'its output registered')).to.equal('ok');
    expect(status(r, 'where it ran')).to.equal('ok');
    expect(status(r, 'a failing script')).to.equal('failed');
    expect((await h.exec('cat /srv/cm-args')).stdout).to.equal('one\ntwo words\n');
    // the script's temp copies are gone
    expect((await h.exec('grep -l "args, one per line" /tmp/tmp.* 2>/dev/null | wc -l')).stdout.trim()).to.equal('0');
    const again = await run(pb);
    ok(again);
    expect(status(again, 'with arguments')).to.equal('ok');
    expect(status(again, 'its output registered')).to.equal('skipped');
  });

  it('service: use: service and sysvinit drive SysV init here, restart with sleep restarts, an unknown backend fails', async () => {
    const pb = project(`- hosts: testhosts
  gather_facts: false
  tasks:
    - copy: {dest: /etc/init.d/cmdemo, mode: "0755", content: ${JSON.stringify(INIT)}}
    - name: started
      service: {name: cmdemo, state: started, use: service}
    - command: cat /run/cmdemo.pid
      register: before
    - name: restarted
      service: {name: cmdemo, state: restarted, sleep: 1, use: sysvinit}
    - command: cat /run/cmdemo.pid
      register: after
    - name: a new process
      assert:
        that: ["before.stdout != after.stdout"]
    - name: openrc
      service: {name: cmdemo, state: started, use: openrc}
      ignore_errors: true
`);
    const r = await run(pb);
    ok(r);
    expect(status(r, 'started')).to.equal('changed');
    expect(status(r, 'restarted')).to.equal('changed');
    expect(status(r, 'a new process')).to.equal('ok');
    const bad = results(r, { task: 'openrc' })[0]!;
    expect(bad.outcome.status).to.equal('failed');
    expect(JSON.stringify(bad.outcome)).to.contain('use: openrc: play manages services through systemd or SysV init only');
    await tb.current.hosts[0]!.exec('/etc/init.d/cmdemo stop');
  });

  it('file times: touch with both preserved is idempotent, a timestamp is set once, now always changes', async () => {
    const pb = project(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: touch preserving
      file: {path: /srv/cm-times, state: touch, modification_time: preserve, access_time: preserve, mode: "0640"}
    - name: a timestamp
      file: {path: /srv/cm-times, modification_time: "202202081414.00", modification_time_format: "%Y%m%d%H%M.%S"}
    - name: access now
      file: path=/srv/cm-times access_time=now
    - name: another format
      file: {path: /srv/cm-times2, state: touch, modification_time: "2022-02-08", modification_time_format: "%Y-%m-%d", access_time: preserve}
`);
    const h = tb.current.hosts[0]!;
    await h.exec('rm -f /srv/cm-times /srv/cm-times2');
    const r = await run(pb);
    ok(r);
    expect(['touch preserving', 'a timestamp', 'access now', 'another format'].map((t) => status(r, t))).to.deep.equal(['changed', 'changed', 'changed', 'changed']);
    expect((await h.exec("stat -c '%a %y' /srv/cm-times")).stdout).to.match(/^640 2022-02-08 14:14:00/);
    expect((await h.exec("stat -c '%y' /srv/cm-times2")).stdout).to.match(/^2022-02-08 00:00:00/);
    const again = await run(pb);
    ok(again);
    expect(['touch preserving', 'a timestamp', 'access now', 'another format'].map((t) => status(again, t))).to.deep.equal(['ok', 'ok', 'changed', 'ok']);
  });

  it('rpm_key: loads as Ansible takes it, and fails on a Debian host with its family named', async () => {
    const pb = project(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: a key
      ansible.builtin.rpm_key: {key: "https://keys.example/KEY.public", state: present, fingerprint: "A4C0 B90D"}
      ignore_errors: true
`);
    const r = await run(pb);
    ok(r);
    const res = results(r, { task: 'a key' })[0]!;
    expect(res.outcome.status).to.equal('failed');
    expect(JSON.stringify(res.outcome)).to.match(/not supported on this host family \(debian/);
  });
});
