// Ansible content as written in the wild: free-form k=v arguments (split as Ansible's parse_kv, which is
// the oracle here), FQCN includes, and constructs play lacks named as such rather than "unknown module".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { LoadError } from '../../../runner/errors.js';
import { parseKv, typeBySchema } from '../../../runner/load/kv-args.js';
import { loadProject } from '../../../runner/load/project.js';
import { registerAllModules } from '../../../runner/modules/all.js';
import { getModule, moduleNames } from '../../../runner/modules/registry.js';
import type { Diagnostic } from '../../../runner/types.js';

const modules = { getModule, moduleNames };

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'play-foreign-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function load(files: Record<string, string>): Promise<{ diags: Diagnostic[]; project?: unknown }> {
  const dir = tree(files);
  try {
    return { diags: [], project: await loadProject(path.join(dir, 'site.yml'), { modules, cwd: dir }) };
  } catch (err) {
    if (err instanceof LoadError) return { diags: err.diagnostics };
    throw err;
  }
}

function ansibleParseKv(s: string): Record<string, string> {
  const code = 'import json,sys\nfrom ansible.parsing.splitter import parse_kv\nprint(json.dumps(parse_kv(sys.stdin.read())))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code], { input: s, encoding: 'utf8' })) as Record<string, string>;
}

describe('foreign Ansible content', () => {
  before(() => registerAllModules());

  describe('free-form k=v arguments', () => {
    const samples = [
      'path=/x state=directory mode=0644',
      'dest=/etc/motd content="hello world" owner=root',
      "line='PermitRootLogin no' regexp='^#?PermitRootLogin' path=/etc/ssh/sshd_config",
      'src={{ item.src }} dest="{{ base }}/{{ item.name }}" force=yes',
      'msg="{{ a | default(\'x y\') }}" other=1',
      'content="say \\"hi\\"" dest=/tmp/q',
      'a=1 free words b=2',
    ];
    for (const s of samples) {
      it(`splits ${JSON.stringify(s)} as Ansible's parse_kv does`, () => {
        const want = ansibleParseKv(s);
        const got = parseKv(s);
        expect(got.ok).to.equal(true);
        if (!got.ok) return;
        const { _raw_params: raw, ...pairs } = want;
        expect(got.args).to.deep.equal(pairs);
        expect(got.rawParams).to.equal(raw);
      });
    }

    it('types values by the module schema, as an argument spec converts them', () => {
      const schema = { properties: { force: { type: 'boolean' }, retries: { type: 'integer' }, mode: { type: ['string', 'integer'] }, groups: { type: 'array' }, path: { type: 'string' } } };
      expect(typeBySchema({ force: 'yes', retries: '3', mode: '0644', groups: 'a,b', path: 'yes' }, schema))
        .to.deep.equal({ force: true, retries: 3, mode: '0644', groups: ['a', 'b'], path: 'yes' });
      expect(typeBySchema({ force: '{{ f }}' }, schema)).to.deep.equal({ force: '{{ f }}' });
    });

    it('loads `file: path=/x state=directory` and checks it against the module schema, templates included', async () => {
      const ok = await load({ 'site.yml': '- hosts: all\n  tasks:\n    - file: path=/srv/x state=directory mode=0755 recurse=no\n    - file: path={{ d }} state=absent\n' });
      expect(ok.diags).to.deep.equal([]);
      const bad = await load({ 'site.yml': '- hosts: all\n  tasks:\n    - file: path={{ d }} state=gone\n    - copy: dest=/x conten=y\n    - file: path=/x some words\n' });
      expect(bad.diags.map((d) => `${d.line}: ${d.message}`)).to.deep.equal([
        '3: expected one of "file", "directory", "absent", "touch", "link", "hard" for state, got string "gone" (module file)',
        "4: unknown argument 'conten' in module copy; did you mean 'content'?",
        "5: module file takes key=value arguments; 'some words' is not one",
      ]);
    });
  });

  describe('names', () => {
    it('takes ansible.builtin.import_tasks and include_tasks spelled in full', async () => {
      const r = await load({
        'site.yml': '- hosts: all\n  tasks:\n    - ansible.builtin.import_tasks: more.yml\n    - ansible.builtin.include_tasks: more.yml\n',
        'more.yml': '- debug: {msg: hi}\n',
      });
      expect(r.diags).to.deep.equal([]);
    });

    it('names an unsupported keyword or module as such, with no misleading "did you mean"', async () => {
      const r = await load({
        'site.yml': [
          '- hosts: all', '  tasks:',
          '    - copy: {dest: /x, content: y}', '      async: 10',
          '    - ansible.builtin.cron: {name: x, job: "true"}',
          '    - include_vars: "{{ item }}"', '      with_first_found: [{files: [a.yml, b.yml], skip: true}]',
          '    - community.general.ufw: {rule: allow}',
        ].join('\n') + '\n',
      });
      expect(r.diags.map((d) => `${d.line}:${d.col} ${d.message}`)).to.deep.equal([
        "4:7 'async' is an Ansible task keyword that play does not support yet",
        "5:7 module 'ansible.builtin.cron' (an Ansible builtin module) is not supported by play yet",
        "8:7 module 'community.general.ufw' is not supported by play (collection modules play implements are listed in the README)",
      ]);
    });
  });
});
