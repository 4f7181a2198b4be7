// 50 hosts x 30 tasks through the real CLI: the run succeeds, peak RSS (VmHWM sampled from /proc, plus
// the child's own maxRSS at exit) stays under a generous guard, and open fds do not grow across runs.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { recap } from '../support/play.js';
import { fdCount, runCli, tempDir } from './support.js';

const HOSTS = 50;
const TASKS = 30;
const RSS_GUARD_KB = 400 * 1024;

function playbook(): string {
  const tasks: string[] = ['    - name: dir\n      file: {path: /srv/load, state: directory}\n'];
  for (let i = 1; i < TASKS; i++) {
    tasks.push(i % 3 === 0
      ? `    - name: cmd ${i}\n      command: "echo {{ inventory_hostname }} ${i}"\n`
      : i % 3 === 1
        ? `    - name: copy ${i}\n      copy: {dest: /srv/load/f${i}.txt, content: "{{ inventory_hostname }} ${i}\\n"}\n`
        : `    - name: line ${i}\n      lineinfile: {path: /srv/load/lines.txt, line: "line ${i}", create: true}\n`);
  }
  return `- hosts: testhosts\n  gather_facts: false\n  tasks:\n${tasks.join('')}`;
}

describe(`load: ${HOSTS} hosts x ${TASKS} tasks`, function () {
  const tb = useTestbed(HOSTS);

  it('completes without error; peak RSS bounded; no fd growth across two runs', async () => {
    const dir = tempDir('load');
    const pb = join(dir, 'pb.yml');
    writeFileSync(pb, playbook());
    const args = [pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--state-dir', join(dir, 'state')];
    const fdsBefore = fdCount('self');
    const first = await runCli(args);
    const fdsBetween = fdCount('self');
    const second = await runCli([...args, '--force']);
    const fdsAfter = fdCount('self');
    for (const [name, r] of [['first', first], ['second', second]] as const) {
      expect(r.code, `${name}: ${r.stderr}`).to.equal(0);
      const tallies = recap(r);
      expect(Object.keys(tallies).length).to.equal(HOSTS);
      for (const [h, t] of Object.entries(tallies)) {
        expect(t.failed + t.unreachable, `${name} ${h}`).to.equal(0);
        expect(t.ok + t.changed, `${name} ${h}: every task ran`).to.equal(TASKS);
      }
      expect(r.peakRssKb, `${name} peak RSS`).to.be.greaterThan(0).and.lessThan(RSS_GUARD_KB);
    }
    // the runner's own fds stay bounded by the hosts it talks to (about two per host: the socket and
    // its timers/pipes) in both runs. The peak is sampled, so a run sampled before every connection
    // opened reads lower: compare each with the bound, not the runs with each other.
    const fdBound = HOSTS * 2 + 30;
    for (const r of [first, second]) expect(r.maxFds, `child fds first ${first.maxFds}, second ${second.maxFds}`).to.be.at.most(fdBound);
    // and this test process holds no more fds after the runs than before
    expect(fdsAfter).to.be.at.most(fdsBefore + 2);
    console.log(`      ${HOSTS}x${TASKS}: peak RSS ${(first.peakRssKb / 1024).toFixed(0)} MB / ${(second.peakRssKb / 1024).toFixed(0)} MB; `
      + `child max fds ${first.maxFds} / ${second.maxFds}; test fds before/between/after ${fdsBefore}/${fdsBetween}/${fdsAfter}; `
      + `events ${first.events.length}`);
  });
});
