// Includes and loops at run time on real SSH hosts: a templated include_tasks picks the file its
// facts name, include_vars sets variables from the file they name, an include's when holds once and
// its loop repeats it, import_role / include_role bring their role, and with_* loops expand as in
// Ansible, with loop_control.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, results, statuses } from '../support/play.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'play-includes-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

const ROLE = {
  'roles/os/tasks/main.yml': [
    '- include_vars: "{{ ansible_os_family }}.yml"',
    '- name: setup for the family',
    '  include_tasks: "setup-{{ ansible_os_family }}.yml"',
    '- name: per user',
    '  ansible.builtin.include_tasks: user.yml',
    '  loop: [ann, bob]',
    '  loop_control: {loop_var: who}',
    '  when: who != "bob" or with_bob',
    '- name: once, though its tasks change the condition',
    '  include_tasks: once.yml',
    '  when: not done_once',
    '- include_vars: "{{ item }}"',
    '  with_first_found:',
    '    - files: ["{{ ansible_distribution }}-none.yml", "fallback.yml"]',
    '- name: fallback applied',
    '  shell: echo "{{ fallback }}" > /srv/inc/fallback',
    '',
  ].join('\n'),
  'roles/os/tasks/setup-Debian.yml': '- name: the Debian file\n  copy: {dest: /srv/inc/family, content: "{{ pkg_tool }}\\n"}\n',
  'roles/os/tasks/setup-RedHat.yml': '- name: the RedHat file\n  copy: {dest: /srv/inc/family, content: "wrong\\n"}\n',
  'roles/os/tasks/user.yml': '- name: a user file\n  copy: {dest: "/srv/inc/user-{{ who }}", content: "{{ who }}\\n"}\n',
  'roles/os/tasks/once.yml': '- set_fact: {done_once: true}\n- name: after the fact\n  shell: echo ran >> /srv/inc/once\n',
  'roles/os/vars/Debian.yml': 'pkg_tool: apt\n',
  'roles/os/vars/RedHat.yml': 'pkg_tool: yum\n',
  'roles/os/vars/fallback.yml': 'fallback: "fb-{{ pkg_tool }}"\n',
  'roles/os/defaults/main.yml': 'with_bob: false\ndone_once: false\n',
  'roles/extra/tasks/main.yml': '- name: extra main\n  copy: {dest: /srv/inc/extra-main, content: "{{ extra_v }}\\n"}\n',
  'roles/extra/tasks/other.yml': '- name: extra other\n  copy: {dest: "/srv/inc/extra-{{ n }}", content: "{{ n }}\\n"}\n',
  'roles/extra/defaults/main.yml': 'extra_v: from-defaults\n',
};

const SITE = [
  '- hosts: testhosts',
  '  pre_tasks:',
  '    - file: path=/srv/inc state=directory',
  '  roles: [os]',
  '  tasks:',
  '    - import_role: {name: extra}',
  '    - include_role: {name: extra, tasks_from: other}',
  '      loop: [1, 2]',
  '      loop_control: {loop_var: n}',
  '    - name: dict items',
  '      shell: echo "{{ item.key }}={{ item.value }}" >> /srv/inc/dict',
  '      with_dict: {a: 1, b: 2}',
  '    - name: together',
  '      shell: echo "{{ i }}" >> /srv/inc/together',
  '      with_together: [[x, y], [1, 2]]',
  '      loop_control: {index_var: i, label: "{{ i }}"}',
  '      register: tg',
  '    - name: sequence',
  '      shell: echo {{ item }} >> /srv/inc/seq',
  '      with_sequence: start=2 end=6 stride=2 format=s%02d',
  '    - name: labels in results',
  '      assert: {that: ["tg.results[0]._ansible_item_label == \'0\'", "tg.results[1].i == 1", "tg.results[1].item[0] == \'y\'", "tg.results[1].item[1] == 2"]}',
  '',
].join('\n');

describe('includes and loops on real SSH hosts', function () {
  const tb = useTestbed(2);

  it('runs templated includes, include_vars, looping includes, roles in task lists and with_* loops as Ansible does', async () => {
    const dir = project({ ...ROLE, 'site.yml': SITE });
    const run = await play([join(dir, 'site.yml'), '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state'], { cwd: dir });
    expect(run.code, run.stderr + run.stdout.slice(-3000)).to.equal(0);
    for (const h of tb.current.hosts) {
      const s = statuses(run, h.name);
      expect(s['the Debian file'], h.name).to.equal('changed');
      expect(s['the RedHat file'], 'the other candidate never runs').to.equal(undefined);
      const out = await h.exec('cd /srv/inc && head -n 20 family user-* once fallback extra-* dict together seq; ls');
      expect(out.stdout).to.include('==> family <==\napt\n');
      expect(out.stdout).to.include('==> user-ann <==\nann\n');
      expect(out.stdout, 'the include\'s when holds per item: bob is left out').to.not.include('user-bob');
      expect(out.stdout, 'the include\'s when holds once, although its first task makes it false').to.include('==> once <==\nran\n');
      expect(out.stdout).to.include('==> fallback <==\nfb-apt\n');
      expect(out.stdout).to.include('==> extra-main <==\nfrom-defaults\n');
      expect(out.stdout).to.include('==> extra-1 <==\n1\n');
      expect(out.stdout).to.include('==> extra-2 <==\n2\n');
      expect(out.stdout).to.include('==> dict <==\na=1\nb=2\n');
      expect(out.stdout).to.include('==> together <==\n0\n1\n');
      expect(out.stdout).to.include('==> seq <==\ns02\ns04\ns06\n');
    }
    expect(results(run, { task: 'labels in results' }).map((r) => r.outcome.status)).to.deep.equal(['ok', 'ok']);
  });
});
