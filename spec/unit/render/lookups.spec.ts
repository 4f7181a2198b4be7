// Controller lookups and {% include %} on real files: where they look (the role's files/ and
// templates/ before the playbook's, as Ansible 2.14's search path), and errors at file:line:col.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderString, renderTemplateFile } from '../../../runner/render/jinja/index.js';
import { fileLoader } from '../../../runner/render/controller.js';
import { templateSearchPath } from '../../../runner/render/template-paths.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'play-lookups-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('lookups and includes on the controller', () => {
  const root = tree({
    'files/motd': 'playbook motd\n',
    'files/only-pb': 'pb\n',
    'roles/r/files/motd': 'role motd\n',
    'roles/r/templates/main.j2': 'a\n{% include "part.j2" %}\nz {{ lookup("file", "motd") }}\n',
    'roles/r/templates/part.j2': 'part {{ x }}\n',
    'roles/r/templates/bad.j2': 'line1\n{% include "broken.j2" %}\n',
    'roles/r/templates/broken.j2': 'ok\n  {{ nope + }}\n',
  });
  const role = path.join(root, 'roles/r');
  const vars = { playbook_dir: root, role_path: role, x: 1 };
  const loader = (src: string) => fileLoader(templateSearchPath({ baseDir: role, taskDir: path.join(role, 'tasks'), playbookDir: root, source: src }));

  it("file: the role's files/ first, then the playbook's", () => {
    expect(renderString("{{ lookup('file', 'motd') }}|{{ lookup('file', 'only-pb') }}", vars, 't')).to.equal('role motd|pb');
    expect(renderString("{{ lookup('file', 'motd') }}", { playbook_dir: root }, 't')).to.equal('playbook motd');
  });

  it('a missing file is one clear error', () => {
    expect(() => renderString("{{ lookup('file', 'absent') }}", vars, 'task x')).to.throw(/task x: could not locate file in lookup: absent/);
  });

  it('include renders the included file in the current scope, on the role templates/ path', () => {
    const src = path.join(role, 'templates/main.j2');
    expect(renderTemplateFile('a\n{% include "part.j2" %}\nz {{ lookup("file", "motd") }}\n', vars, 'main.j2', {}, { loader: loader(src) })).to.equal('a\npart 1z role motd\n');
  });

  it("an error inside an included file names that file, line and column", () => {
    const src = path.join(role, 'templates/bad.j2');
    expect(() => renderTemplateFile('line1\n{% include "broken.j2" %}\n', vars, 'bad.j2', {}, { loader: loader(src) })).to.throw(/bad\.j2: \S*broken\.j2:2:13: template syntax error: unexpected '}}'/);
  });
});
