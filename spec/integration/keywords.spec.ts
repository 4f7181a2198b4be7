// Execution keywords on real SSH hosts through the built CLI: a templated become_user reaches sudo
// rendered, delegate_to runs on another host or the controller, remote_user logs in as that user,
// run_once and serial shape where and when tasks run, check_mode per task, any_errors_fatal.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { play, recap, results, statuses } from '../support/play.js';
import { useTestbed } from '../support/testbed.js';

describe('execution keywords on real SSH hosts', function () {
  this.timeout(120000);
  const tb = useTestbed(3);
  let dir: string;
  let inv: string;

  before(async function () {
    this.timeout(60000);
    for (const h of tb.current.hosts) await h.exec("id writer >/dev/null 2>&1 || useradd -m -s /bin/sh -p '*' writer; id deploy >/dev/null 2>&1 || useradd -m -s /bin/sh -p '*' deploy");
    // h3 names no login user: the play's remote_user decides it there
    const doc = parse(readFileSync(tb.current.inventoryPath, 'utf8')) as { all: { children: Record<string, { hosts: Record<string, Record<string, unknown>> }> } };
    delete doc.all.children.testhosts!.hosts.h3!.ansible_user;
    dir = mkdtempSync(join(tmpdir(), 'play-kw-'));
    inv = join(dir, 'hosts.yml');
    writeFileSync(inv, stringify(doc));
  });

  const run = (yml: string, extra: string[] = []) => {
    const pb = join(dir, `pb-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(pb, yml);
    return play([pb, '-i', inv, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', ...extra]);
  };
  const host = (n: number) => tb.current.hosts[n]!;

  it('become_user from a variable reaches sudo rendered; delegate_to runs on the delegate with the host\'s vars', async () => {
    const marker = join(dir, 'from-controller');
    const r = await run(`- hosts: h1,h2
  gather_facts: false
  vars:
    writer: writer
  tasks:
    - name: as writer
      command: whoami
      become: true
      become_user: "{{ writer }}"
      register: who
    - name: record
      copy: {dest: /tmp/kw-who, content: "{{ who.stdout }}"}
    - name: on h3
      copy: {dest: "/tmp/kw-for-{{ inventory_hostname }}", content: "{{ inventory_hostname }}"}
      delegate_to: h3
    - name: on the controller
      command: "touch ${marker}-{{ inventory_hostname }}"
      delegate_to: localhost
`);
    expect(r.code, r.stdout.slice(-3000) + r.stderr).to.equal(0);
    expect((await host(0).exec('cat /tmp/kw-who')).stdout).to.equal('writer');
    expect((await host(2).exec('cat /tmp/kw-for-h1 /tmp/kw-for-h2')).stdout).to.equal('h1h2');
    expect((await host(0).exec('ls /tmp/kw-for-h1 2>/dev/null || echo none')).stdout.trim()).to.equal('none');
    expect(existsSync(`${marker}-h1`) && existsSync(`${marker}-h2`)).to.equal(true);
  });

  it('remote_user logs in as that user where the host names none; ansible_user wins where it does', async () => {
    const r = await run(`- hosts: h1,h3
  gather_facts: false
  remote_user: deploy
  tasks:
    - name: who
      command: whoami
      register: w
    - name: show
      debug: {msg: "{{ w.stdout }}"}
`);
    expect(r.code, r.stdout.slice(-3000) + r.stderr).to.equal(0);
    const shown = (h: string) => results(r, { host: h, task: 'show' })[0]?.message;
    expect(shown('h3')).to.equal('deploy');
    expect(shown('h1')).to.equal('root');
  });

  it('serial runs the play batch by batch; run_once runs once per batch and shares its result', async () => {
    const r = await run(`- hosts: h1,h2,h3
  gather_facts: false
  serial: 2
  tasks:
    - name: stamp
      shell: "date +%s%N > /tmp/kw-once; echo {{ inventory_hostname }}"
      run_once: true
      register: once
    - name: note
      copy: {dest: /tmp/kw-note, content: "{{ once.stdout }}"}
`);
    expect(r.code, r.stdout.slice(-3000) + r.stderr).to.equal(0);
    const cat = async (n: number) => (await host(n).exec('cat /tmp/kw-note; test -e /tmp/kw-once && echo " once" || true')).stdout.trim();
    expect(await cat(0)).to.equal('h1 once');
    expect(await cat(1)).to.equal('h1');
    expect(await cat(2), 'the second batch runs it again, on its first host').to.equal('h3 once');
  });

  it('check_mode: true leaves the host alone in a real run; check_mode: false changes it under --check', async () => {
    await host(0).exec('rm -f /tmp/kw-dry /tmp/kw-wet');
    const r = await run(`- hosts: h1
  gather_facts: false
  tasks:
    - name: dry
      copy: {dest: /tmp/kw-dry, content: "x"}
      check_mode: true
    - name: wet
      copy: {dest: /tmp/kw-wet, content: "y"}
      check_mode: false
`, ['--check']);
    expect(r.code, r.stdout.slice(-3000) + r.stderr).to.equal(0);
    expect(statuses(r, 'h1')).to.deep.equal({ dry: 'changed', wet: 'changed' });
    expect((await host(0).exec('ls /tmp/kw-dry /tmp/kw-wet 2>&1')).stdout).to.match(/kw-dry.*No such file[\s\S]*\/tmp\/kw-wet/);
  });

  it('any_errors_fatal: one host\'s failure stops every host, and later plays do not run', async () => {
    await host(1).exec('rm -f /tmp/kw-after');
    const r = await run(`- hosts: h1,h2
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: maybe fail
      command: "test {{ inventory_hostname }} != h1"
    - name: after
      copy: {dest: /tmp/kw-after, content: "z"}
- hosts: h3
  gather_facts: false
  tasks:
    - name: later
      command: "true"
`);
    expect(r.code).to.equal(2);
    expect(statuses(r, 'h1')).to.deep.equal({ 'maybe fail': 'failed' });
    expect(statuses(r, 'h2')).to.deep.equal({ 'maybe fail': 'changed' });
    expect(results(r, { host: 'h3' })).to.have.length(0);
    expect(recap(r).h2).to.include({ failed: 0 });
    expect((await host(1).exec('test -e /tmp/kw-after && echo yes || echo no')).stdout.trim()).to.equal('no');
  });
});
