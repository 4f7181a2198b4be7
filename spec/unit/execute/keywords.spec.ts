// Execution keywords over fake hosts: templated keywords, block inheritance, magic variables, and
// check_mode / diff per task.
import { expect } from 'chai';
import type { RunEvent } from '../../../runner/events.js';
import { FakeConnection, outcomes, runFake, type FakeRun } from '../../support/fake-host.js';

const play = (tasks: string, extra = '') => `- hosts: web\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;
const results = (r: FakeRun, host: string) => r.events.filter((e): e is Extract<RunEvent, { kind: 'host_result' }> => e.kind === 'host_result' && e.host === host);
const message = (r: FakeRun, host: string, task: string): string => {
  const e = results(r, host).find((x) => x.task === task);
  if (!e) throw new Error(`${host} ${task}: no result`);
  return e.message ?? '';
};
const failMsg = (r: FakeRun, host: string, task: string): string => {
  const e = results(r, host).find((x) => x.task === task);
  if (e?.outcome.status !== 'failed') throw new Error(`${host} ${task}: not failed: ${JSON.stringify(e)}`);
  return e.outcome.msg;
};

describe('execution keywords', () => {
  describe('templated keywords', () => {
    it('renders become_user and become before they reach sudo', async () => {
      const r = await runFake(play(
        '    - name: as writer\n      shell: echo W\n      become: "{{ do_become }}"\n      become_user: "{{ writer }}"\n',
        '  vars:\n    writer: app\n    do_become: true\n',
      ));
      const cmds = r.conns.get('h1')!.ran(/echo W/);
      expect(cmds).to.have.length(1);
      expect(cmds[0]).to.match(/^sudo -n -H -u app -- sh -c /);
      expect(cmds[0]).not.to.include('{{');
    });

    it('gives a block\'s become to the tasks inside it, and a task\'s own keyword wins', async () => {
      const r = await runFake(play(
        '    - become: true\n      become_user: "{{ writer }}"\n      block:\n        - shell: echo INNER\n        - shell: echo MINE\n          become_user: other\n    - shell: echo OUTSIDE\n',
        '  vars:\n    writer: app\n',
      ));
      const h1 = r.conns.get('h1')!;
      expect(h1.ran(/echo INNER/)[0]).to.match(/^sudo -n -H -u app /);
      expect(h1.ran(/echo MINE/)[0]).to.match(/^sudo -n -H -u other /);
      expect(h1.ran(/echo OUTSIDE/)[0]).to.match(/^echo OUTSIDE/);
    });

    it('renders ignore_errors and no_log with the task vars', async () => {
      const h1 = new FakeConnection('h1', [{ match: /echo BAD/, reply: { code: 3, stderr: 'secret-ish detail' } }]);
      const r = await runFake(play(
        '    - name: bad\n      shell: echo BAD\n      ignore_errors: "{{ tolerate }}"\n      no_log: "{{ quiet }}"\n    - shell: echo NEXT\n',
        '  vars:\n    tolerate: yes\n    quiet: "yes"\n',
      ), { conns: { h1 } });
      expect(outcomes(r, 'h1')).to.deep.equal(['bad=failed', 'shell=changed']);
      expect(failMsg(r, 'h1', 'bad')).to.equal('output hidden by no_log');
      expect(r.summary.exitCode).to.equal(0);
    });

    it('a keyword that is not a boolean fails that host, naming the keyword', async () => {
      const r = await runFake(play('    - name: t\n      shell: echo X\n      become: "{{ inventory_hostname }}"\n'));
      expect(failMsg(r, 'h1', 't')).to.match(/become: 'h1' is not a valid boolean/);
      expect(r.conns.get('h1')!.ran(/echo X/)).to.have.length(0);
    });

    it('an undefined variable in a keyword is refused when loading, at its line and column (no host is contacted)', async () => {
      const err = await runFake(play('    - name: t\n      shell: echo X\n      no_log: "{{ nope }}"\n')).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.match(/site\.yml:6:15: undefined variable 'nope' in task 't'/);
    });

    it('renders environment values per host', async () => {
      const r = await runFake(play('    - shell: echo E\n      environment:\n        WHO: "{{ inventory_hostname }}"\n'));
      const put = r.conns.get('h2')!.puts.find((p) => p.path.startsWith('/tmp/.play-env-'));
      expect(put?.content).to.equal('export WHO=h2\n');
    });

    it('refuses a become_method other than sudo, as a failed result', async () => {
      const r = await runFake(play('    - name: t\n      shell: echo X\n      become: true\n      become_method: "{{ how }}"\n', '  vars:\n    how: su\n'));
      expect(failMsg(r, 'h1', 't')).to.match(/become_method 'su' is not supported/);
    });
  });

  describe('magic variables', () => {
    it('ansible_play_hosts leaves out failed hosts; _all keeps them; play_hosts is the batch', async () => {
      const h2 = new FakeConnection('h2', [{ match: /echo FAIL/, reply: { code: 1 } }]);
      const r = await runFake(play(
        '    - shell: echo FAIL\n    - name: show\n      debug:\n        msg: "{{ ansible_play_hosts }} {{ ansible_play_hosts_all }} {{ ansible_play_batch }} {{ play_hosts }}"\n',
      ), { conns: { h2 } });
      expect(message(r, 'h1', 'show')).to.equal("['h1'] ['h1', 'h2'] ['h1'] ['h1']");
    });

    it('has the modes, the tags, the version, inventory names and groups', async () => {
      const r = await runFake(play(
        '    - name: show\n      debug:\n        msg: "{{ ansible_check_mode }} {{ ansible_diff_mode }} {{ ansible_run_tags }} {{ ansible_skip_tags }} {{ ansible_version.full }} {{ ansible_version.major }} {{ inventory_hostname_short }} {{ group_names }}"\n',
      ), { opts: { diff: true, check: true }, inventory: 'all:\n  children:\n    web:\n      hosts:\n        h1.example.com: {}\n' });
      expect(message(r, 'h1.example.com', 'show')).to.equal("True True ['all'] [] 2.14.18 2 h1 ['web']");
    });

    it('gives role_name and role_path to a role\'s tasks, and playbook_dir to all', async () => {
      const r = await runFake('- hosts: web\n  gather_facts: false\n  roles: [app]\n  tasks:\n    - name: top\n      debug: {msg: "{{ playbook_dir }}"}\n', {
        files: { 'roles/app/tasks/main.yml': '- name: in role\n  debug:\n    msg: "{{ role_name }} {{ role_path }}"\n' },
      });
      const [name, path] = message(r, 'h1', 'in role').split(' ');
      expect(name).to.equal('app');
      expect(path).to.match(/\/roles\/app$/);
      expect(path!.startsWith(message(r, 'h1', 'top'))).to.equal(true);
    });

    it('ansible_managed is "Ansible managed" in templates', async () => {
      const h1 = new FakeConnection('h1', [{ match: /p=\/etc\/motd\n/, reply: { stdout: 'parent=yes\npath=/etc/motd\ntype=absent\n' } }]);
      const r = await runFake(play('    - template: {src: motd.hbs, dest: /etc/motd}\n'), { conns: { h1 }, files: { 'templates/motd.hbs': '# {{ ansible_managed }}\n' } });
      const put = r.conns.get('h1')!.puts.find((p) => p.content.startsWith('#'));
      expect(put?.content).to.equal('# Ansible managed\n');
    });

    it('hostvars shows another host\'s registered results', async () => {
      const r = await runFake(play('    - shell: echo R\n      register: out\n    - name: peek\n      debug:\n        msg: "{{ hostvars.h2.out.rc }}"\n'));
      expect(message(r, 'h1', 'peek')).to.equal('0');
    });
  });

  describe('check_mode and diff per task', () => {
    it('check_mode: true only predicts, even in a real run; ansible_check_mode stays the run\'s mode', async () => {
      const r = await runFake(play('    - name: dry\n      shell: echo DRY\n      check_mode: true\n    - name: mode\n      debug: {msg: "{{ ansible_check_mode }}"}\n      check_mode: true\n    - shell: echo WET\n'));
      const h1 = r.conns.get('h1')!;
      expect(h1.ran(/echo DRY/)).to.have.length(0);
      expect(h1.ran(/echo WET/)).to.have.length(1);
      expect(results(r, 'h1')[0]!.outcome).to.include({ status: 'changed' });
      expect(message(r, 'h1', 'mode')).to.equal('false');
    });

    it('check_mode: false runs for real under --check', async () => {
      const r = await runFake(play('    - shell: echo REAL\n      check_mode: "{{ predict }}"\n    - shell: echo PREDICT\n', '  vars:\n    predict: false\n'), { opts: { check: true } });
      const h1 = r.conns.get('h1')!;
      expect(h1.ran(/echo REAL/)).to.have.length(1);
      expect(h1.ran(/echo PREDICT/)).to.have.length(0);
    });

    it('a play\'s check_mode applies to its tasks; a task can turn it off', async () => {
      const r = await runFake(play('    - shell: echo A\n    - shell: echo B\n      check_mode: false\n', '  check_mode: true\n'));
      const h1 = r.conns.get('h1')!;
      expect(h1.ran(/echo A/)).to.have.length(0);
      expect(h1.ran(/echo B/)).to.have.length(1);
    });

    it('diff: true shows a diff without --diff, diff: false hides it under --diff', async () => {
      const absent = { match: /p=\/etc\/(one|two)\n/, reply: (cmd: string) => ({ stdout: `parent=yes\npath=${/p=(\S+)\n/.exec(cmd)![1]}\ntype=absent\n` }) };
      const conns = { h1: new FakeConnection('h1', [absent]) };
      const pb = play('    - name: one\n      copy: {content: "x\\n", dest: /etc/one}\n      diff: true\n    - name: two\n      copy: {content: "y\\n", dest: /etc/two}\n      diff: false\n');
      const r = await runFake(pb, { conns });
      const diffOf = (t: string) => {
        const o = results(r, 'h1').find((x) => x.task === t)!.outcome;
        return o.status === 'changed' ? o.diff : undefined;
      };
      expect(diffOf('one')).to.be.a('string').and.include('+x');
      expect(diffOf('two')).to.equal(undefined);
    });
  });
});
