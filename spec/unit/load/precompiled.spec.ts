// The validators precompiled at build time (dist/runner/load/validators.generated.cjs) must be the
// same functions ajv compiles at run time: same verdicts, same errors, one for every built-in schema.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { registerAllModules } from '../../../runner/modules/all.js';
import { getModule, moduleNames } from '../../../runner/modules/registry.js';
import { looseKey, makeAjv, registerFileSchemas, SCHEMA_NAMES } from '../../../runner/load/validate.js';

const GENERATED = join(dirname(fileURLToPath(import.meta.url)), '../../../dist/runner/load/validators.generated.cjs');

describe('precompiled validators', () => {
  let gen: { fileValidators: Record<string, ValidateFunction>; looseValidators: Record<string, ValidateFunction> };
  before(async function () {
    if (!existsSync(GENERATED)) throw new Error(`${GENERATED} is missing: run npm run build`);
    gen = createRequire(import.meta.url)(GENERATED) as typeof gen;
    registerAllModules();
  });

  const errorsOf = (v: ValidateFunction, data: unknown) => (v(data) ? [] : (v.errors ?? []).map((e) => ({ ...e, schema: undefined, parentSchema: (e.parentSchema as { title?: string })?.title })));

  it('covers every published file schema and gives the errors a fresh compile gives', () => {
    const ajv = makeAjv(true);
    registerFileSchemas(ajv);
    const samples: unknown[] = [[{ hosts: 'all', tasks: [{ name: 'x', copy: { dest: '/a' } }] }], [{ hosts: 1, taskz: [] }], { all: { hosts: { a: 3 } } }, [{ name: 'x', when: 3 }], 'text', null];
    for (const name of SCHEMA_NAMES) {
      const pre = gen.fileValidators[name];
      expect(pre, name).to.be.a('function');
      for (const s of samples) expect(errorsOf(pre!, s), `${name} on ${JSON.stringify(s)}`).to.deep.equal(errorsOf(ajv.getSchema(name)!, s));
    }
  });

  it('covers every module\'s argument schema and gives the errors a fresh compile gives', () => {
    const ajv = makeAjv(false);
    const samples: unknown[] = [{}, { path: '/x', state: 'bogus', mode: 7 }, { unknown_arg: true }, 'free form', null];
    for (const name of moduleNames()) {
      const schema = getModule(name)!.schema;
      const pre = gen.looseValidators[looseKey(schema)];
      expect(pre, `module ${name}`).to.be.a('function');
      const fresh = ajv.compile(schema);
      for (const s of samples) expect(errorsOf(pre!, s), `${name} on ${JSON.stringify(s)}`).to.deep.equal(errorsOf(fresh, s));
    }
  });
});
