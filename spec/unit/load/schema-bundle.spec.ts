// The editor schema, checked by a real schema tool (ajv-cli, as editors and CI use it) on good and bad
// files: as strict as `play validate` for what a schema can say, and every file of this repo passes.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFromRegistry } from '../../../runner/load/schema-bundle-registry.js';
import { MODULE_PREFIXES } from '../../../runner/load/schema-bundle.js';
import { registerAllModules } from '../../../runner/modules/all.js';
import { getModule, moduleNames } from '../../../runner/modules/registry.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const SCHEMAS = join(ROOT, 'runner', 'load', 'schemas');
const BUNDLE = join(SCHEMAS, 'play.bundle.schema.json');
const AJV = join(ROOT, 'node_modules', '.bin', 'ajv');

function ajv(schema: string, data: string[], refs: string[] = []): { code: number; out: string } {
  const r = spawnSync(AJV, ['validate', '--spec=draft7', '--allow-union-types', '--errors=text', '-s', schema, ...refs.flatMap((x) => ['-r', x]), ...data.flatMap((d) => ['-d', d])], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'play-schema-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('the editor schema (play.bundle.schema.json) under ajv-cli', () => {
  it('names every module as the registry resolves it', () => {
    registerAllModules();
    const props = Object.keys(((JSON.parse(readFileSync(BUNDLE, 'utf8')) as { definitions: Record<string, { properties: object }> }).definitions['tasks.task']!.properties));
    for (const m of moduleNames()) for (const p of ['', ...MODULE_PREFIXES]) {
      expect(props, p + m).to.include(p + m);
      expect(getModule(p + m)?.name).to.equal(m);
    }
  });

  it('is up to date with the file schemas and the module registry (npm run schemas)', () => {
    expect(JSON.parse(readFileSync(BUNDLE, 'utf8'))).to.deep.equal(JSON.parse(JSON.stringify(bundleFromRegistry())));
  });

  it('accepts a good playbook and a good task file', () => {
    const good = file('good.yml', [
      '# yaml-language-server: $schema=play.bundle.schema.json',
      '- name: web', '  hosts: web', '  become: true', '  tasks:',
      '    - name: conf', '      copy: {dest: /etc/x.conf, content: "x", mode: "{{ conf_mode }}"}', '      notify: restart',
      '    - name: free-form', '      command: echo hi',
      '    - block:', '        - debug: {msg: hi}', '      rescue:', '        - meta: flush_handlers',
      '  handlers:', '    - name: restart', '      service: {name: x, state: restarted}', '',
    ].join('\n'));
    const tasks = file('tasks.yml', '- name: pkg\n  ansible.builtin.apt: {name: nginx}\n- ansible.builtin.include_tasks: other.yml\n- community.mysql.mysql_user: {name: u}\n');
    const r = ajv(BUNDLE, [good, tasks]);
    expect(r.code, r.out).to.equal(0);
  });

  const bad: Record<string, [string, RegExp]> = {
    'a misspelt keyword (notfiy:)': ['    - name: t\n      copy: {dest: /x, content: y}\n      notfiy: restart\n', /must NOT have additional properties/],
    'a wrong module argument (copy: {dst:})': ['    - copy: {dst: /x}\n', /required property 'dest'/],
    'an unknown module (coppy:)': ['    - coppy: {dest: /x}\n', /must match exactly one schema in oneOf/],
    'two modules in one task': ['    - copy: {dest: /x, content: y}\n      command: echo hi\n', /must match exactly one schema in oneOf/],
    'a task with no module': ['    - name: nothing to do\n', /must match exactly one schema in oneOf/],
    'a wrong argument type (file: {recurse: often})': ['    - file: {path: /x, state: directory, recurse: often}\n', /must be boolean/],
  };
  for (const [what, [task, why]] of Object.entries(bad)) {
    it(`rejects ${what}`, () => {
      const r = ajv(BUNDLE, [file(`bad-${what.replace(/\W+/g, '-')}.yml`, `- hosts: web\n  tasks:\n${task}`)]);
      expect(r.code, r.out).to.equal(1);
      expect(r.out).to.match(why);
    });
  }

  it('passes every playbook, task and handler file of this repository', () => {
    const files = [
      ...readdirSync(join(ROOT, 'playbooks')).filter((f) => f.endsWith('.yml')).map((f) => join(ROOT, 'playbooks', f)),
      ...readdirSync(join(ROOT, 'roles')).flatMap((role) => ['tasks', 'handlers'].flatMap((sub) => {
        try {
          return readdirSync(join(ROOT, 'roles', role, sub)).filter((f) => f.endsWith('.yml')).map((f) => join(ROOT, 'roles', role, sub, f));
        } catch {
          return [];
        }
      })),
    ];
    expect(files.length).to.be.greaterThan(5);
    const r = ajv(BUNDLE, files);
    expect(r.code, r.out).to.equal(0);
  });

  it('the per-file schemas have $ids, so their cross-file references resolve', () => {
    for (const f of ['playbook', 'tasks', 'role-vars', 'role-meta', 'inventory']) {
      expect(JSON.parse(readFileSync(join(SCHEMAS, `${f}.schema.json`), 'utf8')).$id).to.equal(`${f}.schema.json`);
    }
    const pb = file('pb.yml', '- hosts: web\n  tasks:\n    - name: x\n      copy: {dest: /x, content: y}\n');
    const r = ajv(join(SCHEMAS, 'playbook.schema.json'), [pb], [join(SCHEMAS, 'tasks.schema.json')]);
    expect(r.code, r.out).to.equal(0);
    const meta = ajv(join(SCHEMAS, 'role-meta.schema.json'), [join(ROOT, 'roles', 'datadog-agent', 'meta', 'main.yml')], [join(SCHEMAS, 'playbook.schema.json'), join(SCHEMAS, 'tasks.schema.json')]);
    expect(meta.code, meta.out).to.equal(0);
  });
});
