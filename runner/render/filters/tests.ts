// Jinja2 and Ansible tests (`x is name(args)`). defined/undefined are the engine's. The path tests
// file/directory/exists/link/mount/same_file are left out on purpose: Ansible runs them on the
// controller's filesystem, which is not the host a task targets, so they would mislead here.
import { compile, search } from './pyre.js';
import {
  FilterError, hashKey, isDict, isNumber, num, pyCmp, pyEq, pyIn, pyIter, pyStr, truthy, typeName,
} from './py.js';
import type { TestFn } from './types.js';
import { versionCompare } from './version.js';

const BOOL_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOL_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** module_utils.parsing.convert_bool.boolean, or the value itself when it is not boolean-like. */
function convertBool(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase().trim();
    if (BOOL_TRUE.has(s)) return true;
    if (BOOL_FALSE.has(s)) return false;
    return v;
  }
  if (v === 1) return true;
  if (v === 0) return false;
  return v;
}

const pyMod = (a: number, b: number) => {
  if (b === 0) throw new FilterError('integer division or modulo by zero');
  return a - b * Math.floor(a / b);
};

function intArg(test: string, v: unknown): number {
  if (!isNumber(v)) throw new FilterError(`the '${test}' test needs a number, got ${typeName(v)}`);
  return num(v);
}

function compareTest(op: string, pred: (c: number) => boolean): TestFn {
  return (v, args) => pred(pyCmp(v, args[0], op));
}

function regexTest(mode: 'search' | 'match' | 'fullmatch'): TestFn {
  return (v, args, kwargs = {}) => {
    const pattern = kwargs.pattern ?? args[0] ?? '';
    const rx = compile(pattern, { ignorecase: truthy(kwargs.ignorecase ?? args[1]), multiline: truthy(kwargs.multiline ?? args[2]) });
    return search(rx, pyStr(v), mode) !== null;
  };
}

const regex: TestFn = (v, args, kwargs = {}) => {
  const type = kwargs.match_type ?? args[3] ?? 'search';
  if (type !== 'search' && type !== 'match' && type !== 'fullmatch') throw new FilterError(`regex: match_type must be search, match or fullmatch, got ${pyStr(type)}`);
  return regexTest(type)(v, args, kwargs);
};

function hashSet(test: string, v: unknown): Set<string> {
  try {
    return new Set(pyIter(v, `${test}: the value`).map(hashKey));
  } catch (e) {
    throw new FilterError(`${test}: ${(e as Error).message}`);
  }
}
const subset: TestFn = (a, args) => {
  const b = hashSet('subset', args[0]);
  return [...hashSet('subset', a)].every((x) => b.has(x));
};
const superset: TestFn = (a, args) => subset(args[0], [a]);

const caseTest = (want: 'lower' | 'upper'): TestFn => (v) => {
  const s = pyStr(v);
  const hasLower = /\p{Ll}/u.test(s);
  const hasUpper = /[\p{Lu}\p{Lt}]/u.test(s);
  return want === 'lower' ? hasLower && !hasUpper : hasUpper && !/[\p{Ll}\p{Lt}]/u.test(s);
};

function resultDict(test: string, v: unknown): Record<string, unknown> {
  if (!isDict(v)) throw new FilterError(`The '${test}' test expects a dictionary`);
  return v;
}
const failed: TestFn = (v) => truthy(resultDict('failed', v).failed ?? false);
const unreachable: TestFn = (v) => truthy(resultDict('unreachable', v).unreachable ?? false);
const skipped: TestFn = (v) => truthy(resultDict('skipped', v).skipped ?? false);
const changed: TestFn = (v) => {
  const r = resultDict('changed', v);
  if (Object.hasOwn(r, 'changed')) return truthy(r.changed);
  const results = r.results;
  if (Array.isArray(results) && results.length && isDict(results[0])) return results.some((x) => isDict(x) && truthy(x.changed ?? false));
  return false;
};
const asyncState = (key: 'started' | 'finished'): TestFn => (v) => {
  const r = resultDict(key, v);
  return Object.hasOwn(r, key) ? pyEq(r[key], 1) : true;
};

const eq: TestFn = (v, args) => pyEq(v, args[0]);
const ne: TestFn = (v, args) => !pyEq(v, args[0]);
const lt = compareTest('<', (c) => c < 0);
const le = compareTest('<=', (c) => c <= 0);
const gt = compareTest('>', (c) => c > 0);
const ge = compareTest('>=', (c) => c >= 0);
const truthyTest: TestFn = (v, args, kwargs = {}) => truthy(truthy(kwargs.convert_bool ?? args[0]) ? convertBool(v) : v);

export const TESTS_TABLE: Readonly<Record<string, TestFn>> = {
  none: (v) => v === null,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' || typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  mapping: (v) => isDict(v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
  // Python `is`: the same singleton or small value; two lists or dicts are never the same object here.
  sameas: (v, args) => (typeof v === 'object' && v !== null ? v === args[0] : v === args[0] && typeof v === typeof args[0]),
  equalto: eq, eq, '==': eq,
  ne, '!=': ne,
  lt, '<': lt, lessthan: lt,
  le, '<=': le,
  gt, '>': gt, greaterthan: gt,
  ge, '>=': ge,
  in: (v, args) => pyIn(v, args[0]),
  contains: (v, args) => pyIn(args[0], v),
  match: regexTest('match'),
  search: regexTest('search'),
  regex,
  version: versionCompare,
  version_compare: versionCompare,
  subset, issubset: subset,
  superset, issuperset: superset,
  truthy: truthyTest,
  falsy: (v, args, kwargs) => !truthyTest(v, args, kwargs),
  even: (v) => pyMod(intArg('even', v), 2) === 0,
  odd: (v) => pyMod(intArg('odd', v), 2) === 1,
  divisibleby: (v, args) => pyMod(intArg('divisibleby', v), intArg('divisibleby', args[0])) === 0,
  lower: caseTest('lower'),
  upper: caseTest('upper'),
  all: (v) => pyIter(v, 'all: the value').every(truthy),
  any: (v) => pyIter(v, 'any: the value').some(truthy),
  nan: (v) => typeof v === 'number' && Number.isNaN(v),
  isnan: (v) => typeof v === 'number' && Number.isNaN(v),
  abs: (v) => pyStr(v).startsWith('/'),
  is_abs: (v) => pyStr(v).startsWith('/'),
  failed, failure: failed,
  succeeded: (v) => !failed(v, []), success: (v) => !failed(v, []), successful: (v) => !failed(v, []),
  unreachable, reachable: (v) => !unreachable(v, []),
  changed, change: changed,
  skipped, skip: skipped,
  started: asyncState('started'),
  finished: asyncState('finished'),
};
