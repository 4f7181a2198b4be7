// The exports FILTERS-CONTRACT.md promises the engine, and the float hint for integral results.
import { expect } from 'chai';
import { FILTERS, FilterError, GLOBALS, TESTS, floatResult } from '../../../../runner/render/filters/index.js';

describe('filters: contract with the engine', () => {
  it('exports FILTERS, TESTS, GLOBALS.range and FilterError, frozen', () => {
    expect(Object.isFrozen(FILTERS) && Object.isFrozen(TESTS)).to.equal(true);
    for (const n of ['bool', 'int', 'to_nice_yaml', 'regex_replace', 'password_hash', 'map', 'selectattr', 'combine']) expect(FILTERS).to.have.property(n);
    for (const n of ['version', 'match', 'subset', 'truthy', 'in', 'eq']) expect(TESTS).to.have.property(n);
    for (const n of ['default', 'd', 'mandatory']) expect(FILTERS).to.not.have.property(n);
    for (const n of ['defined', 'undefined', 'file', 'directory', 'exists']) expect(TESTS).to.not.have.property(n);
    expect(GLOBALS.range!(2, 5)).to.deep.equal([2, 3, 4]);
    expect(new FilterError('x')).to.be.instanceOf(Error);
  });

  it('returns undefined where Jinja returns Undefined, for the engine to turn into its own', () => {
    expect(FILTERS.first!([], [], {})).to.equal(undefined);
    expect(FILTERS.max!([], [], {})).to.equal(undefined);
    expect(FILTERS.map!([{ a: 1 }, {}], [], { attribute: 'a' })).to.deep.equal([1, undefined]);
    expect(FILTERS.extract!('z', [{ x: 1 }], {})).to.equal(undefined);
  });

  it('tells which integral numbers are Python floats', () => {
    expect(floatResult('float', '3', [], {})).to.equal(true);
    expect(floatResult('round', 2.5, [], {})).to.equal(true);
    expect(floatResult('round', 7, [], {})).to.equal(false);
    expect(floatResult('round', 7, [0, 'ceil'], {})).to.equal(true);
    expect(floatResult('int', '3', [], {})).to.equal(false);
  });
});

describe('filters: map() over engine-owned filters', () => {
  it('map("default", x) fills the missing attributes map(attribute=) leaves', () => {
    const picked = FILTERS.map!([{ a: 1 }, {}], [], { attribute: 'a' });
    expect(FILTERS.map!(picked, ['default', 0], {})).to.deep.equal([1, 0]);
    expect(() => FILTERS.map!(picked, ['mandatory', 'need a'], {})).to.throw(FilterError, 'need a');
  });
});
