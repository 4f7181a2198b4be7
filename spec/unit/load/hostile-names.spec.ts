// Names that would reach a shell or a terminal: environment keys and inventory host names are
// checked at validation, with file:line:col.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LoadError } from '../../../runner/errors.js';
import { loadProject } from '../../../runner/load/project.js';
import { loadInventoryFile } from '../../../runner/load/inventory.js';
import { buildInventory } from '../../../runner/inventory/build.js';
import { hostNameProblem } from '../../../runner/inventory/host-name.js';
import { envFileText } from '../../../runner/execute/wrap.js';
import { fakeModules } from './fakes.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'play-hostile-'));
  for (const [rel, content] of Object.entries(files)) writeFileSync(path.join(dir, rel), content);
  return dir;
}

describe('environment keys', () => {
  it('must be POSIX names: a key carrying shell text is a diagnostic at its position', async () => {
    const dir = dirWith({
      'site.yml': '- hosts: all\n  tasks:\n    - name: t\n      command: "true"\n      environment:\n        GOOD_1: a\n        "A=1; touch /tmp/X; B": v\n    - block:\n        - command: "true"\n      environment: {"1X": v}\n',
    });
    const err = await loadProject('site.yml', { modules: fakeModules, cwd: dir }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LoadError);
    const ds = (err as LoadError).diagnostics;
    expect(ds.map((d) => [d.line, d.col])).to.deep.equal([[7, 9], [10, 21]]);
    expect(ds[0]!.message).to.equal('environment key "A=1; touch /tmp/X; B" is not a valid variable name: use letters, digits and _ (not starting with a digit)');
  });
  it('and the env file refuses one that reached it by another path', () => {
    expect(() => envFileText({ 'A=1; touch /tmp/X; B': 'v' })).to.throw(/not a valid variable name/);
    expect(envFileText({ OK_1: "it's" })).to.equal("export OK_1='it'\\''s'\n");
  });
});

describe('inventory host names', () => {
  it('follow the documented safe pattern', () => {
    for (const ok of ['web1', 'db-2.example.com', '127.0.10.3', '::1', 'fe80::1%eth0', 'host_a']) expect(hostNameProblem(ok), ok).to.equal(undefined);
    for (const bad of ['web\n  h2: ok', '-oProxyCommand=x', '.hidden', 'a b', 'x;rm', 'w*', 'e\x1b[2J', '']) expect(hostNameProblem(bad), bad).to.be.a('string');
  });
  it('a name with a newline is refused at its file:line:col', async () => {
    const dir = dirWith({ 'inv.yml': 'all:\n  hosts:\n    good: {}\n    "evil\\n  good: ok - forged": {}\n' });
    const raw = await loadInventoryFile('inv.yml', dir);
    const r = buildInventory(raw);
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.diagnostics).to.have.length(1);
      expect(r.diagnostics[0]).to.include({ file: 'inv.yml', line: 4, col: 5 });
      expect(r.diagnostics[0]!.message).to.match(/^host name "evil\\n {2}good: ok - forged" is not allowed/);
    }
  });
});
