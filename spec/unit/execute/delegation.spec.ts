// delegate_to, delegate_facts, remote_user and module_defaults over fake hosts: where a task's
// commands go, as whom, and whose variables it sees.
import { expect } from 'chai';
import { ConnectionError } from '../../../runner/errors.js';
import type { RunEvent } from '../../../runner/events.js';
import { FakeConnection, outcomes, runFake, type FakeRun } from '../../support/fake-host.js';

const play = (tasks: string, extra = '') => `- hosts: web\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;
const results = (r: FakeRun, host: string) => r.events.filter((e): e is Extract<RunEvent, { kind: 'host_result' }> => e.kind === 'host_result' && e.host === host);
const message = (r: FakeRun, host: string, task: string): string => results(r, host).find((x) => x.task === task)?.message ?? '';
const failMsg = (r: FakeRun, host: string, task: string): string => {
  const e = results(r, host).find((x) => x.task === task);
  if (e?.outcome.status !== 'failed') throw new Error(`${host} ${task}: not failed: ${JSON.stringify(e)}`);
  return e.outcome.msg;
};
const INV3 = 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n        h2: {}\n    db:\n      hosts:\n        d1: {ansible_user: dbadmin}\n';

describe('delegation and connection keywords', () => {
  describe('delegate_to', () => {
    it('runs the command on the delegate, with the original host\'s vars, and registers it on the original host', async () => {
      const r = await runFake(play(
        '    - shell: echo FOR {{ inventory_hostname }} {{ mine }}\n      delegate_to: d1\n      register: out\n    - name: show\n      debug: {msg: "{{ out.rc }}"}\n',
      ).replace('- hosts: web\n', '- hosts: web\n  vars:\n    mine: "{{ inventory_hostname }}-var"\n'), { inventory: INV3 });
      const d1 = r.conns.get('d1')!;
      expect(d1.ran(/echo FOR/).sort()).to.deep.equal(['echo FOR h1 h1-var', 'echo FOR h2 h2-var']);
      expect(r.conns.get('h1')!.ran(/echo FOR/)).to.have.length(0);
      expect(message(r, 'h1', 'show')).to.equal('0');
      // the delegate's own connection vars: it logs in as its ansible_user
      expect(r.specs.find((s) => s.host === 'd1')?.user).to.equal('dbadmin');
      expect(r.specs.filter((s) => s.host === 'd1'), 'one connection for both hosts').to.have.length(1);
    });

    it('delegate_to: localhost and 127.0.0.1 run on the controller over a local connection', async () => {
      const r = await runFake(play('    - shell: echo HERE\n      delegate_to: localhost\n    - shell: echo THERE\n      delegate_to: 127.0.0.1\n'));
      const local = r.specs.filter((s) => s.kind === 'local');
      expect(local.map((s) => s.host)).to.deep.equal(['localhost']);
      expect(r.conns.get('localhost')!.ran(/echo (HERE|THERE)/)).to.have.length(4);
    });

    it('delegate_to is rendered per item', async () => {
      const r = await runFake(play('    - shell: echo ON\n      delegate_to: "{{ item }}"\n      loop: [h2, d1]\n      when: inventory_hostname == "h1"\n'), { inventory: INV3 });
      expect(r.conns.get('h2')!.ran(/echo ON/)).to.have.length(1);
      expect(r.conns.get('d1')!.ran(/echo ON/)).to.have.length(1);
    });

    it('delegate_facts: true gives set_fact values to the delegate; without it they stay with the host', async () => {
      const r = await runFake(play(
        '    - set_fact: {seen_by: "{{ inventory_hostname }}"}\n      delegate_to: d1\n      delegate_facts: true\n      when: inventory_hostname == "h1"\n' +
        '    - set_fact: {own: yes}\n      delegate_to: d1\n' +
        '    - name: show\n      debug: {msg: "{{ hostvars.d1.seen_by }} {{ own }}"}\n' +
        '    - name: mine\n      debug: {var: seen_by}\n',
      ), { inventory: INV3 });
      expect(message(r, 'h1', 'show')).to.equal('h1 True');
      expect(message(r, 'h2', 'show')).to.equal('h1 True');
      const mine = results(r, 'h1').find((x) => x.task === 'mine')!.outcome;
      expect(mine.status === 'ok' && mine.reason).to.equal('seen_by: VARIABLE IS NOT DEFINED!');
    });

    it('a delegate that cannot be reached makes the task unreachable for the original host', async () => {
      const down = new FakeConnection('d1');
      down.throwOn = { match: /echo X/, error: () => new ConnectionError('d1', 'connection reset') };
      const r = await runFake(play('    - name: t\n      shell: echo X\n      delegate_to: d1\n    - shell: echo NEXT\n'), { inventory: INV3, conns: { d1: down } });
      expect(outcomes(r, 'h1')).to.deep.equal(['t=unreachable']);
      expect(r.conns.get('h1')!.ran(/echo NEXT/)).to.have.length(0);
    });
  });

  describe('remote_user', () => {
    it('a play\'s remote_user is the login user; a task\'s wins for that task; a host\'s ansible_user wins over both', async () => {
      const r = await runFake('- hosts: web:db\n  gather_facts: false\n  remote_user: deploy\n  tasks:\n    - shell: echo A\n    - shell: echo B\n      remote_user: "{{ other }}"\n  vars:\n    other: ops\n', { inventory: INV3 });
      const users = (host: string) => r.specs.filter((s) => s.host === host).map((s) => s.user);
      expect(users('h1')).to.deep.equal(['deploy', 'ops']);
      expect(users('d1')).to.deep.equal(['dbadmin']);
    });

    it('the next play without remote_user logs in as before', async () => {
      const pb = '- hosts: web\n  gather_facts: false\n  remote_user: deploy\n  tasks:\n    - shell: echo A\n- hosts: web\n  gather_facts: false\n  tasks:\n    - shell: echo B\n';
      const r = await runFake(pb, { inventory: INV3 });
      const users = r.specs.filter((s) => s.host === 'h1').map((s) => s.user);
      expect(users).to.have.length(2);
      expect(users[0]).to.equal('deploy');
      expect(users[1]).not.to.equal('deploy');
    });
  });

  describe('connection', () => {
    it('a play\'s connection: local runs on the controller; a host\'s ansible_connection wins; a task may choose too', async () => {
      const inv = 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n        h2: {ansible_connection: ssh}\n';
      const r = await runFake('- hosts: web\n  gather_facts: false\n  connection: local\n  tasks:\n    - shell: echo A\n', { inventory: inv });
      expect(r.specs.map((s) => `${s.host}:${s.kind}`).sort()).to.deep.equal(['h1:local', 'h2:ssh']);
      const t = await runFake(play('    - shell: echo A\n    - shell: echo B\n      connection: "{{ how }}"\n', '  vars:\n    how: local\n'));
      expect(t.specs.filter((s) => s.host === 'h1').map((s) => s.kind)).to.deep.equal(['ssh', 'local']);
    });

    it('refuses a connection play cannot make, as that host\'s failure', async () => {
      const r = await runFake(play('    - name: t\n      shell: echo A\n      connection: "{{ how }}"\n', '  vars:\n    how: winrm\n'));
      expect(failMsg(r, 'h1', 't')).to.match(/connection 'winrm' is not supported/);
    });
  });

  describe('module_defaults', () => {
    it('fills arguments by module name or FQCN; the task\'s own arguments win; inner levels win', async () => {
      const pb = play(
        '    - command: pwd\n    - command: pwd\n      args: {chdir: /mine}\n    - module_defaults:\n        command: {chdir: /inner}\n      block:\n        - command: pwd\n',
        '  module_defaults:\n    ansible.builtin.command: {chdir: /srv}\n',
      );
      const r = await runFake(pb);
      const dirs = r.conns.get('h1')!.ran(/pwd/).map((c) => /cd (?:-- )?'?([^'; ]+)/.exec(c)?.[1]);
      expect(dirs).to.deep.equal(['/srv', '/mine', '/inner']);
    });

    it('refuses action groups with a clear message', async () => {
      const r = await runFake(play('    - name: t\n      command: pwd\n      module_defaults:\n        group/aws: {region: x}\n'));
      expect(failMsg(r, 'h1', 't')).to.match(/action groups \('group\/aws'\) are not supported/);
    });
  });
});
