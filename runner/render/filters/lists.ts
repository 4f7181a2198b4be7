// List filters with Python semantics: stable sort with Python ordering, set operations with == on
// values (1 == True), strings iterate as characters and dicts as their keys.
import {
  FilterError, attrGetter, hashKey, isDict, isNumber, num, pyCmp, pyEq, pyIn, pyIter, pyLen, pyStr, truthy, typeName,
} from './py.js';
import type { FilterFn } from './types.js';

const lowerIf = (ci: boolean) => (v: unknown) => (ci && typeof v === 'string' ? v.toLowerCase() : v);

/** Jinja's unique with Ansible's fallback to == comparison for unhashable items. */
export function unique(items: unknown[], caseSensitive: unknown, attribute: unknown = null): unknown[] {
  const get = attrGetter(attribute);
  const post = lowerIf(!truthy(caseSensitive));
  const seen = new Set<string>();
  const out: unknown[] = [];
  try {
    for (const item of items) {
      const k = hashKey(post(get(item)));
      if (!seen.has(k)) {
        seen.add(k);
        out.push(item);
      }
    }
    return out;
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    // Ansible falls back to == comparison unless case_sensitive=false or attribute was given.
    if (caseSensitive === false || (attribute !== null && attribute !== undefined)) {
      throw new FilterError("unique: items that are lists or dicts can only be compared with case_sensitive=true and no attribute");
    }
  }
  const c: unknown[] = [];
  for (const x of items) if (!c.some((y) => pyEq(x, y))) c.push(x);
  return c;
}

const isHashable = (v: unknown) => !Array.isArray(v) && !isDict(v);

/** Ansible's set filters: Python sets for two hashable operands (strings), else ordered lists. */
function setOp(name: string, op: (a: unknown[], b: unknown[]) => unknown[]): FilterFn {
  return (value, args) => {
    const other = args[0];
    if (args.length < 1) throw new FilterError(`${name} needs a second list to compare with`);
    if (isHashable(value) && isHashable(other)) {
      if (typeof value !== 'string' || typeof other !== 'string') {
        throw new FilterError(`${name} expects two lists, got ${typeName(value)} and ${typeName(other)}`);
      }
    } else if (!Array.isArray(value) || !Array.isArray(other)) {
      throw new FilterError(`${name} expects two lists, got ${typeName(value)} and ${typeName(other)}`);
    }
    return op(pyIter(value), pyIter(other));
  };
}

const inList = (x: unknown, b: unknown[]) => pyIn(x, b);
const intersect = (a: unknown[], b: unknown[]) => unique(a.filter((x) => inList(x, b)), true);
const union = (a: unknown[], b: unknown[]) => unique([...a, ...b], true);

/** Jinja's sort key: the listed attributes (comma separated), lower-cased unless case_sensitive. */
function sortKey(attribute: unknown, caseSensitive: boolean): (item: unknown) => unknown[] {
  const post = lowerIf(!caseSensitive);
  const getters = typeof attribute === 'string' ? attribute.split(',').map(attrGetter) : [attrGetter(attribute)];
  return (item) => getters.map((g) => post(g(item)));
}

const sort: FilterFn = (value, args, kwargs) => {
  const reverse = truthy(kwargs.reverse ?? args[0] ?? false);
  const cs = truthy(kwargs.case_sensitive ?? args[1] ?? false);
  const key = sortKey(kwargs.attribute ?? args[2] ?? null, cs);
  const items = pyIter(value, 'sort: the value').map((v) => ({ v, k: key(v) }));
  items.sort((a, b) => (reverse ? pyCmp(b.k, a.k) : pyCmp(a.k, b.k)));
  return items.map((x) => x.v);
};

function minMax(sign: number): FilterFn {
  return (value, args, kwargs) => {
    const cs = truthy(kwargs.case_sensitive ?? args[0] ?? false);
    const get = attrGetter(kwargs.attribute ?? args[1] ?? null);
    const post = lowerIf(!cs);
    const items = pyIter(value, sign < 0 ? 'min: the value' : 'max: the value');
    if (!items.length) return undefined; // Jinja: undefined ("No aggregated item, sequence was empty.")
    let best = items[0];
    let bestKey = post(get(best));
    for (const item of items.slice(1)) {
      const k = post(get(item));
      if (pyCmp(k, bestKey) * sign > 0) {
        best = item;
        bestKey = k;
      }
    }
    return best;
  };
}

/** Python + for sum(): numbers add, lists concatenate, anything else is a TypeError. */
function pyAdd(a: unknown, b: unknown): unknown {
  if (isNumber(a) && isNumber(b)) return num(a) + num(b);
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw new FilterError(`sum: unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
}

const sum: FilterFn = (value, args, kwargs) => {
  const get = attrGetter(kwargs.attribute ?? args[0] ?? null);
  let acc: unknown = kwargs.start ?? args[1] ?? 0;
  for (const item of pyIter(value, 'sum: the value')) acc = pyAdd(acc, get(item));
  return acc;
};

const isNullish = (e: unknown) => e === null || e === 'None' || e === 'null';

export function flatten(list: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const e of list) {
    if (skipNulls && isNullish(e)) continue;
    if (Array.isArray(e) && (levels === null || levels >= 1)) out.push(...flatten(e, levels === null ? null : levels - 1, skipNulls));
    else out.push(e);
  }
  return out;
}

const iterArgs = (name: string, value: unknown, args: unknown[]) => [value, ...args].map((x) => pyIter(x, `${name}: each argument`));

const zip: FilterFn = (value, args) => {
  const lists = iterArgs('zip', value, args);
  const n = Math.min(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
};

const zipLongest: FilterFn = (value, args, kwargs) => {
  const lists = iterArgs('zip_longest', value, args);
  const fill = kwargs.fillvalue ?? null;
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : fill)));
};

const product: FilterFn = (value, args, kwargs) => {
  const repeat = kwargs.repeat ?? 1;
  if (!(isNumber(repeat) && Number.isInteger(num(repeat)) && num(repeat) >= 0)) throw new FilterError('product: repeat must be a non-negative integer');
  const base = iterArgs('product', value, args);
  if (num(repeat) === 0) return [[]];
  const once = base.reduce((c, p) => c * p.length, 1);
  if (num(repeat) > 0 && once > 1 && Math.pow(once, num(repeat)) > 100000) throw new FilterError('product: the result would have more than 100000 items, the limit');
  const pools = once === 0 ? [[]] : Array.from({ length: once === 1 ? Math.min(num(repeat), 100000) : num(repeat) }, () => base).flat();
  let out: unknown[][] = [[]];
  for (const pool of pools) out = out.flatMap((prefix) => pool.map((x) => [...prefix, x]));
  return out;
};

const subelements: FilterFn = (value, args, kwargs) => {
  const path = kwargs.subelements ?? args[0];
  const skipMissing = truthy(kwargs.skip_missing ?? args[1] ?? false);
  let elements: unknown[];
  if (isDict(value)) elements = Object.values(value);
  else if (Array.isArray(value)) elements = value;
  else throw new FilterError('subelements: obj must be a list of dicts or a nested dict');
  let keys: unknown[];
  if (Array.isArray(path)) keys = path;
  else if (typeof path === 'string') keys = path.split('.');
  else throw new FilterError('subelements must be a list or a string');
  const out: unknown[] = [];
  for (const element of elements) {
    let values: unknown = element;
    for (const k of keys) {
      if (!isDict(values)) throw new FilterError(`subelements: the key ${pyStr(k)} should point to a dictionary, got '${pyStr(values)}'`);
      if (!Object.hasOwn(values, pyStr(k))) {
        if (skipMissing) {
          values = [];
          break;
        }
        throw new FilterError(`subelements: could not find '${pyStr(k)}' key in iterated item ${pyStr(values)}`);
      }
      values = values[pyStr(k)];
    }
    if (!Array.isArray(values)) throw new FilterError(`subelements: the key '${keys.map(pyStr).join('.')}' should point to a list, got ${pyStr(values)}`);
    for (const v of values) out.push([element, v]);
  }
  return out;
};

/** Jinja getitem: dict key or list index; missing gives undefined (Jinja's Undefined). */
function getitem(container: unknown, key: unknown): unknown {
  if (Array.isArray(container)) {
    if (!(isNumber(key) && Number.isInteger(num(key)))) return undefined;
    const i = num(key);
    return container[i < 0 ? container.length + i : i];
  }
  if (isDict(container)) return typeof key === 'string' && Object.hasOwn(container, key) ? container[key] : undefined;
  if (typeof container === 'string' && isNumber(key)) return Array.from(container)[num(key)];
  return undefined;
}

const extract: FilterFn = (item, args, kwargs) => {
  const container = kwargs.container ?? args[0];
  const more = kwargs.morekeys ?? args[1] ?? null;
  const keys = more === null ? [item] : Array.isArray(more) ? [item, ...more] : [item, more];
  let v: unknown = container;
  for (const k of keys) {
    if (v === undefined) throw new FilterError(`extract: no value at key ${pyStr(k)}`);
    v = getitem(v, k);
  }
  return v;
};

export const LIST_FILTERS: Readonly<Record<string, FilterFn>> = {
  join: (value, args, kwargs) => {
    const sep = pyStr(kwargs.d ?? args[0] ?? '');
    const get = attrGetter(kwargs.attribute ?? args[1] ?? null);
    return pyIter(value, 'join: the value').map((x) => pyStr(get(x))).join(sep);
  },
  first: (value) => pyIter(value, 'first: the value')[0],
  last: (value) => {
    const items = pyIter(value, 'last: the value');
    return items[items.length - 1];
  },
  length: (value) => pyLen(value),
  count: (value) => pyLen(value),
  unique: (value, args, kwargs) =>
    unique(pyIter(value, 'unique: the value'), kwargs.case_sensitive ?? args[0] ?? null, kwargs.attribute ?? args[1] ?? null),
  union: setOp('union', union),
  intersect: setOp('intersect', intersect),
  difference: setOp('difference', (a, b) => unique(a.filter((x) => !inList(x, b)), true)),
  symmetric_difference: setOp('symmetric_difference', (a, b) => {
    const both = intersect(a, b);
    return union(a, b).filter((x) => !inList(x, both));
  }),
  sort,
  reverse: (value) => (typeof value === 'string' ? Array.from(value).reverse().join('') : [...pyIter(value, 'reverse: the value')].reverse()),
  min: minMax(-1),
  max: minMax(1),
  sum,
  list: (value) => [...pyIter(value, 'list: the value')],
  flatten: (value, args, kwargs) => {
    const levels = kwargs.levels ?? args[0] ?? null;
    if (levels !== null && !(isNumber(levels) && Number.isInteger(num(levels)))) throw new FilterError('flatten: levels must be an integer');
    return flatten(pyIter(value, 'flatten: the value'), levels === null ? null : num(levels), truthy(kwargs.skip_nulls ?? args[1] ?? true));
  },
  zip,
  zip_longest: zipLongest,
  product,
  subelements,
  extract,
};
