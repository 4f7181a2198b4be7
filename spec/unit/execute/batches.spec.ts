// Keywords that act on a play's batch of hosts, over fake hosts: run_once, any_errors_fatal, serial,
// max_fail_percentage, and the end of the playbook when a whole batch failed (Ansible 2.14's rules).
import { expect } from 'chai';
import type { RunEvent } from '../../../runner/events.js';
import { FakeConnection, outcomes, runFake, type FakeRun } from '../../support/fake-host.js';

const INV = (n: number) => `all:\n  children:\n    web:\n      hosts:\n${Array.from({ length: n }, (_, i) => `        h${i + 1}: {}\n`).join('')}`;
const play = (tasks: string, extra = '') => `- hosts: web\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;
const message = (r: FakeRun, host: string, task: string): string =>
  r.events.flatMap((e) => (e.kind === 'host_result' && e.host === host && e.task === task ? [e.message ?? ''] : []))[0] ?? '';
const recap = (r: FakeRun, h: string) => {
  const e = r.events.find((x): x is Extract<RunEvent, { kind: 'recap' }> => x.kind === 'recap');
  return e!.hosts[h]!;
};
/** Fake hosts that log every task command ("h1:A") in one list, in the order they ran. */
function logged(names: string[], fail: Record<string, RegExp> = {}) {
  const log: string[] = [];
  const conns: Record<string, FakeConnection> = {};
  for (const n of names) {
    conns[n] = new FakeConnection(n, [{
      match: /^echo [A-Z]+/,
      reply: (cmd) => {
        log.push(`${n}:${/^echo ([A-Z]+)/.exec(cmd)![1]}`);
        return fail[n]?.test(cmd) ? { code: 1, stderr: 'boom' } : {};
      },
    }]);
  }
  return { log, conns };
}

describe('batch keywords', () => {
  describe('run_once', () => {
    it('runs on the first host only; its result and set_fact values reach every host; a handler only where it ran', async () => {
      const r = await runFake(play(
        '    - shell: echo ONCE\n      run_once: true\n      register: once\n      notify: h\n    - set_fact: {picked: "{{ inventory_hostname }}"}\n      run_once: "{{ yes_please }}"\n' +
        '    - name: show\n      debug: {msg: "{{ once.rc }} {{ picked }}"}\n',
        '  vars:\n    yes_please: true\n',
      ) + '  handlers:\n    - name: h\n      shell: echo HANDLER\n');
      expect(r.conns.get('h1')!.ran(/echo ONCE/)).to.have.length(1);
      expect(r.conns.get('h2')!.ran(/echo ONCE/)).to.have.length(0);
      expect(message(r, 'h2', 'show')).to.equal('0 h1');
      expect(outcomes(r, 'h2')).to.deep.equal(['show=ok'], 'run_once reports the one host that ran it');
      expect(r.conns.get('h1')!.ran(/HANDLER/)).to.have.length(1);
      expect(r.conns.get('h2')!.ran(/HANDLER/)).to.have.length(0);
    });

    it('a failed run_once ends the play for every host, as any_errors_fatal does; only the host that ran it counts a failure', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3'], { h1: /ONCE/ });
      const r = await runFake(play('    - shell: echo ONCE\n      run_once: true\n    - shell: echo AFTER\n') + '- hosts: web\n  gather_facts: false\n  tasks:\n    - shell: echo NEXTPLAY\n', { inventory: INV(3), conns });
      expect(log).to.deep.equal(['h1:ONCE']);
      expect(recap(r, 'h1')).to.include({ failed: 1 });
      expect(recap(r, 'h2')).to.include({ failed: 0, ok: 0 });
      expect(r.summary.exitCode).to.equal(2);
    });
  });

  describe('any_errors_fatal', () => {
    it('one host\'s failure halts every host after that task, and no later play runs', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3'], { h2: /ONE/ });
      const r = await runFake(play('    - shell: echo ONE\n    - shell: echo TWO\n', '  any_errors_fatal: true\n') + '- hosts: web\n  gather_facts: false\n  tasks:\n    - shell: echo LATER\n', { inventory: INV(3), conns });
      expect(log.sort()).to.deep.equal(['h1:ONE', 'h2:ONE', 'h3:ONE']);
      expect(recap(r, 'h2')).to.include({ failed: 1 });
      expect(recap(r, 'h1')).to.include({ failed: 0, changed: 1 });
    });

    it('a failure a rescue takes over is not fatal (Ansible 2.14): the rescue runs, the others go on', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3'], { h1: /ONE/ });
      await runFake(play('    - block:\n        - shell: echo ONE\n          any_errors_fatal: true\n        - shell: echo TWO\n      rescue:\n        - shell: echo RESCUE\n    - shell: echo AFTER\n', '  serial: 2\n') +
        '- hosts: h3\n  gather_facts: false\n  tasks:\n    - shell: echo LATER\n', { conns, inventory: INV(3) });
      expect(log.filter((l) => !l.startsWith('h3')).sort()).to.deep.equal(['h1:AFTER', 'h1:ONE', 'h1:RESCUE', 'h2:AFTER', 'h2:ONE', 'h2:TWO']);
      expect(log.filter((l) => l.startsWith('h3'))).to.deep.equal(['h3:ONE', 'h3:TWO', 'h3:AFTER', 'h3:LATER']);
    });

    it('ignore_errors keeps a failure from being fatal', async () => {
      const { log, conns } = logged(['h1', 'h2'], { h1: /ONE/ });
      await runFake(play('    - shell: echo ONE\n      ignore_errors: true\n    - shell: echo TWO\n', '  any_errors_fatal: true\n'), { conns });
      expect(log.sort()).to.deep.equal(['h1:ONE', 'h1:TWO', 'h2:ONE', 'h2:TWO']);
    });
  });

  describe('serial', () => {
    it('runs the whole play on each batch in turn: [1, "50%"] of 3 hosts is 1, 1, 1', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3']);
      const r = await runFake(play('    - shell: echo A\n    - name: batch\n      debug: {msg: "{{ ansible_play_batch }} {{ ansible_play_hosts_all }}"}\n    - shell: echo B\n', '  serial: [1, "50%"]\n'), { inventory: INV(3), conns });
      expect(log).to.deep.equal(['h1:A', 'h1:B', 'h2:A', 'h2:B', 'h3:A', 'h3:B']);
      expect(message(r, 'h2', 'batch')).to.equal("['h2'] ['h1', 'h2', 'h3']");
    });

    it('a count splits in order, the last batch smaller; handlers run at the end of each batch', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3']);
      await runFake(play('    - shell: echo A\n      notify: hh\n', '  serial: 2\n') + '  handlers:\n    - name: hh\n      shell: echo H\n', { inventory: INV(3), conns });
      expect(log.slice(0, 4).sort()).to.deep.equal(['h1:A', 'h1:H', 'h2:A', 'h2:H']);
      expect(log.slice(4)).to.deep.equal(['h3:A', 'h3:H']);
    });

    it('a batch where every host failed ends the play and the playbook', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3'], { h1: /A/ });
      const r = await runFake(play('    - shell: echo A\n', '  serial: 1\n') + '- hosts: web\n  gather_facts: false\n  tasks:\n    - shell: echo LATER\n', { inventory: INV(3), conns });
      expect(log).to.deep.equal(['h1:A']);
      expect(r.summary.exitCode).to.equal(2);
    });

    it('without serial too: when every host of a play failed, later plays do not run', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3'], { h1: /A/, h2: /A/ });
      await runFake('- hosts: h1,h2\n  gather_facts: false\n  tasks:\n    - shell: echo A\n- hosts: h3\n  gather_facts: false\n  tasks:\n    - shell: echo LATER\n', { inventory: INV(3), conns });
      expect(log.sort()).to.deep.equal(['h1:A', 'h2:A']);
    });
  });

  describe('throttle and order', () => {
    /** Hosts whose task command yields once, so that hosts running at the same time overlap; counts how many did. */
    function overlapping(names: string[]) {
      const seen = { now: 0, max: 0 };
      const conns: Record<string, FakeConnection> = {};
      for (const n of names) {
        const c = new FakeConnection(n);
        const exec = c.exec.bind(c);
        c.exec = async (cmd, o) => {
          if (!/^echo T/.test(cmd)) return exec(cmd, o);
          seen.now++;
          seen.max = Math.max(seen.max, seen.now);
          await new Promise((r) => setImmediate(r));
          seen.now--;
          return exec(cmd, o);
        };
        conns[n] = c;
      }
      return { seen, conns };
    }

    it('throttle caps how many hosts run a task at once', async () => {
      const free = overlapping(['h1', 'h2', 'h3']);
      await runFake(play('    - shell: echo T\n'), { inventory: INV(3), conns: free.conns });
      expect(free.seen.max).to.equal(3);
      const one = overlapping(['h1', 'h2', 'h3']);
      await runFake(play('    - shell: echo T\n      throttle: "{{ at_once }}"\n', '  vars:\n    at_once: 1\n'), { inventory: INV(3), conns: one.conns });
      expect(one.seen.max).to.equal(1);
    });

    it('order: reverse_inventory and sorted decide the batches', async () => {
      const rev = logged(['h1', 'h2', 'h3']);
      await runFake(play('    - shell: echo A\n', '  serial: 1\n  order: reverse_inventory\n'), { inventory: INV(3), conns: rev.conns });
      expect(rev.log).to.deep.equal(['h3:A', 'h2:A', 'h1:A']);
      const inv = 'all:\n  children:\n    web:\n      hosts:\n        b: {}\n        c: {}\n        a: {}\n';
      const srt = logged(['a', 'b', 'c']);
      await runFake(play('    - shell: echo A\n', '  serial: 1\n  order: sorted\n'), { inventory: inv, conns: srt.conns });
      expect(srt.log).to.deep.equal(['a:A', 'b:A', 'c:A']);
    });
  });

  describe('max_fail_percentage', () => {
    it('more failures than allowed halt the rest of the batch', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3'], { h1: /A/ });
      const r = await runFake(play('    - shell: echo A\n    - shell: echo B\n', '  max_fail_percentage: 30\n'), { inventory: INV(3), conns });
      expect(log.sort()).to.deep.equal(['h1:A', 'h2:A', 'h3:A']);
      expect(r.summary.exitCode).to.equal(2);
    });

    it('as many as allowed go on', async () => {
      const { log, conns } = logged(['h1', 'h2', 'h3'], { h1: /A/ });
      await runFake(play('    - shell: echo A\n    - shell: echo B\n', '  max_fail_percentage: 34\n'), { inventory: INV(3), conns });
      expect(log.sort()).to.deep.equal(['h1:A', 'h2:A', 'h2:B', 'h3:A', 'h3:B']);
    });
  });
});
