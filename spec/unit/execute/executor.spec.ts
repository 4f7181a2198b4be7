// The real executor (load -> compile -> execute) over in-memory fake hosts: handlers, blocks, loops,
// retries, register, the failure boundary and the state lookups, without SSH.
import { expect } from 'chai';
import { InvariantError } from '../../../runner/errors.js';
import type { RunEvent } from '../../../runner/events.js';
import { mapLimit } from '../../../runner/execute/pool.js';
import { FakeConnection, MemoryState, outcomes, runFake, type FakeRun } from '../../support/fake-host.js';

const play = (tasks: string, extra = '') => `- hosts: web\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;
const ABSENT = (path: string) => ({ match: new RegExp(`p=${path.replace(/[./]/g, '\\$&')}\\n`), reply: { stdout: `parent=yes\npath=${path}\ntype=absent\n` } });
const recap = (r: FakeRun, h: string) => {
  const e = r.events.find((x) => x.kind === 'recap');
  if (e?.kind !== 'recap') throw new Error('no recap');
  return e.hosts[h]!;
};
const failMsg = (r: FakeRun, host: string, task: string): string => {
  const e = r.events.find((x) => x.kind === 'host_result' && x.host === host && x.task === task);
  if (e?.kind !== 'host_result' || e.outcome.status !== 'failed') throw new Error(`${host} ${task}: not failed: ${JSON.stringify(e)}`);
  return e.outcome.msg;
};

describe('executor over fake hosts', () => {
  describe('handlers', () => {
    const handlers = `  handlers:\n    - name: restart app\n      shell: echo RESTART\n    - name: reload\n      listen: config changed\n      shell: echo RELOAD\n`;

    it('runs a notified handler once, after the tasks, and only where a task changed', async () => {
      const h2 = new FakeConnection('h2', [{ match: /^creates=no; for f in/, reply: { stdout: 'creates=yes\n' } }]);
      const r = await runFake(play(
        '    - shell: echo ONE\n      args: {creates: /opt/stamp}\n      notify: restart app\n    - shell: echo TWO\n      notify: restart app\n    - shell: echo THREE\n',
      ) + handlers, { conns: { h2 } });
      const h1 = r.conns.get('h1')!;
      expect(h1.ran(/echo (ONE|TWO|THREE|RESTART)/).map((c) => /echo (\w+)/.exec(c)![1])).to.deep.equal(['ONE', 'TWO', 'THREE', 'RESTART']);
      expect(h1.ran(/RESTART/)).to.have.length(1);
      expect(outcomes(r, 'h2')[0]).to.equal('shell=ok');
      expect(h2.ran(/RESTART/), 'TWO changed on h2 too').to.have.length(1);
      expect(r.summary.exitCode).to.equal(0);
    });

    it('runs a handler notified through a listen topic', async () => {
      const r = await runFake(play('    - shell: echo CONF\n      notify: config changed\n') + handlers);
      expect(r.conns.get('h1')!.ran(/RELOAD/)).to.have.length(1);
      expect(r.conns.get('h1')!.ran(/RESTART/)).to.have.length(0);
    });

    it('meta: flush_handlers runs the notified handlers where it stands', async () => {
      const r = await runFake(play('    - shell: echo ONE\n      notify: restart app\n    - meta: flush_handlers\n    - shell: echo AFTER\n') + handlers);
      const order = r.conns.get('h1')!.ran(/echo (ONE|RESTART|AFTER)/).map((c) => /echo (\w+)/.exec(c)![1]);
      expect(order).to.deep.equal(['ONE', 'RESTART', 'AFTER']);
      const started = r.events.flatMap((e) => (e.kind === 'task_start' ? [`${e.handler ? 'H:' : ''}${e.name}`] : []));
      expect(started).to.deep.equal(['shell', 'H:restart app', 'shell'], 'the handler runs once, not again at the end');
    });

    it('keeps a failed host\'s pending notification and runs it on the next run', async () => {
      const state = new MemoryState();
      const flaky = () => new FakeConnection('h1', [{ match: /echo FLAKY/, reply: { code: 1, stderr: 'boom' } }]);
      const first = await runFake(play('    - shell: echo ONE\n      notify: restart app\n    - shell: echo FLAKY\n') + handlers, { state, conns: { h1: flaky() } });
      expect(first.conns.get('h1')!.ran(/RESTART/), 'a failed host runs no handler').to.have.length(0);
      expect(first.conns.get('h2')!.ran(/RESTART/), 'h2 did not fail: its handler ran').to.have.length(1);
      expect(state.pendingOf('h1')).to.have.length(1);
      expect(first.summary.exitCode).to.equal(2);

      const second = await runFake(play('    - shell: echo ONE\n      notify: restart app\n    - shell: echo FLAKY\n      when: false\n') + handlers, { state });
      expect(outcomes(second, 'h1')[0]).to.equal('shell=skipped:done-before');
      expect(second.conns.get('h1')!.ran(/RESTART/)).to.have.length(1);
      expect(state.pendingOf('h1')).to.deep.equal([]);
    });
  });

  describe('blocks', () => {
    const block = (rescue: boolean) => `    - block:\n        - shell: echo IN\n        - shell: echo NEXT\n${rescue ? '      rescue:\n        - shell: echo RESCUE\n' : ''}      always:\n        - shell: echo ALWAYS\n    - shell: echo LATER\n`;
    const failOnH1 = () => new FakeConnection('h1', [{ match: /echo IN/, reply: { code: 2, stderr: 'no' } }]);

    it('rescue takes over a failure: it runs where the block failed, always everywhere, and the host goes on', async () => {
      const r = await runFake(play(block(true)), { conns: { h1: failOnH1() } });
      const words = (h: string) => r.conns.get(h)!.ran(/^echo|echo [A-Z]+/).map((c) => /echo (\w+)/.exec(c)![1]);
      expect(words('h1')).to.deep.equal(['IN', 'RESCUE', 'ALWAYS', 'LATER']);
      expect(words('h2')).to.deep.equal(['IN', 'NEXT', 'ALWAYS', 'LATER']);
      expect(recap(r, 'h1')).to.include({ failed: 0, rescued: 1, changed: 3 });
      expect(r.summary.exitCode).to.equal(0);
    });

    it('without rescue, always still runs and the host stops after it', async () => {
      const r = await runFake(play(block(false)), { conns: { h1: failOnH1() } });
      const words = r.conns.get('h1')!.ran(/echo [A-Z]+/).map((c) => /echo (\w+)/.exec(c)![1]);
      expect(words).to.deep.equal(['IN', 'ALWAYS']);
      expect(recap(r, 'h1')).to.include({ failed: 1, rescued: 0 });
      expect(r.summary.exitCode).to.equal(2);
    });

    it('a block condition that cannot be evaluated on a host fails that host only', async () => {
      const inventory = 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n        h2: {db: {port: 5432}}\n';
      const r = await runFake(play('    - name: guarded\n      block:\n        - shell: echo IN\n      when: db.port == 5432\n    - shell: echo LATER\n'), { inventory });
      expect(outcomes(r, 'h1')).to.deep.equal(['guarded=failed']);
      expect(failMsg(r, 'h1', 'guarded')).to.match(/db/);
      expect(outcomes(r, 'h2')).to.deep.equal(['shell=changed', 'shell=changed']);
      expect(r.summary.exitCode).to.equal(2);
    });
  });

  describe('loops, retries, register', () => {
    it('runs a loop per item and registers every item result', async () => {
      const r = await runFake(play('    - shell: "echo {{ item }}"\n      loop: [a, b, c]\n      register: out\n    - debug:\n        msg: "{{ out.results | length }}"\n'), {
        conns: { h1: new FakeConnection('h1', [{ match: /^echo \w$/, reply: (cmd) => ({ stdout: `${cmd.slice(5)}\n` }) }]) },
      });
      expect(r.conns.get('h1')!.ran(/^echo [abc]$/)).to.deep.equal(['echo a', 'echo b', 'echo c']);
      const debug = r.events.find((e) => e.kind === 'host_result' && e.host === 'h1' && e.task === 'debug');
      expect(debug?.kind === 'host_result' && debug.message).to.equal('3');
    });

    it('retries until the condition holds and records only the last attempt', async () => {
      const h1 = new FakeConnection('h1', [{ match: /echo POLL/, reply: (_c, nth) => ({ stdout: nth < 3 ? 'wait\n' : 'ready\n' }) }]);
      const r = await runFake(play('    - shell: echo POLL\n      register: p\n      until: p.stdout == "ready"\n      retries: 4\n      delay: 0\n'), { conns: { h1 } });
      expect(h1.ran(/POLL/)).to.have.length(3);
      expect(outcomes(r, 'h1')).to.deep.equal(['shell=changed']);
    });

    it('fails once the retries are spent', async () => {
      const h1 = new FakeConnection('h1', [{ match: /echo POLL/, reply: { stdout: 'wait\n' } }]);
      const r = await runFake(play('    - shell: echo POLL\n      register: p\n      until: p.stdout == "ready"\n      retries: 2\n      delay: 0\n'), { conns: { h1 } });
      expect(h1.ran(/POLL/)).to.have.length(3);
      expect(failMsg(r, 'h1', 'shell')).to.match(/still false after 3 attempts/);
    });

    it('a registered result drives a later when', async () => {
      const h1 = new FakeConnection('h1', [{ match: /cat \/etc\/role/, reply: { stdout: 'db\n' } }]);
      const r = await runFake(play('    - shell: cat /etc/role\n      register: role\n      changed_when: false\n    - shell: echo DB\n      when: role.stdout == "db"\n'), { conns: { h1 } });
      expect(outcomes(r, 'h1')).to.deep.equal(['shell=ok', 'shell=changed']);
      expect(outcomes(r, 'h2')).to.deep.equal(['shell=ok', 'shell=skipped:condition']);
    });
  });

  describe('the failure boundary', () => {
    const denied = () => {
      const h1 = new FakeConnection('h1', [ABSENT('/etc/app.conf')]);
      h1.denyPut = { match: /^\/etc\//, error: (p) => new Error(`h1: put ${p}: mktemp: failed to create file via template '${p}.play-tmp-XXXXXX': Permission denied`) };
      const h2 = new FakeConnection('h2', [ABSENT('/etc/app.conf')]);
      return { h1, h2 };
    };
    const COPY = '    - name: config\n      copy: {content: "x=1\\n", dest: /etc/app.conf}\n';

    it('a denied write fails that host only, naming it, the task\'s file:line and the cause; the others go on', async () => {
      const r = await runFake(play(`${COPY}    - shell: echo LATER\n`), { conns: denied() });
      const msg = failMsg(r, 'h1', 'config');
      expect(msg).to.match(/^h1: put \/etc\/app\.conf: .*Permission denied/);
      expect(msg).to.include('denied to login user root, without become');
      expect(msg).to.match(/task 'config' at .*site\.yml:4\)$/);
      expect(outcomes(r, 'h2')).to.deep.equal(['config=changed', 'shell=changed']);
      expect(r.conns.get('h1')!.ran(/LATER/)).to.have.length(0);
      expect(recap(r, 'h1')).to.include({ failed: 1 });
      expect(r.summary.exitCode).to.equal(2);
    });

    it('ignore_errors lets the host go on; rescue takes it over; failed_when can clear it', async () => {
      const ignored = await runFake(play(`${COPY}      ignore_errors: true\n    - shell: echo LATER\n`), { conns: denied() });
      expect(outcomes(ignored, 'h1')).to.deep.equal(['config=failed', 'shell=changed']);
      expect(recap(ignored, 'h1')).to.include({ failed: 0, ignored: 1, ok: 1 });
      expect(ignored.summary.exitCode).to.equal(0);

      const rescued = await runFake(play(`    - block:\n${COPY.replace(/^ {4}/gm, '        ')}      rescue:\n        - shell: echo RESCUE\n`), { conns: denied() });
      expect(rescued.conns.get('h1')!.ran(/RESCUE/)).to.have.length(1);
      expect(rescued.summary.exitCode).to.equal(0);

      const cleared = await runFake(play(`${COPY}      failed_when: false\n`), { conns: denied() });
      expect(outcomes(cleared, 'h1')).to.deep.equal(['config=changed']);
      // a module that refuses before acting changed nothing: cleared, it is ok (as Ansible's fail_json)
      const refused = await runFake(play('    - fail: {msg: no}\n      failed_when: false\n'));
      expect(outcomes(refused, 'h1')).to.deep.equal(['fail=ok']);
    });

    it('an include under a condition that does not load fails only the hosts that reach it; templated notify names render per host', async () => {
      const r = await runFake(play([
        '    - include_tasks: win.yml',
        '      when: inventory_hostname == "h2"',
        '    - shell: echo AFTER',
        '      notify: "{{ which }}"',
      ].join('\n') + '\n') + '  handlers:\n    - name: restart h1\n      shell: echo H1\n    - name: restart h2\n      shell: echo H2\n', {
        files: { 'win.yml': '- ansible.windows.win_shell: echo\n' },
        inventory: 'web:\n  hosts:\n    h1: {which: restart h1}\n    h2: {which: restart h2}\n',
      });
      expect(failMsg(r, 'h2', 'block')).to.match(/include_tasks: win\.yml does not load: win\.yml:1:3: module 'ansible\.windows\.win_shell' is not supported by play/);
      expect(r.conns.get('h1')!.ran(/echo (AFTER|H1|H2)/).map((c) => /echo (\w+)/.exec(c)![1])).to.deep.equal(['AFTER', 'H1']);
      expect(r.conns.get('h2')!.ran(/echo/)).to.deep.equal([]);
    });

    it('an exception in a probe is the host\'s failed result', async () => {
      const h1 = new FakeConnection('h1');
      h1.throwOn = { match: /^p=\/etc\/app\.conf/, error: () => new TypeError("Cannot read properties of undefined (reading 'split')") };
      const r = await runFake(play(COPY), { conns: { h1, h2: denied().h2 } });
      expect(failMsg(r, 'h1', 'config')).to.match(/^h1: Cannot read properties .* \(task 'config' at .*site\.yml:4\)$/);
      expect(outcomes(r, 'h2')).to.deep.equal(['config=changed']);
    });

    it('an upload under become whose move fails is removed from the host, and the task fails', async () => {
      const h1 = new FakeConnection('h1', [
        ABSENT('/etc/secret.conf'),
        { match: /^sudo -n -H -u root -- sh -c .*mv /, reply: { code: 1, stderr: 'sudo: a password is required\n' } },
      ]);
      const r = await runFake(play('    - name: secret\n      copy: {content: "k=v\\n", dest: /etc/secret.conf}\n', '  become: true\n'), {
        inventory: 'all:\n  children:\n    web:\n      hosts:\n        h1: {ansible_user: deploy}\n', conns: { h1 },
      });
      const upload = h1.puts.find((p) => p.path.startsWith('/tmp/.play-upload-'));
      expect(upload, 'uploaded as the login user first').to.not.equal(undefined);
      expect(h1.cmds.at(-1)).to.equal(`rm -f -- ${upload!.path}`);
      expect(failMsg(r, 'h1', 'secret')).to.match(/^h1: could not move uploaded file into \/etc\/secret\.conf as root: sudo: a password is required; sudo on h1 wants a password for root/);
    });

    it('a broken invariant still emits the recap before it propagates', async () => {
      // Only play's own invariants escape the boundary; here the fake host throws one from a command.
      const h1 = new FakeConnection('h1');
      h1.throwOn = { match: /echo BROKEN/, error: () => new InvariantError('test: a broken invariant') };
      const events: RunEvent[] = [];
      let thrown: unknown;
      try {
        await runFake(play('    - shell: echo FIRST\n    - shell: echo BROKEN\n    - shell: echo NEVER\n'), { events, conns: { h1 } });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(InvariantError);
      const kinds = events.map((e) => e.kind);
      expect(kinds.slice(-2)).to.deep.equal(['recap', 'run_end']);
      const end = events.at(-1);
      expect(end?.kind === 'run_end' && end.exitCode).to.equal(1);
      const rec = events.find((e) => e.kind === 'recap');
      expect(rec?.kind === 'recap' && rec.hosts.h1!.changed).to.equal(1, 'the work done before is in the recap');
      expect(rec?.kind === 'recap' && rec.hosts.h2!.changed).to.equal(2, 'the pool let h2 finish the task in flight before it rethrew');
    });
  });

  describe('state lookups', () => {
    const TASKS = '    - name: stamp\n      shell: touch /opt/stamp\n      args: {creates: /opt/stamp}\n';
    it('a recorded task with the same inputs is done-before, counted apart from skipped; --force runs it again', async () => {
      const state = new MemoryState();
      const first = await runFake(play(TASKS), { state });
      expect(outcomes(first, 'h1')).to.deep.equal(['stamp=changed']);
      expect(state.lookups).to.include(`${state.identityOf.get('h1')} site.yml/stamp`);
      const again = await runFake(play(TASKS), { state });
      expect(outcomes(again, 'h1')).to.deep.equal(['stamp=skipped:done-before']);
      expect(recap(again, 'h1')).to.include({ doneBefore: 1, skipped: 0 });
      expect(again.conns.get('h1')!.ran(/stamp/), 'no probe, no command').to.deep.equal([]);
      const forced = await runFake(play(TASKS), { state, opts: { force: true } });
      expect(outcomes(forced, 'h1')).to.deep.equal(['stamp=changed']);
    });

    it('changed inputs run the task again; a failed task is never recorded', async () => {
      const state = new MemoryState();
      await runFake(play(TASKS), { state });
      const changed = await runFake(play(TASKS.replace('touch /opt/stamp', 'touch /opt/stamp2')), { state });
      expect(outcomes(changed, 'h1')).to.deep.equal(['stamp=changed']);
      const h1 = new FakeConnection('h1', [{ match: /echo BAD/, reply: { code: 1 } }]);
      await runFake(play('    - name: bad\n      shell: echo BAD\n      args: {creates: /x}\n'), { state, conns: { h1 } });
      expect(state.doneOf('h1')).to.not.include('site.yml/bad');
      expect(state.doneOf('h2')).to.include('site.yml/bad');
    });
  });

  describe('host patterns', () => {
    const INV = 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n';
    it('hosts: all never includes the implicit localhost; naming localhost does', async () => {
      const r = await runFake('- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: echo ALL\n- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: {msg: here}\n', { inventory: INV });
      const plays = r.events.flatMap((e) => (e.kind === 'play_start' ? [e.hosts] : []));
      expect(plays).to.deep.equal([['h1'], ['localhost']]);
      expect(r.conns.get('localhost')!.ran(/echo ALL/)).to.deep.equal([]);
    });

    it('a play whose pattern matches no host is skipped with a warning, as in Ansible; the run goes on', async () => {
      const r = await runFake('- hosts: dbservers\n  gather_facts: false\n  tasks:\n    - shell: echo NEVER\n- hosts: web\n  gather_facts: false\n  tasks:\n    - shell: echo WEB\n', { inventory: INV });
      const warnings = r.events.flatMap((e) => (e.kind === 'warning' ? [e.msg] : []));
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/site\.yml:1: hosts: pattern 'dbservers': 'dbservers' is neither a host nor a group; known groups: .*; skipping the play$/);
      expect(r.conns.get('h1')!.ran(/echo (NEVER|WEB)/)).to.deep.equal(['echo WEB']);
      expect(r.summary.exitCode).to.equal(0);
    });

    it('an empty inventory: hosts: all warns that the implicit localhost does not match it', async () => {
      const r = await runFake('- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: echo NEVER\n', { inventory: 'all:\n  hosts: {}\n' });
      const w = r.events.find((e) => e.kind === 'warning');
      expect(w?.kind === 'warning' && w.msg).to.match(/the implicit localhost does not match 'all' \(name it: hosts: localhost\); skipping the play$/);
      expect(r.conns.size).to.equal(0);
      expect(r.summary.exitCode).to.equal(0);
    });
  });

  describe('add_host', () => {
    it('adds a host with its variables to a group that a later play targets; a done-before add_host still adds it', async () => {
      const pb = '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: add\n      add_host: {name: new1, groups: "added,extra", port_var: 8080}\n'
        + '- hosts: added\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: "{{ port_var }}"\n';
      const state = new MemoryState();
      const first = await runFake(pb, { state });
      expect(outcomes(first, 'h1')).to.deep.equal(['add=changed']);
      const debug = first.events.find((e) => e.kind === 'host_result' && e.host === 'new1');
      expect(debug?.kind === 'host_result' && debug.message).to.equal('8080');
      const again = await runFake(pb, { state });
      expect(outcomes(again, 'h1')).to.deep.equal(['add=skipped:done-before']);
      const plays = again.events.flatMap((e) => (e.kind === 'play_start' ? [e.hosts] : []));
      expect(plays).to.deep.equal([['h1'], ['new1']], 'the recorded add_host added new1 again');
    });
  });

  describe('the host pool', () => {
    it('does not reject while other hosts still run: it waits for them, then throws the first error', async () => {
      let release!: () => void;
      const slow = new Promise<void>((r) => { release = r; });
      let slowDone = false;
      const pool = mapLimit(['fails', 'slow'], 2, async (x) => {
        if (x === 'fails') throw new Error('boom');
        await slow;
        slowDone = true;
      });
      let settled = false;
      pool.catch(() => undefined).finally(() => { settled = true; });
      await new Promise((r) => setImmediate(r));
      expect(settled, 'still waiting for the slow host').to.equal(false);
      release();
      let thrown: unknown;
      try { await pool; } catch (err) { thrown = err; }
      expect(slowDone).to.equal(true);
      expect((thrown as Error).message).to.equal('boom');
    });
  });
});
