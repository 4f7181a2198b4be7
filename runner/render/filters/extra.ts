// Less central filters that playbooks still use: path_join, groupby, batch, slice, urlencode,
// tojson, safe, center, wordcount, truncate, permutations, combinations, log, pow, root,
// from_yaml_all, to_uuid.
import { createHash } from 'node:crypto';
import { FilterError, attrGetter, isDict, isNumber, num, pyCmp, pyEq, pyIter, pyRepr, pyStr, truthy, typeName } from './py.js';
import { toJson } from './json.js';
import type { FilterFn } from './types.js';
import { loadYamlAll } from './yaml-load.js';

function intArg(filter: string, what: string, v: unknown, min = -Infinity): number {
  if (!isNumber(v) || !Number.isInteger(num(v))) throw new FilterError(`${filter}: ${what} must be an integer, got ${pyRepr(v)}`);
  if (num(v) < min) throw new FilterError(`${filter}: ${what} must be at least ${min}, got ${num(v)}`);
  return num(v);
}

function numArg(filter: string, v: unknown): number {
  if (!isNumber(v)) throw new FilterError(`${filter}() can only be used on numbers, got ${typeName(v)}`);
  return num(v);
}

/** os.path.join (posix) */
function pathJoin(paths: unknown): string {
  const parts = typeof paths === 'string' ? [paths] : Array.isArray(paths) ? paths : null;
  if (!parts) throw new FilterError(`path_join expects string or sequence, got ${typeName(paths)} instead.`);
  if (!parts.length) throw new FilterError('path_join needs at least one path');
  let out = '';
  parts.forEach((p, i) => {
    if (typeof p !== 'string') throw new FilterError(`path_join: every part must be a string, got ${typeName(p)}`);
    if (i === 0 || p.startsWith('/')) out = p;
    else if (!out || out.endsWith('/')) out += p;
    else out += '/' + p;
  });
  return out;
}

const groupby: FilterFn = (value, args, kwargs) => {
  const attribute = kwargs.attribute ?? args[0];
  const dflt = kwargs.default ?? args[1] ?? null;
  const cs = truthy(kwargs.case_sensitive ?? args[2] ?? false);
  if (attribute === undefined) throw new FilterError('groupby needs an attribute to group by');
  const raw = attrGetter(attribute);
  const get = (x: unknown) => {
    const v = raw(x);
    return v === undefined && dflt !== null ? dflt : v;
  };
  const key = (x: unknown) => {
    const v = get(x);
    return !cs && typeof v === 'string' ? v.toLowerCase() : v;
  };
  const items = pyIter(value, 'groupby: the value').map((v) => ({ v, k: key(v) }));
  items.sort((a, b) => pyCmp(a.k, b.k));
  const out: Array<[unknown, unknown[]]> = [];
  for (const it of items) {
    const last = out[out.length - 1];
    if (last && pyEq(key(last[1][0]), it.k)) last[1].push(it.v);
    else out.push([get(it.v), [it.v]]);
  }
  return out;
};

const batch: FilterFn = (value, args, kwargs) => {
  // Jinja's loop as is (linecount 0 yields an empty first batch, like Ansible).
  const n = intArg('batch', 'linecount', kwargs.linecount ?? args[0]);
  const fill = kwargs.fill_with ?? args[1] ?? null;
  const out: unknown[][] = [];
  let tmp: unknown[] = [];
  for (const item of pyIter(value, 'batch: the value')) {
    if (tmp.length === n) {
      out.push(tmp);
      tmp = [];
    }
    tmp.push(item);
  }
  if (tmp.length) {
    if (fill !== null) while (tmp.length < n) tmp.push(fill);
    out.push(tmp);
  }
  return out;
};

const slice: FilterFn = (value, args, kwargs) => {
  const slices = intArg('slice', 'slices', kwargs.slices ?? args[0], 1);
  const fill = kwargs.fill_with ?? args[1] ?? null;
  const seq = pyIter(value, 'slice: the value');
  const per = Math.floor(seq.length / slices);
  const extra = seq.length % slices;
  let offset = 0;
  const out: unknown[][] = [];
  for (let i = 0; i < slices; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const tmp = seq.slice(start, offset + (i + 1) * per);
    if (fill !== null && i >= extra) tmp.push(fill);
    out.push(tmp);
  }
  return out;
};

/** urllib.parse.quote: letters, digits and _.-~ stay, plus '/' unless for a query string. */
function urlQuote(v: unknown, forQs: boolean): string {
  const bytes = Buffer.from(pyStr(v), 'utf8');
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_.\-~]/.test(c) || (!forQs && c === '/') ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return forQs ? out.replace(/%20/g, '+') : out;
}

const urlencode: FilterFn = (value) => {
  if (typeof value === 'string' || !(Array.isArray(value) || isDict(value))) return urlQuote(value, false);
  const pairs = isDict(value) ? Object.entries(value) : value;
  return pairs
    .map((p) => {
      if (!Array.isArray(p) || p.length !== 2) throw new FilterError('urlencode expects a string, a dict or a list of pairs');
      return `${urlQuote(p[0], true)}=${urlQuote(p[1], true)}`;
    })
    .join('&');
};

const truncate: FilterFn = (value, args, kwargs) => {
  const s = Array.from(pyStr(value));
  const length = intArg('truncate', 'length', kwargs.length ?? args[0] ?? 255);
  const killwords = truthy(kwargs.killwords ?? args[1] ?? false);
  const end = pyStr(kwargs.end ?? args[2] ?? '...');
  const leeway = intArg('truncate', 'leeway', kwargs.leeway ?? args[3] ?? 5);
  const endLen = Array.from(end).length;
  if (length < endLen) throw new FilterError(`truncate: expected length >= ${endLen}, got ${length}`);
  if (leeway < 0) throw new FilterError(`truncate: expected leeway >= 0, got ${leeway}`);
  if (s.length <= length + leeway) return s.join('');
  const head = s.slice(0, length - endLen).join('');
  if (killwords) return head + end;
  const cut = head.lastIndexOf(' ');
  return (cut < 0 ? head : head.slice(0, cut)) + end;
};

const center: FilterFn = (value, args, kwargs) => {
  const s = pyStr(value);
  const width = intArg('center', 'width', kwargs.width ?? args[0] ?? 80);
  const len = Array.from(s).length;
  if (width <= len) return s;
  const marg = width - len;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return ' '.repeat(left) + s + ' '.repeat(marg - left);
};

/** Combinatorial results are built in memory, so they get the same cap as range(). */
export const MAX_ITEMS = 100000;

function capped(filter: string, count: number): void {
  if (count > MAX_ITEMS) throw new FilterError(`${filter}: the result would have ${count > 1e15 ? 'more than 10^15' : count} items; the limit is ${MAX_ITEMS}`);
}

function countPerm(n: number, r: number): number {
  let c = 1;
  for (let i = 0; i < r && c <= MAX_ITEMS; i++) c *= n - i;
  return c;
}

function countComb(n: number, r: number): number {
  let c = 1;
  for (let i = 0; i < r && c <= MAX_ITEMS * r; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
}

function permutations(pool: unknown[], r: number): unknown[][] {
  if (r > pool.length) return [];
  if (r === 0) return [[]];
  const out: unknown[][] = [];
  pool.forEach((x, i) => {
    for (const rest of permutations([...pool.slice(0, i), ...pool.slice(i + 1)], r - 1)) out.push([x, ...rest]);
  });
  return out;
}

function combinations(pool: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]];
  const out: unknown[][] = [];
  pool.forEach((x, i) => {
    for (const rest of combinations(pool.slice(i + 1), r - 1)) out.push([x, ...rest]);
  });
  return out;
}

const NAMESPACE_ANSIBLE = '361e6d51-faec-444a-9079-341386da8e2e';

function uuid5(name: string, namespace: string): string {
  const ns = namespace.replace(/^urn:uuid:/i, '').replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw new FilterError(`to_uuid: invalid value '${namespace}' for 'namespace'`);
  const h = createHash('sha1').update(Buffer.from(ns, 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const EXTRA_FILTERS: Readonly<Record<string, FilterFn>> = {
  path_join: (v) => pathJoin(v),
  groupby,
  batch,
  slice,
  urlencode,
  truncate,
  center,
  safe: (v) => pyStr(v),
  wordcount: (v) => (pyStr(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
  tojson: (v, a, kw) =>
    toJson(v, { indent: kw.indent ?? a[0] ?? null, sort_keys: true }, { indent: null, sortKeys: true }).replace(/[<>&']/g, (c) => '\\u00' + c.charCodeAt(0).toString(16).padStart(2, '0')),
  permutations: (v, a, kw) => {
    const pool = pyIter(v, 'permutations: the value');
    const r = kw.r ?? a[0] ?? null;
    const n = r === null ? pool.length : intArg('permutations', 'r', r, 0);
    if (n <= pool.length) capped('permutations', countPerm(pool.length, n));
    return permutations(pool, n);
  },
  combinations: (v, a, kw) => {
    const pool = pyIter(v, 'combinations: the value');
    const r = intArg('combinations', 'r', kw.r ?? a[0], 0);
    if (r <= pool.length) capped('combinations', countComb(pool.length, r));
    return r > pool.length ? [] : combinations(pool, r);
  },
  log: (v, a, kw) => {
    const x = numArg('log', v);
    const base = kw.base ?? a[0] ?? Math.E;
    const b = numArg('log', base);
    if (x <= 0 || b <= 0 || b === 1) throw new FilterError('log: math domain error');
    return b === 10 ? Math.log10(x) : Math.log(x) / Math.log(b);
  },
  pow: (v, a, kw) => {
    const r = Math.pow(numArg('pow', v), numArg('pow', kw.y ?? a[0]));
    if (Number.isNaN(r)) throw new FilterError('pow: math domain error');
    return r;
  },
  root: (v, a, kw) => {
    const x = numArg('root', v);
    const base = numArg('root', kw.base ?? a[0] ?? 2);
    if (x < 0 || base === 0) throw new FilterError('root: math domain error');
    return base === 2 ? Math.sqrt(x) : Math.pow(x, 1 / base);
  },
  from_yaml_all: (v) => (typeof v === 'string' ? loadYamlAll(v) : v),
  to_uuid: (v, a, kw) => uuid5(pyStr(v), pyStr(kw.namespace ?? a[0] ?? NAMESPACE_ANSIBLE)),
};
