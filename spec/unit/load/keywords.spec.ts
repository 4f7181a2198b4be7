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
