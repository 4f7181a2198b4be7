// Every filter and test, fed odd plain values and arguments, either returns or throws FilterError
// with a readable message: never a TypeError, RangeError or a JS-internal message.
import { expect } from 'chai';
import { FILTERS, FilterError, GLOBALS, TESTS } from '../../../../runner/render/filters/index.js';

const VALUES: unknown[] = [null, true, false, 0, -1, 2.5, '', 'abc', 'a,b c', '1.2.3', '/etc/x.conf', [], [1, 'a', null], [[1], [2, [3]]], [{ a: 1 }, { b: 2 }], {}, { a: 1, b: [1, 2], c: { d: null } }];
const ARGS: unknown[][] = [[], [null], ['x'], [1], [-5], [[1]], [{}], ['a', 'b', 'c', 'd'], [true, 'x', 3]];
const KWARGS: Array<Record<string, unknown>> = [{}, { attribute: 'a' }, { bogus: 1 }];
const JS_INTERNAL = /undefined is not|is not a function|Cannot read prop|of undefined|of null|Maximum call stack|\[object Object\]/;

function check(where: string, run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof FilterError)) throw new Error(`${where} threw ${(err as Error).name}: ${(err as Error).message}`);
    expect((err as Error).message, where).to.not.match(JS_INTERNAL);
    expect((err as Error).message.length, where).to.be.greaterThan(0);
  }
}

describe('filters and tests: only FilterError on bad input', () => {
  for (const name of Object.keys(FILTERS).sort()) {
    it(`filter ${name}`, () => {
      // password_hash costs 5000 SHA-512 rounds per string, so it gets fewer strings.
      const values = name === 'password_hash' ? VALUES.filter((v) => typeof v !== 'string' || v === 'abc') : VALUES;
      for (const v of values) for (const a of ARGS) for (const kw of KWARGS) check(`${JSON.stringify(v)} | ${name}(${JSON.stringify(a)}, ${JSON.stringify(kw)})`, () => FILTERS[name]!(v, a, kw));
    });
  }
  for (const name of Object.keys(TESTS).sort()) {
    it(`test ${name}`, () => {
      for (const v of VALUES) for (const a of ARGS) for (const kw of KWARGS) check(`${JSON.stringify(v)} is ${name}(${JSON.stringify(a)})`, () => TESTS[name]!(v, a, kw));
    });
  }
  it('global range', () => {
    for (const a of ARGS) check(`range(${JSON.stringify(a)})`, () => GLOBALS.range!(...a));
    expect(() => GLOBALS.range!(1e9)).to.throw(FilterError, /too big/);
  });
});

describe('filters: resource limits are FilterErrors too', () => {
  it('a huge indent or format %c out of range', () => {
    expect(() => FILTERS.indent!('a\nb', [2 ** 30], {})).to.throw(FilterError);
    expect(() => FILTERS.format!('%c', [0x110000], {})).to.throw(FilterError);
    let deep: unknown = [];
    for (let i = 0; i < 20000; i++) deep = [deep];
    expect(() => FILTERS.string!(deep, [], {})).to.throw(FilterError, /too large or too deeply nested/);
  });
});
