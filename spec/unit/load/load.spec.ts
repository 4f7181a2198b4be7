import { expect } from 'chai';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LoadError } from '../../../runner/errors.js';
import type { Diagnostic } from '../../../runner/types.js';
import { loadProject } from '../../../runner/load/project.js';
import { loadInventoryFile } from '../../../runner/load/inventory.js';
import { loadExtraVars } from '../../../runner/load/extra-vars.js';
import { closest, levenshtein } from '../../../runner/load/suggest.js';
import { MAX_YAML_BYTES } from '../../../runner/load/yaml.js';
import { fakeModules } from './fakes.js';

/** Writes an inline file tree into a fresh temp dir and returns the dir. */
function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'play-load-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function diagsOf(p: Promise<unknown>): Promise<Diagnostic[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LoadError) return err.diagnostics;
    throw err;
  }
  throw new Error('expected a LoadError');
}

describe('loadProject', () => {
  it('collects problems from every file before throwing one LoadError', async () => {
    const dir = tree({
      'site.yml': '- hosts: all\n  roles: [web, db]\n  tasks:\n    - cpoy: {dest: /x}\n',
      'roles/web/tasks/main.yml': '- file: {path: /x, state: gone}\n',
      'roles/db/defaults/main.yml': 'a: [\n',
    });
    const diags = await diagsOf(loadProject(path.join(dir, 'site.yml'), { modules: fakeModules, cwd: dir }));
    expect(diags.map((d) => `${d.file}:${d.line}`)).to.deep.equal(['roles/db/defaults/main.yml:2', 'roles/web/tasks/main.yml:1', 'site.yml:4']);
    expect(diags[1]!.message).to.equal('expected one of "file", "directory", "absent", "touch" for state, got string "gone" (module file)');
  });

  it('exempts template strings from type checks but not unknown or missing arguments', async () => {
    const dir = tree({
      'site.yml': [
        '- hosts: all',
        '  tasks:',
        '    - file: {path: /x, state: "{{ st }}", mode: "{{ m }}"}',
        '    - copy: {content: "{{ c }}", bogus: "{{ b }}"}',
      ].join('\n'),
    });
    const diags = await diagsOf(loadProject(path.join(dir, 'site.yml'), { modules: fakeModules, cwd: dir }));
    expect(diags.map((d) => `${d.line}: ${d.message}`)).to.deep.equal([
      "4: missing required argument 'dest' in module copy",
      "4: unknown argument 'bogus' in module copy",
    ]);
  });

  it('refuses an oversized playbook with its size', async () => {
    const dir = tree({ 'site.yml': Buffer.alloc(MAX_YAML_BYTES + 1, 0x20) });
    const diags = await diagsOf(loadProject(path.join(dir, 'site.yml'), { modules: fakeModules, cwd: dir }));
    expect(diags).to.have.length(1);
    expect(diags[0]).to.include({ file: 'site.yml', line: 1 });
    expect(diags[0]!.message).to.match(/limited to \d+ bytes/);
  });

  it('finds roles on rolesPath, reads include_tasks relative to the role tasks dir', async () => {
    const dir = tree({
      'play/site.yml': '- hosts: all\n  roles: [{role: r, vars: {p: 1}, when: "p == 1"}]\n',
      'lib/r/tasks/main.yml': '- include_tasks: sub/more.yml\n',
      'lib/r/tasks/sub/more.yml': '- name: deep\n  command: ls\n',
    });
    const p = await loadProject(path.join(dir, 'play/site.yml'), { modules: fakeModules, rolesPath: [path.join(dir, 'lib')], cwd: dir });
    const role = p.roles.get('r')!;
    expect(role.dir).to.equal(path.join(dir, 'lib/r'));
    // include_tasks is dynamic: a block marked include, the file's tasks inside
    const inc = role.tasks[0]!;
    expect(inc.kind === 'block' && inc.include).to.deep.include({ action: 'include_tasks', file: 'sub/more.yml', templated: false });
    const inner = inc.kind === 'block' ? inc.block : [];
    expect(inner.map((t) => t.kind === 'task' && [t.idPrefix, t.kw.name, t.file])).to.deep.equal([['r', 'deep', 'lib/r/tasks/sub/more.yml']]);
    expect(p.plays[0]!.roles).to.deep.include({ name: 'r', params: { p: 1 }, tags: [], when: ['p == 1'], src: { file: 'play/site.yml', line: 2, col: 11 } });
  });
});

describe('loadInventoryFile', () => {
  it('reads group_vars and host_vars (file or directory) and host positions', async () => {
    const dir = tree({
      'inv.yml': 'all:\n  hosts:\n    a:\n  children:\n    web:\n      hosts:\n        b: {ansible_port: 22}\n',
      'group_vars/web.yml': 'x: 1\n',
      'group_vars/all/10.yml': 'y: 1\n',
      'group_vars/all/20.yaml': 'y: 2\nz: 3\n',
      'host_vars/b.yml': 'ansible_host: 10.0.0.2\n',
    });
    const inv = await loadInventoryFile(path.join(dir, 'inv.yml'), dir);
    expect(inv.groupVars).to.deep.equal({ web: { x: 1 }, all: { y: 2, z: 3 } });
    expect(inv.hostVars).to.deep.equal({ b: { ansible_host: '10.0.0.2' } });
    expect(inv.hostPos['b']).to.deep.equal({ file: 'inv.yml', line: 7, col: 9 });
    expect(inv.file).to.equal('inv.yml');
  });
});

describe('loadExtraVars', () => {
  it('merges key=value, JSON and @file left to right', () => {
    const dir = tree({ 'x.yml': 'a: from-file\nn: 3\n' });
    expect(loadExtraVars(['a=1 b=two', '{"c": [1]}', '@x.yml'], dir)).to.deep.equal({ a: 'from-file', b: 'two', c: [1], n: 3 });
  });
  it('rejects a file that is not a mapping, and a bad name', () => {
    const dir = tree({ 'l.yml': '- 1\n' });
    expect(() => loadExtraVars(['@l.yml'], dir)).to.throw(LoadError, /must hold a mapping/);
    expect(() => loadExtraVars(['1x=2'], dir)).to.throw(LoadError, /'1x' is not a valid variable name/);
    expect(() => loadExtraVars(['@missing.yml'], dir)).to.throw(LoadError, /cannot be read: ENOENT/);
  });
});

describe('suggestions', () => {
  it('counts a swap of neighbours as one edit and stays quiet for far words', () => {
    expect(levenshtein('cpoy', 'copy')).to.equal(1);
    expect(levenshtein('kitten', 'sitting')).to.equal(3);
    expect(closest('hots', ['hosts', 'tasks'])).to.equal('hosts');
    expect(closest('zzz', ['hosts', 'tasks'])).to.equal(undefined);
  });
});
