// PLACEHOLDER (jinja-engine) until jinja-filters' implementation lands: the contract's exports
// (FILTERS-CONTRACT.md) with only the filters and tests the engine's own specs need. On merge,
// the jinja-filters version of this file wins.
export class FilterError extends Error {}

export type FilterFn = (value: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown;
export type TestFn = (value: unknown, args: unknown[]) => boolean;

function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(repr).join(', ')}]`;
  return `{${Object.entries(v as object).map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(', ')}}`;
}
function repr(v: unknown): string {
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : pyStr(v);
}
const text = (v: unknown): string => pyStr(v);

function toInt(v: unknown, dflt: unknown, base: unknown): number {
  const fallback = typeof dflt === 'number' ? dflt : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const b = typeof base === 'number' ? base : 10;
    const s = v.trim().replace(/_/g, '');
    if (b === 10 && /^[-+]?\d+(\.\d+)?$/.test(s)) return Math.trunc(Number(s));
    const n = parseInt(s.replace(/^0[xob]/i, ''), b);
    return Number.isNaN(n) ? fallback : n;
  }
  return fallback;
}

export const FILTERS: Readonly<Record<string, FilterFn>> = {
  bool: (v) => {
    if (typeof v === 'boolean') return v;
    if (v === null || v === undefined) return false;
    return ['yes', 'on', '1', 'true', 'y'].includes(text(v).trim().toLowerCase());
  },
  int: (v, a, k) => toInt(v, a[0] ?? k['default'], a[1] ?? k['base']),
  length: (v) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v !== null && typeof v === 'object') return Object.keys(v).length;
    throw new FilterError(`length: object of type '${v === null ? 'NoneType' : typeof v}' has no len()`);
  },
  count: (v, a, k) => FILTERS['length']!(v, a, k),
  list: (v) => (Array.isArray(v) ? v : typeof v === 'string' ? [...v] : v !== null && typeof v === 'object' ? Object.keys(v) : [v]),
  quote: (v) => `'${text(v).replace(/'/g, `'\\''`)}'`,
  lower: (v) => text(v).toLowerCase(),
  upper: (v) => text(v).toUpperCase(),
  trim: (v) => text(v).trim(),
  string: (v) => text(v),
  join: (v, a, k) => {
    if (!Array.isArray(v)) throw new FilterError('join: expected a list');
    const sep = a[0] ?? k['d'] ?? '';
    return v.map(text).join(text(sep));
  },
};

export const TESTS: Readonly<Record<string, TestFn>> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  mapping: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || (v !== null && typeof v === 'object'),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || (v !== null && typeof v === 'object'),
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  eq: (v, a) => JSON.stringify(v) === JSON.stringify(a[0]),
  equalto: (v, a) => JSON.stringify(v) === JSON.stringify(a[0]),
  sameas: (v, a) => v === a[0],
  divisibleby: (v, a) => typeof v === 'number' && typeof a[0] === 'number' && v % a[0] === 0,
  even: (v) => typeof v === 'number' && v % 2 === 0,
  odd: (v) => typeof v === 'number' && Math.abs(v % 2) === 1,
};

export const GLOBALS: Readonly<Record<string, (...a: unknown[]) => unknown>> = {
  range: (...a) => {
    const [start, stop, step] = a.length === 1 ? [0, Number(a[0]), 1] : [Number(a[0]), Number(a[1]), a[2] === undefined ? 1 : Number(a[2])];
    if (step === 0) throw new FilterError('range() arg 3 must not be zero');
    const out: number[] = [];
    for (let k = start; step > 0 ? k < stop : k > stop; k += step) {
      out.push(k);
      if (out.length > 1_000_000) throw new FilterError('range() is limited to 1000000 items');
    }
    return out;
  },
};
