// The `version` / `version_compare` test: Ansible's LooseVersion (default), StrictVersion
// (strict=true or version_type='strict') and SemanticVersion ('semver'/'semantic').
import { FilterError, pyCmp, pyEq, pyRepr, pyStr, truthy } from './py.js';

/** LooseVersion components: runs of digits (ints), runs of a-z, and whatever lies between, minus dots. */
export function looseParts(v: string): unknown[] {
  const out: unknown[] = [];
  let last = 0;
  for (const m of v.matchAll(/\d+|[a-z]+|\./g)) {
    if (m.index! > last) out.push(v.slice(last, m.index));
    out.push(/^\d+$/.test(m[0]) ? Number(m[0]) : m[0]);
    last = m.index! + m[0].length;
  }
  if (last < v.length) out.push(v.slice(last));
  return out.filter((x) => x !== '' && x !== '.');
}

function cmpLoose(a: string, b: string): number {
  const pa = looseParts(a);
  const pb = looseParts(b);
  if (pyEq(pa, pb)) return 0;
  try {
    return pyCmp(pa, pb);
  } catch {
    throw new FilterError(`Version comparison failed: '<' not supported between a number and a string part in ${pyRepr(a)} and ${pyRepr(b)}`);
  }
}

function parseStrict(v: string): [number[], [string, number] | null] {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw new FilterError(`Version comparison failed: invalid version number '${v}'`);
  return [[Number(m[1]), Number(m[2]), Number(m[4] ?? 0)], m[5] ? [m[5][0]!, Number(m[6])] : null];
}

function cmpStrict(a: string, b: string): number {
  const [va, pa] = parseStrict(a);
  const [vb, pb] = parseStrict(b);
  const c = pyCmp(va, vb);
  if (c !== 0) return c;
  if (!pa && !pb) return 0;
  if (!pa) return 1;
  if (!pb) return -1;
  return pyCmp(pa, pb);
}

const SEMVER = new RegExp(
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)' +
    '(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?' +
    '(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$',
);

type Ident = number | string;

function parseSemver(v: string): { core: number[]; pre: Ident[] } {
  const m = SEMVER.exec(v);
  if (!m) throw new FilterError(`Version comparison failed: invalid semantic version '${v}'`);
  const pre = m[4] ? m[4].split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : [];
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre };
}

/** Prerelease identifiers: numbers sort before words, then by value. */
function cmpIdent(a: Ident, b: Ident): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === 'number' ? -1 : 1;
}

function cmpSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  const c = pyCmp(x.core, y.core);
  if (c !== 0) return c;
  if (!x.pre.length && !y.pre.length) return 0;
  if (!y.pre.length) return -1;
  if (!x.pre.length) return 1;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const d = cmpIdent(x.pre[i]!, y.pre[i]!);
    if (d !== 0) return d;
  }
  return Math.sign(x.pre.length - y.pre.length);
}

const OPS: Record<string, (c: number) => boolean> = {
  eq: (c) => c === 0,
  ne: (c) => c !== 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
};
const OP_NAMES: Record<string, string> = {
  '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne',
};
const TYPES: Record<string, (a: string, b: string) => number> = { loose: cmpLoose, strict: cmpStrict, semver: cmpSemver, semantic: cmpSemver };

/** version_compare(value, version, operator='eq', strict=None, version_type=None) */
export function versionCompare(value: unknown, args: unknown[], kwargs: Record<string, unknown> = {}): boolean {
  const version = kwargs.version ?? args[0];
  const operator = kwargs.operator ?? args[1] ?? 'eq';
  const strict = kwargs.strict ?? args[2] ?? null;
  const type = kwargs.version_type ?? args[3] ?? null;
  if (strict !== null && type !== null) throw new FilterError("Cannot specify both 'strict' and 'version_type'");
  if (!truthy(value)) throw new FilterError('Input version value cannot be empty');
  if (!truthy(version)) throw new FilterError('Version parameter to compare against cannot be empty');
  let cmp = cmpLoose;
  if (truthy(strict)) cmp = cmpStrict;
  else if (truthy(type)) {
    if (type === 'pep440') throw new FilterError("The pep440 version_type is not supported here; use 'loose', 'strict' or 'semver'");
    const t = TYPES[pyStr(type)];
    if (!t) throw new FilterError(`Invalid version type (${pyStr(type)}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`);
    cmp = t;
  }
  const op = OP_NAMES[pyStr(operator)];
  if (!op) throw new FilterError(`Invalid operator type (${pyStr(operator)}). Must be one of ${Object.keys(OP_NAMES).map((k) => `'${k}'`).join(', ')}`);
  return OPS[op]!(cmp(pyStr(value), pyStr(version)));
}
