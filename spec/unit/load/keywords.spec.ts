// Ansible's task keywords as foreign content writes them: FQCN actions, k=v arguments, loops and
// loop_control, includes and imports. Loaded through the real loader and compiler, without hosts.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { LoadError } from '../../../runner/errors.js';
import { loadPlan } from '../../../runner/run.js';
import type { PlanItem, PlanTask } from '../../../runner/types.js';

export function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'play-kw-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** The plan's first play's tasks, or the diagnostics as `line:col message` (file-relative). */
export async function plan(files: Record<string, string>): Promise<{ tasks: PlanItem[]; diags: string[] }> {
  const dir = tree(files);
  try {
    const r = await loadPlan({ playbook: 'site.yml', extraVars: [], cwd: dir, env: {} });
    return { tasks: r.plan.plays[0]?.tasks ?? [], diags: [] };
  } catch (err) {
    if (!(err instanceof LoadError)) throw err;
    return { tasks: [], diags: err.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`) };
  }
}

export const play = (tasks: string) => `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}`;
export const task = (p: { tasks: PlanItem[] }, i: number) => p.tasks[i] as PlanTask;

describe('task keywords of foreign content', () => {
  describe('FQCN and k=v arguments', () => {
    it('takes ansible.builtin. and ansible.legacy. spellings of the keyword-like actions', async () => {
      const p = await plan({ 'site.yml': play([
        '    - ansible.legacy.debug: msg="hello {{ inventory_hostname }}"',
        '    - ansible.builtin.set_fact: a=1 b="{{ inventory_hostname }}"',
        '    - ansible.builtin.meta: flush_handlers',
        '    - ansible.legacy.fail: msg="bad thing"',
        '      when: false',
        '    - ansible.builtin.assert: {that: ["1 == 1"]}',
        '    - ansible.builtin.add_host: name=h2 groups=new',
      ].join('\n') + '\n') });
      expect(p.diags).to.deep.equal([]);
      expect(p.tasks.map((t) => [(t as PlanTask).module, (t as PlanTask).args])).to.deep.equal([
        ['debug', { msg: 'hello {{ inventory_hostname }}' }],
        ['set_fact', { a: '1', b: '{{ inventory_hostname }}' }],
        ['meta', { action: 'flush_handlers' }],
        ['fail', { msg: 'bad thing' }],
        ['assert', { that: ['1 == 1'] }],
        ['add_host', { name: 'h2', groups: 'new' }],
      ]);
    });

    it('splits k=v on every module that is not free-form, and refuses free text there, as Ansible does', async () => {
      const p = await plan({ 'site.yml': play([
        '    - service: name=ssh state=started enabled=yes',
        '    - command: ls -l chdir=/tmp creates=/x',
        '    - debug: hello world',
        '    - file: path={{ d }} state=gone',
        '      vars: {d: /x}',
      ].join('\n') + '\n') });
      expect(p.diags).to.deep.equal([
        "site.yml:6:14 module debug takes key=value arguments; 'hello world' is not one",
        'site.yml:7:13 expected one of "file", "directory", "absent", "touch", "link", "hard" for state, got string "gone" (module file)',
      ]);
    });
  });

  describe('loops', () => {
    it('compiles with_* and loop_control into the plan, and checks templates against the loop var', async () => {
      const p = await plan({ 'site.yml': play([
        '    - debug: {msg: "{{ pkg.key }}={{ pkg.value }} #{{ i }}"}',
        '      with_dict: {a: 1}',
        '      loop_control: {loop_var: pkg, index_var: i, label: "{{ pkg.key }}", pause: 0, extended: true}',
        '    - debug: {msg: "{{ item }}"}',
        '      with_sequence: count=2',
      ].join('\n') + '\n') });
      expect(p.diags).to.deep.equal([]);
      expect(task(p, 0)).to.deep.include({ loop: { a: 1 }, loopWith: 'dict', loopControl: { loopVar: 'pkg', indexVar: 'i', label: '{{ pkg.key }}', pause: 0, extended: true } });
      expect(task(p, 1)).to.deep.include({ loop: 'count=2', loopWith: 'sequence' });
    });

    it('an include_vars with with_first_found is one action and a loop, not two module keys', async () => {
      const p = await plan({ 'site.yml': play('    - include_vars: "{{ item }}"\n      with_first_found: [a.yml]\n') });
      expect(p.diags.join('\n')).to.not.include('two module keys');
      expect(p.diags.join('\n')).to.not.include('with_first_found');
    });

    it('names loop problems: two loops, a bad loop_control, an unsupported lookup, the item outside its loop var', async () => {
      const p = await plan({ 'site.yml': play([
        '    - debug: {msg: x}',
        '      loop: [1]',
        '      with_items: [2]',
        '    - debug: {msg: "{{ item }}"}',
        '      loop: [1]',
        '      loop_control: {loop_var: 1x, lable: y, pause: soon}',
        '    - debug: {msg: x}',
        '      with_random_choice: [a, b]',
        '    - debug: {msg: x}',
        '      loop_control: {loop_var: x}',
      ].join('\n') + '\n') });
      expect(p.diags).to.deep.equal([
        "site.yml:6:7 a task takes one loop; 'loop' and 'with_items' are both given",
        "site.yml:7:14 undefined variable 'item' in task 'debug' (site.yml:7)",
        'site.yml:9:32 loop_control.loop_var must be a variable name (letters, digits and _), got "1x"',
        "site.yml:9:36 unknown key 'lable' in loop_control; did you mean 'label'?",
        'site.yml:9:53 loop_control.pause must be a number of seconds, got "soon"',
        "site.yml:11:7 'with_random_choice' (an Ansible lookup loop) is not supported yet; play takes loop: and with_items/list/dict/fileglob/first_found/together/sequence/nested/indexed_items/subelements",
        "site.yml:13:7 'loop_control' needs a loop ('loop' or a 'with_*' key) on the same task",
      ]);
    });
  });
});

describe('includes and imports', () => {
  const role = (files: Record<string, string>) => ({ 'site.yml': '- hosts: localhost\n  vars: {flag: true}\n  roles: [r]\n', ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`roles/r/${k}`, v])) });

  it('include_tasks with a templated name loads every file it may render to, as candidates picked at run time', async () => {
    const p = await plan(role({
      'tasks/main.yml': '- include_tasks: "setup-{{ ansible_os_family }}.yml"\n',
      'tasks/setup-Debian.yml': '- debug: {msg: deb}\n',
      'tasks/setup-RedHat.yml': '- debug: {msg: rh}\n',
      'tasks/other.yml': '- debug: {msg: other}\n',
    }));
    expect(p.diags).to.deep.equal([]);
    const b = p.tasks[0] as import('../../../runner/types.js').PlanBlock;
    expect(b.include).to.deep.include({ action: 'include_tasks', file: 'setup-{{ ansible_os_family }}.yml', templated: true });
    expect(b.block.map((c) => path.basename((c as { includeFile?: string }).includeFile ?? ''))).to.deep.equal(['setup-Debian.yml', 'setup-RedHat.yml']);
  });

  it('a candidate file that does not load is no load error: a host that picks it fails with its problems', async () => {
    const p = await plan(role({
      'tasks/main.yml': '- include_tasks: "setup-{{ ansible_os_family }}.yml"\n',
      'tasks/setup-Debian.yml': '- debug: {msg: deb}\n',
      'tasks/setup-Solaris.yml': '- pkg5: {name: x}\n',
    }));
    expect(p.diags).to.deep.equal([]);
    const b = p.tasks[0] as import('../../../runner/types.js').PlanBlock;
    const solaris = b.block[1] as import('../../../runner/types.js').PlanBlock;
    expect(solaris.block).to.deep.equal([]);
    expect(solaris.includeErrors).to.deep.equal(["roles/r/tasks/setup-Solaris.yml:1:3: unknown module 'pkg5'"]);
  });

  it('an include under a condition whose file does not load is no load error: a host that reaches it fails with its problems', async () => {
    const p = await plan(role({
      'tasks/main.yml': [
        '- include_tasks: win.yml',
        '  when: ansible_facts.os_family == "Windows"',
        '- block:',
        '    - include_tasks: win.yml',
        '  when: flag',
        '- include_tasks: deb.yml',
        '- debug: {msg: "{{ win_fact }}"}',
      ].join('\n') + '\n',
      'tasks/win.yml': '- ansible.windows.win_shell: echo\n- set_fact: {win_fact: 1}\n',
      'tasks/deb.yml': '- debug: {msg: deb}\n',
    }));
    expect(p.diags).to.deep.equal([]);
    const win = p.tasks[0] as import('../../../runner/types.js').PlanBlock;
    expect(win.block).to.deep.equal([]);
    expect(win.includeErrors).to.have.length(1);
    expect(win.includeErrors![0]).to.match(/^roles\/r\/tasks\/win\.yml:1:3: module 'ansible\.windows\.win_shell' is not supported by play/);
    expect(((p.tasks[1] as import('../../../runner/types.js').PlanBlock).block[0] as import('../../../runner/types.js').PlanBlock).includeErrors).to.have.length(1);
    expect((p.tasks[2] as import('../../../runner/types.js').PlanBlock).block).to.have.length(1);
  });

  it('a variable a condition proves defined is no undefined variable after it: in the list, the loop, the args, the include', async () => {
    const p = await plan(role({
      'tasks/main.yml': [
        '- debug: {msg: "{{ item }}"}',
        '  with_items: "{{ maybe_list }}"',
        '  when: maybe_list is defined',
        '- fail: {msg: bad}',
        '  when:',
        '    - maybe is defined',
        '    - maybe not in [1, 2]',
        '- include_tasks: more.yml',
        '  when: more_vars is defined',
        '- debug: {msg: "{{ nowhere }}"}',
        '  when: other is defined',
      ].join('\n') + '\n',
      'tasks/more.yml': '- debug: {msg: "{{ more_vars | dict2items }}"}\n',
    }));
    expect(p.diags).to.deep.equal(["roles/r/tasks/main.yml:10:10 undefined variable 'nowhere' in task 'debug' (roles/r/tasks/main.yml:10)"]);
  });

  it('a templated notify is rendered per host: its variables are checked, not its name; a handler that is an include is a handler', async () => {
    const p = await plan(role({
      'tasks/main.yml': [
        '- include_tasks: a.yml',
        '  vars: {notify_name: restart x}',
        '- debug: {msg: b}',
        '  notify: "{% if flag %}restart x{% else %}restart y{% endif %}"',
        '- debug: {msg: c}',
        '  notify: restart win',
      ].join('\n') + '\n',
      'tasks/a.yml': '- debug: {msg: a}\n  notify: "{{ notify_name }}"\n',
      'handlers/main.yml': '- name: restart x\n  debug: {msg: x}\n- name: restart win\n  include_tasks: handlers/win.yml\n',
      'handlers/win.yml': '- ansible.windows.win_service: {name: x}\n',
    }));
    expect(p.diags).to.deep.equal([]);
  });

  it("include_tasks: its own tags select it, apply's tags go onto its tasks; import_tasks copies its keywords onto each task", async () => {
    const p = await plan(role({
      'tasks/main.yml': [
        '- include_tasks: {file: a.yml, apply: {tags: [inner], become: true}}',
        '  tags: [outer]',
        '  when: flag',
        '- import_tasks: a.yml',
        '  tags: [imp]',
        '  become: true',
        '  when: flag',
      ].join('\n') + '\n',
      'tasks/a.yml': '- debug: {msg: a}\n',
    }));
    expect(p.diags).to.deep.equal([]);
    const inc = p.tasks[0] as import('../../../runner/types.js').PlanBlock;
    expect(inc).to.deep.include({ kind: 'block', tags: ['outer'], when: ['flag'] });
    expect(inc.block[0]).to.deep.include({ tags: ['inner'], become: true, when: [] });
    expect(p.tasks[1]).to.deep.include({ module: 'debug', tags: ['imp'], become: true, when: ['flag'] });
  });

  it('include_vars: its file (or every candidate of a templated name) defines variables for later tasks', async () => {
    const p = await plan(role({
      'tasks/main.yml': '- include_vars: "{{ ansible_os_family }}.yml"\n- ansible.builtin.include_vars: file=extra.yml\n- debug: {msg: "{{ pkg }} {{ more }}"}\n',
      'vars/Debian.yml': 'pkg: apt\n',
      'vars/RedHat.yml': 'pkg: yum\n',
      'vars/extra.yml': 'more: 1\n',
    }));
    expect(p.diags).to.deep.equal([]);
    expect(p.tasks.map((t) => (t as PlanTask).args)).to.deep.equal([{ file: '{{ ansible_os_family }}.yml' }, { file: 'extra.yml' }, { msg: '{{ pkg }} {{ more }}' }]);
  });

  it('names what cannot be: a missing file, no candidate, a looping or templated import, an unknown argument or apply key', async () => {
    const p = await plan(role({
      'tasks/main.yml': [
        '- include_vars: nothere.yml',
        '- include_tasks: "x-{{ ansible_os_family }}.yml"',
        '- import_tasks: a.yml',
        '  loop: [1]',
        '- import_tasks: "{{ f }}.yml"',
        '- include_tasks: {file: a.yml, apply: {delegate_to: x}}',
        '- include_tasks: {file: a.yml, static: true}',
        '- include_tasks: missing.yml',
      ].join('\n') + '\n',
      'tasks/a.yml': '- debug: {msg: a}\n',
    }));
    expect(p.diags.map((d) => d.replace(/ \/\S+/g, ' DIR'))).to.deep.equal([
      "roles/r/tasks/main.yml:1:17 include_vars file 'nothere.yml' not found; looked in roles/r/vars/nothere.yml, roles/r/nothere.yml",
      "roles/r/tasks/main.yml:2:18 include_tasks: no task file in roles/r/tasks matches 'x-{{ ansible_os_family }}.yml' (a templated name is loaded as the files it may render to)",
      "roles/r/tasks/main.yml:4:3 import_tasks cannot loop (it is read when loading); use include_tasks with 'loop'",
      "roles/r/tasks/main.yml:5:17 import_tasks needs a literal file name (it is read when loading); use include_tasks for '{{ f }}.yml'",
      "roles/r/tasks/main.yml:6:40 apply: 'delegate_to' is not supported by play; apply takes tags, become, become_user, ignore_errors, no_log, environment",
      "roles/r/tasks/main.yml:7:18 include_tasks: unknown argument 'static'",
      "roles/r/tasks/main.yml:8:18 include_tasks file 'missing.yml' not found; looked in roles/r/tasks/missing.yml, roles/r/missing.yml",
    ]);
  });
});

describe('roles in task lists, and import_playbook', () => {
  const files = {
    'roles/s/tasks/main.yml': '- debug: {msg: "s {{ s_v }}"}\n  notify: s handler\n',
    'roles/s/tasks/other.yml': '- debug: {msg: "other {{ s_v }} {{ s_x }}"}\n',
    'roles/s/defaults/main.yml': 's_v: 1\n',
    'roles/s/vars/alt.yml': 's_x: 2\n',
    'roles/s/handlers/main.yml': '- name: s handler\n  debug: {msg: h}\n',
    'roles/s/meta/main.yml': 'dependencies: [d]\n',
    'roles/d/tasks/main.yml': '- debug: {msg: d}\n',
  };

  it('import_role and include_role (tasks_from, vars_from, a loop): the role\'s tasks after its dependencies, its defaults, vars and handlers in the play', async () => {
    const dir = tree({
      ...files,
      'site.yml': play([
        '    - ansible.builtin.import_role: {name: s}',
        '      become: true',
        '    - include_role: {name: s, tasks_from: other, vars_from: alt}',
        '      loop: [1, 2]',
      ].join('\n') + '\n'),
    });
    const r = await loadPlan({ playbook: 'site.yml', extraVars: [], cwd: dir, env: {} });
    const p = r.plan.plays[0]!;
    const names = (items: PlanItem[]): unknown[] => items.map((i) => (i.kind === 'block' ? [i.name, i.include?.action ?? '-', names(i.block)] : `${i.role}:${(i.args as { msg: string }).msg}${i.become ? ' (become)' : ''}`));
    expect(names(p.tasks)).to.deep.equal([
      ['block', '-', [['role d', '-', ['d:d (become)']], ['role s', '-', ['s:s {{ s_v }} (become)']]]],
      ['block', 'include_role', [['role d', '-', ['d:d']], ['role s', '-', ['s:other {{ s_v }} {{ s_x }}']]]],
    ]);
    expect(p.roleDefaults).to.deep.include({ s_v: 1 });
    expect(p.roleVars).to.deep.include({ s_x: 2 });
    expect(p.handlers.map((h) => h.name)).to.deep.equal(['s handler']);
    expect((p.tasks[1] as import('../../../runner/types.js').PlanBlock).include).to.deep.include({ loop: [1, 2] });
  });

  it('names what it cannot do with roles', async () => {
    const p = await plan({
      ...files,
      'site.yml': play([
        '    - include_role: {name: "{{ r }}"}',
        '    - import_role: {name: s, tasks_from: nope}',
        '    - include_role: {name: s, handlers_from: x, bogus: 1}',
        '    - include_role: {name: nosuch}',
      ].join('\n') + '\n'),
    });
    expect(p.diags.map((d) => d.replace(/; looked in .*/, ''))).to.deep.equal([
      "site.yml:4:21 include_role with a templated role name is not supported by play: name the role",
      "site.yml:5:20 tasks_from: role 's' has no tasks/nope",
      "site.yml:6:31 include_role: handlers_from is not supported by play yet (the role's handlers/main.yml is used)",
      "site.yml:6:49 include_role: unknown argument 'bogus'",
      "site.yml:7:21 unknown role 'nosuch' (referenced at site.yml:7)",
    ]);
  });

  it('import_playbook: the plays of the file it names (relative to the importing playbook), with its tags and vars', async () => {
    const dir = tree({
      'site.yml': '- import_playbook: sub/other.yml\n  tags: [imp]\n  vars: {v: 1}\n- ansible.builtin.import_playbook: sub/other.yml\n',
      'sub/other.yml': '- hosts: localhost\n  gather_facts: false\n  vars_files: [vars.yml]\n  tasks:\n    - import_tasks: t.yml\n',
      'sub/vars.yml': 'w: 2\n',
      'sub/t.yml': '- debug: {msg: "{{ w }}"}\n',
    });
    const r = await loadPlan({ playbook: 'site.yml', extraVars: [], cwd: dir, env: {} }).catch((e: LoadError) => e);
    if (r instanceof LoadError) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    expect(r.plan.plays.map((p) => [p.vars, p.tasks[0]!.tags])).to.deep.equal([[{ v: 1, w: 2 }, ['imp']], [{ w: 2 }, []]]);
    const bad = await plan({ 'site.yml': '- import_playbook: site.yml\n- import_playbook: nope.yml\n- import_playbook: x.yml\n  when: y\n' });
    expect(bad.diags).to.deep.equal([
      'site.yml:1:20 import_playbook cycle: site.yml -> site.yml',
      'site.yml:2:20 import_playbook file nope.yml not found',
      'site.yml:3:20 import_playbook file x.yml not found',
      "site.yml:4:3 unknown key 'when' in import_playbook",
    ]);
  });
});

describe('one pass over foreign content', () => {
  it('reports the problems of every file at once: load errors and the compiler\'s (conditions, variables, notify)', async () => {
    const p = await plan({
      'site.yml': play([
        '    - copy: {dest: /x, conten: y}',
        '    - set_fact: {made: 1}',
        '      bogus_keyword: 1',
        '    - debug: {msg: "{{ made }} {{ nowhere }}"}',
        '      when: "1 =="',
        '    - include_tasks: more.yml',
      ].join('\n') + '\n'),
      'more.yml': '- debug: {msg: x}\n  notify: nobody\n- file: {path: /y, state: gone}\n',
    });
    // the condition's own wording belongs to the expression engine
    expect(p.diags.at(-1)).to.match(/^site.yml:8:13 invalid condition "1 ==" in task 'debug' \(site.yml:7\): /);
    expect(p.diags.slice(0, -1)).to.deep.equal([
      'more.yml:2:11 task \'debug\' (more.yml:1) notifies \'nobody\', but no handler has that name or listens to it',
      'more.yml:3:27 expected one of "file", "directory", "absent", "touch", "link", "hard" for state, got string "gone" (module file)',
      "site.yml:4:24 unknown argument 'conten' in module copy; did you mean 'content'?",
      "site.yml:6:7 unknown key 'bogus_keyword' in task",
      "site.yml:7:14 undefined variable 'nowhere' in task 'debug' (site.yml:7)",
    ]);
  });
});

describe('assert', () => {
  it("parses that: when loading, as when: is, and knows its variables", async () => {
    const p = await plan({ 'site.yml': play('    - command: "true"\n      register: r\n    - assert:\n        that:\n          - r.rc == 0\n          - "r.rc =="\n          - nowhere == 1\n') });
    expect(p.diags.map((d) => d.replace(/: [^:]*$/, ''))).to.deep.equal([
      "site.yml:7:9 invalid condition \"r.rc ==\" in task 'assert' (site.yml:6)",
      "site.yml:7:9 undefined variable 'nowhere' in task 'assert' (site.yml:6)",
    ].map((d) => d.replace(/: [^:]*$/, '')));
  });
});
