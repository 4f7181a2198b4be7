// Play's Jinja against Ansible's: spec/fixtures/jinja-oracle/expected/ was rendered by
// ansible-playbook (ansible-core 2.14) with scripts/jinja-oracle.sh from the same inputs.
import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { renderString, renderTemplateFile } from '../../../runner/render/jinja/index.js';
import { fileLoader } from '../../../runner/render/controller.js';
import { templateSearchPath } from '../../../runner/render/template-paths.js';

const dir = path.resolve('spec/fixtures/jinja-oracle');
// playbook_dir: where lookups search (files/, templates/), as for a task of site.yml
const vars = { ...(YAML.parse(readFileSync(path.join(dir, 'vars.yml'), 'utf8')) as Record<string, unknown>), playbook_dir: dir };
process.env['PLAY_ORACLE_ENV'] = 'from-env'; // as scripts/jinja-oracle.sh sets it for ansible-playbook
const cases = (YAML.parse(readFileSync(path.join(dir, 'cases.yml'), 'utf8')) as { cases: Record<string, string> }).cases;
const expected = JSON.parse(readFileSync(path.join(dir, 'expected/cases.json'), 'utf8')) as Record<string, string>;

describe('jinja: same output as ansible-core 2.14', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(`expression case '${name}'`, () => expect(renderString(text, vars, name)).to.equal(expected[name]));
  }
  for (const file of readdirSync(path.join(dir, 'templates')).filter((f) => statSync(path.join(dir, 'templates', f)).isFile())) {
    it(`template ${file}`, () => {
      const source = path.join(dir, 'templates', file);
      const text = readFileSync(source, 'utf8');
      // the search path of a playbook task, as Ansible's template action builds it
      const loader = fileLoader(templateSearchPath({ baseDir: dir, playbookDir: dir, source }));
      expect(renderTemplateFile(text, vars, file, {}, { loader })).to.equal(readFileSync(path.join(dir, 'expected', `${file}.out`), 'utf8'));
    });
  }
});
