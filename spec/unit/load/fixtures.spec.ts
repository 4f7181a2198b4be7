// One directory per case under spec/fixtures/load/: the input files plus expected.json
// naming the stage, file, line and a message substring of the diagnostic it must produce.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LoadError } from '../../../runner/errors.js';
import type { Diagnostic } from '../../../runner/types.js';
import { loadProject } from '../../../runner/load/project.js';
import { loadInventoryFile } from '../../../runner/load/inventory.js';
import { loadExtraVars } from '../../../runner/load/extra-vars.js';
import { compilePlan } from '../../../runner/compile/compile.js';
import type { CompileOptions } from '../../../runner/compile/types.js';
import { fakeDeps, fakeInventory, fakeModules } from './fakes.js';

const ROOT = path.resolve('spec/fixtures/load');
const cwd = process.cwd();

interface Expected {
  stage: 'load' | 'compile' | 'inventory' | 'extra-vars';
  file: string;
  line: number;
  message: string;
  opts?: Partial<CompileOptions>;
  extraVars?: string[];
}

async function loadErrors(run: () => Promise<unknown> | unknown): Promise<Diagnostic[]> {
  try {
    await run();
  } catch (err) {
    if (err instanceof LoadError) return err.diagnostics;
    throw err;
  }
  throw new Error('expected a LoadError');
}

export async function diagnosticsFor(dir: string, exp: Expected): Promise<Diagnostic[]> {
  const site = path.join(dir, 'site.yml');
  switch (exp.stage) {
    case 'load':
      return loadErrors(() => loadProject(site, { modules: fakeModules, cwd }));
    case 'inventory':
      return loadErrors(() => loadInventoryFile(path.join(dir, 'inventory.yml'), cwd));
    case 'extra-vars':
      return loadErrors(() => loadExtraVars(exp.extraVars ?? [], dir));
    case 'compile': {
      const project = await loadProject(site, { modules: fakeModules, cwd });
      const inv = fakeInventory(await loadInventoryFile(path.join(dir, 'inventory.yml'), cwd));
      const r = compilePlan(project, inv, { extraVars: {}, ...exp.opts }, fakeDeps);
      if (r.ok) throw new Error('expected compile diagnostics');
      return r.diagnostics;
    }
  }
}

describe('load fixtures (invalid input)', () => {
  const cases = readdirSync(ROOT).filter((d) => !d.startsWith('valid')).sort();
  it('has at least 25 invalid cases', () => {
    expect(cases.length).to.be.at.least(25);
  });
  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(ROOT, name);
      const exp = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const diags = await diagnosticsFor(dir, exp);
      const file = exp.stage === 'extra-vars' ? exp.file : path.relative(cwd, path.join(dir, exp.file));
      const hit = diags.find((d) => d.file === file && d.line === exp.line && d.message.includes(exp.message));
      expect(hit, `no diagnostic ${file}:${exp.line} ~ ${exp.message}; got:\n${diags.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n')}`).to.not.equal(undefined);
      expect(hit!.col).to.be.at.least(1);
    });
  }
});
