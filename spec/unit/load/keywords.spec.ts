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
      "roles/r/tasks/main.yml:8:18 include_tasks file 'missing.yml' not found; looked in roles/r/tasks/missing.yml",
    ]);
  });
});
