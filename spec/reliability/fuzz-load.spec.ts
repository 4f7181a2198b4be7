// No input may cause an internal error: single-edit mutations of the project's own playbook, roles and
// inventory (bench/fuzz-load.ts, seeded) either load or are refused with diagnostics at file:line.
// A longer search: node dist/bench/fuzz-load.js 2000 <seed>.
import { expect } from 'chai';
import { fuzzLoad } from '../../bench/fuzz-load.js';

describe('the loader under hostile edits (seeded mutations of the project)', function () {
  it('120 mutations: every one loads or is refused with diagnostics; none is an internal error', async function () {
    this.timeout(600000);
    const out = await fuzzLoad(120, 7);
    expect(out.findings.map((f) => `${f.mutation.file}: ${f.mutation.what}\n${f.error.split('\n').slice(0, 3).join('\n')}`)).to.deep.equal([]);
    expect(out.loaded, 'some mutations are harmless').to.be.greaterThan(0);
    expect(out.rejected, 'some mutations are refused').to.be.greaterThan(0);
  });
});
