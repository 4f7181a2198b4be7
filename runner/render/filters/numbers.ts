// bool, int, float, abs, round: Python's int()/float() parsing and correctly rounded round().
import { FilterError, isNumber, num, pyRepr, typeName } from './py.js';
import type { FilterFn } from './types.js';

/** Ansible's `bool` filter (to_bool): yes/on/1/true (any case) and 1 are true, None stays None. */
export function toBool(a: unknown): boolean | null {
  if (a === null || a === undefined) return null;
  if (typeof a === 'boolean') return a;
  const v = typeof a === 'string' ? a.toLowerCase() : a;
  return v === 'yes' || v === 'on' || v === '1' || v === 'true' || v === 1;
}

const PY_SPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/gu;

/** Unicode decimal digits count in runs of ten from zero, so a digit's value is its offset mod 10. */
function digitValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  let cp = ch.codePointAt(0)!;
  const start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) cp--;
  return (start - cp) % 10;
}

function normDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => String(digitValue(d)));
}

/** Python int(s, base); null when Python would raise ValueError. */
export function parsePyInt(text: string, base: number): number | null {
  let s = normDigits(text.replace(PY_SPACE, '')).toLowerCase();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  const prefixes: Record<string, number> = { '0x': 16, '0o': 8, '0b': 2 };
  const pre = prefixes[s.slice(0, 2)];
  if (base === 0) {
    if (pre) {
      base = pre;
      s = s.slice(2).replace(/^_/, '');
    } else {
      base = 10;
      if (/^0+[1-9_]/.test(s) && !/^[0_]+$/.test(s)) return null; // leading zeros are not allowed
    }
  } else if (pre === base) s = s.slice(2).replace(/^_/, '');
  if (base < 2 || base > 36) return null;
  if (!/^[0-9a-z]+(_[0-9a-z]+)*$/.test(s)) return null;
  let n = 0;
  for (const ch of s.replace(/_/g, '')) {
    const d = parseInt(ch, 36);
    if (d >= base) return null;
    n = n * base + d;
  }
  return sign * n;
}

/** Python float(str); null on ValueError. */
export function parsePyFloat(text: string): number | null {
  const s = normDigits(text.replace(PY_SPACE, '')).toLowerCase();
  const m = /^([+-]?)(inf|infinity|nan)$/.exec(s);
  if (m) return m[2] === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
  const d = '[0-9](?:_?[0-9])*';
  if (!new RegExp(`^[+-]?(?:${d}(?:\\.(?:${d})?)?|\\.${d})(?:e[+-]?${d})?$`).test(s)) return null;
  return Number(s.replace(/_/g, ''));
}

function pyFloat(v: unknown): number | null {
  if (isNumber(v)) return num(v);
  if (typeof v === 'string') return parsePyFloat(v);
  return null;
}

/** Jinja's int filter: int(value, base) for strings, int(value) otherwise, then int(float(value)). */
export const int: FilterFn = (value, args, kwargs) => {
  const dflt = kwargs.default ?? args[0] ?? 0;
  const base = kwargs.base ?? args[1] ?? 10;
  if (typeof value === 'string') {
    if (!isNumber(base)) throw new FilterError(`int: base must be an integer, got ${pyRepr(base)}`);
    const n = parsePyInt(value, num(base));
    if (n !== null) return n;
  }
  const f = pyFloat(value);
  if (f === null || Number.isNaN(f)) return dflt;
  if (!Number.isFinite(f)) throw new FilterError('int: cannot convert float infinity to integer');
  return Math.trunc(f) + 0;
};

export const float: FilterFn = (value, args, kwargs) => {
  const f = pyFloat(value);
  return f === null ? (kwargs.default ?? args[0] ?? 0) : f;
};

export const abs: FilterFn = (value) => {
  if (!isNumber(value)) throw new FilterError(`abs: bad operand type '${typeName(value)}', a number is required`);
  return Math.abs(num(value));
};

/** round(x, p) with round-half-even on the exact binary value, as CPython does. */
export function pyRound(x: number, p: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (Number.isInteger(x) && p >= 0) return x;
  // x = m * 2^e exactly.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = expBits - 1075;
  }
  let nu = m;
  let de = 1n;
  if (e >= 0) nu <<= BigInt(e);
  else de <<= BigInt(-e);
  if (p >= 0) nu *= 10n ** BigInt(p);
  else de *= 10n ** BigInt(-p);
  let q = nu / de;
  const r2 = (nu % de) * 2n;
  if (r2 > de || (r2 === de && q % 2n === 1n)) q += 1n;
  const out = Number(`${q}e${-p}`);
  return x < 0 ? -out : out;
}

export const round: FilterFn = (value, args, kwargs) => {
  const precision = kwargs.precision ?? args[0] ?? 0;
  const method = kwargs.method ?? args[1] ?? 'common';
  if (method !== 'common' && method !== 'ceil' && method !== 'floor') throw new FilterError('round: method must be common, ceil or floor');
  if (!isNumber(value)) throw new FilterError(`round: a number is required, got ${typeName(value)}`);
  if (!isNumber(precision) || !Number.isInteger(num(precision))) throw new FilterError(`round: precision must be an integer, got ${pyRepr(precision)}`);
  const x = num(value);
  const p = num(precision);
  if (method === 'common') return pyRound(x, p);
  const f = 10 ** p;
  return (method === 'ceil' ? Math.ceil(x * f) : Math.floor(x * f)) / f;
};

export const NUMBER_FILTERS: Readonly<Record<string, FilterFn>> = {
  bool: (v) => toBool(v),
  int,
  float,
  abs,
  round,
};

