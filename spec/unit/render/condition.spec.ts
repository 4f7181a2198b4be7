import { expect } from 'chai';
import { conditionRoots, evaluateCondition, evaluateConditions, parseCondition, type ConditionExpr } from '../../../runner/render/condition.js';
import { renderError } from './support.js';

const WHERE = "task 'x' tasks/main.yml:3";
const vars = {
  n: 5,
  s: 'Hello',
  empty: '',
  zero: 0,
  none: null,
  yes: 'yes',
  list: [1, 2, 'three'],
  nested: { a: { b: 'deep' }, 'k-1': 7 },
  flag: true,
  ver: '22',
  changedRes: { changed: true, failed: false },
  failedRes: { changed: false, failed: true, rc: 2 },
  skippedRes: { changed: false, failed: false, skipped: true },
};

function expr(text: string): ConditionExpr {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(`${text}: ${r.message} at ${r.col}`);
  return r.expr;
}
const ev = (text: string, v: Record<string, unknown> = vars) => evaluateCondition(expr(text), v, WHERE);

describe('conditions: evaluation', () => {
  const truthTable: Array<[string, boolean]> = [
    ['n == 5', true], ['n != 5', false], ['n < 6', true], ['n <= 5', true], ['n > 5', false], ['n >= 5', true],
    ["s == 'Hello'", true], ['s == "hello"', false], ["'ell' in s", true], ["'x' not in s", true],
    ['2 in list', true], ["'three' in list", true], ['4 not in list', true], ["'a' in nested", true], ["'zz' in nested", false],
    ['n > 1 and n < 10', true], ['n > 10 or flag', true], ['not flag', false], ['not (n == 5 and flag)', false],
    ['1 < n < 10', true], ['1 < n < 3', false],
    ['flag', true], ['empty', false], ['zero', false], ['none', false], ['list', true], ['[]', false], ['nested', true],
    ['true', true], ['True', true], ['false', false], ['False', false], ['none is none', true], ['None', false],
    ["nested.a.b == 'deep'", true], ["nested['a']['b'] == 'deep'", true], ["nested['k-1'] == 7", true], ['list[0] == 1', true], ['list[-1] == "three"', true],
    ['list == [1, 2, "three"]', true], ['[1, 2] != list', true], ['-1 < 0', true], ['2.5 > 2', true],
    ['missing is defined', false], ['missing is not defined', true], ['missing is undefined', true], ['n is defined', true],
    ['missing.deeper.still is defined', false], ['nested.a.zz is defined', false], ['nested.a.b is defined', true],
    ['none is none', true], ['n is not none', true],
    ['changedRes is changed', true], ['failedRes is changed', false], ['failedRes is failed', true], ['failedRes is succeeded', false],
    ['changedRes is success', true], ['skippedRes is skipped', true], ['changedRes is not skipped', true],
    ['yes | bool', true], ["'no' | bool", false], ['ver | int >= 20', true], ["'abc' | int == 0", true], ["'x' | int(7) == 7", true],
    ['list | length == 3', true], ['s | length == 5', true], ['nested | count == 2', true],
    ["s | lower == 'hello'", true], ["s | upper == 'HELLO'", true], ["'  pad ' | trim == 'pad'", true], ['n | string == "5"', true],
    ['missing | default(3) == 3', true], ['n | default(3) == 5', true], ["empty | default('x', true) == 'x'", true], ["empty | d('x') == ''", true],
    ['none | string == "None"', true], ['missing is defined and missing > 3', false], ['n == 5 or missing', true],
    ['{{ n == 5 }}', true], ['  {{flag}}  ', true],
  ];
  for (const [text, want] of truthTable) {
    it(`${text} -> ${want}`, () => expect(ev(text)).to.equal(want));
  }

  it('evaluateConditions ANDs a list (empty list is true)', () => {
    expect(evaluateConditions([expr('flag'), expr('n == 5')], vars, WHERE)).to.equal(true);
    expect(evaluateConditions([expr('flag'), expr('n == 6')], vars, WHERE)).to.equal(false);
    expect(evaluateConditions([], vars, WHERE)).to.equal(true);
    // stops at the first false one: the undefined variable in the second is never read
    expect(evaluateConditions([expr('false'), expr('missing')], vars, WHERE)).to.equal(false);
  });

  it('throws RenderError naming an undefined variable', () => {
    const e = renderError(() => ev('missing == 1'));
    expect(e.message).to.contain("undefined variable 'missing'");
    expect(e.where).to.equal(WHERE);
    expect(renderError(() => ev('nested.a.zz == 1')).message).to.contain("'nested.a.zz'");
    expect(renderError(() => ev('gone.x is none')).message).to.contain("'gone.x'");
    expect(renderError(() => ev('missing | int')).message).to.contain("'missing'");
    expect(renderError(() => ev('missing is changed')).message).to.contain("'missing'");
  });

  it('throws on type errors instead of guessing', () => {
    expect(renderError(() => ev("ver > 20")).message).to.match(/cannot compare str \(22\) with int \(20\)/);
    expect(renderError(() => ev('n is changed')).message).to.match(/expects a registered task result/);
    expect(renderError(() => ev('1 in n')).message).to.match(/needs a list, string or dict/);
    expect(renderError(() => ev('n | length')).message).to.match(/length/);
  });
});

describe('conditions: parsing', () => {
  const errors: Array<[string, number, RegExp]> = [
    ['n ==', 5, /unexpected end of condition/],
    ['(n == 5', 1, /unclosed '\('/],
    ['n == 5)', 7, /unexpected '\)'/],
    ['n = 5', 3, /unexpected '=' after a complete expression/],
    ["s == 'open", 6, /unterminated string/],
    ['x | frobnicate', 5, /unknown filter 'frobnicate'/],
    ['x is frob', 6, /unknown test 'frob'/],
    ['x | default(', 12, /unclosed '\('/],
    ['x is defined is', 16, /unexpected end of condition|expected a filter or test name/],
    ['a b', 3, /unexpected 'b'/],
    ['', 1, /empty condition/],
    ['{{ n == }}', 9, /unexpected end of condition/],
    ['x.', 3, /unexpected end of condition/],
    ['x | frob(1)', 5, /unknown filter 'frob'/],
    ['a and\n  b )', 5, /unexpected '\)'/],
  ];
  for (const [text, col, re] of errors) {
    it(`'${text}' fails at col ${col}`, () => {
      const r = parseCondition(text);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.message).to.match(re);
      expect(r.col).to.equal(col);
    });
  }
});

describe('conditionRoots', () => {
  it('lists roots, leaving out names only under is defined / default', () => {
    expect(conditionRoots(expr('a.b == 1 and c is defined and (d | default(e)) and f is not defined or g[h] in i'))).to.deep.equal(['a', 'e', 'g', 'h', 'i']);
    expect(conditionRoots(expr('x is defined and x > 1'))).to.deep.equal([]);
    expect(conditionRoots(expr('x is defined and x | length > 0'))).to.deep.equal([]);
    expect(conditionRoots(expr('x | length > 0 and x is defined'))).to.deep.equal(['x']);
    expect(conditionRoots(expr('res is changed'))).to.deep.equal(['res']);
    expect(conditionRoots(expr('true'))).to.deep.equal([]);
  });
});
