// Python value semantics for plain JS values: str(), repr(), truthiness, ==, ordering, type names.
// Filters follow Python/Jinja2, not JS: str(True) is 'True', [1] < [2] works, 1 < 'a' is an error.

/** Thrown by a filter or test on bad input; the engine turns it into a task failure with file:line. */
export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python's type name of a plain JS value, for error messages. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isPyInt(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  return typeof v;
}

/** A JS number stands for a Python int when it is a safe integer (3.0 and 3 are the same in JS). */
export function isPyInt(n: number): boolean {
  return Number.isSafeInteger(n);
}

export function isNumber(v: unknown): v is number | boolean {
  return typeof v === 'number' || typeof v === 'boolean';
}

export function num(v: number | boolean): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** repr(float): shortest round-trip digits, exponent outside [-4, 16), always a '.0' or exponent. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = n.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) out = '0.' + '0'.repeat(-exp - 1) + digits;
    else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length) + '.0';
    else out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  } else {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return neg ? '-' + out : out;
}

export function numStr(n: number): string {
  return isPyInt(n) ? String(n) : floatRepr(n);
}

/** Python str(). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

// str.isprintable() is false for these (space is the one printable separator).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

/** Python repr() of a string: single quotes unless the text has ' and no ". */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (NON_PRINTABLE.test(ch)) {
      const hex = cp.toString(16);
      out += cp < 0x100 ? '\\x' + hex.padStart(2, '0') : cp < 0x10000 ? '\\u' + hex.padStart(4, '0') : '\\U' + hex.padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}

/** Python repr(). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return numStr(v);
  if (typeof v === 'string') return strRepr(v);
  if (Array.isArray(v)) return '[' + v.map(pyRepr).join(', ') + ']';
  if (isDict(v)) return '{' + Object.entries(v).map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`).join(', ') + '}';
  return String(v);
}

/** Python bool(). */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0; // NaN is truthy in Python too
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python ==: 1 == True == 1.0, deep for lists and dicts. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (isNumber(a) && isNumber(b)) return num(a) === num(b);
  if (typeof a === 'string' || typeof b === 'string' || a === null || b === null) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEq(a[k], b[k]));
  }
  return false;
}

/** Code point order, as Python compares str (JS < compares UTF-16 units). */
function strCmp(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
}

/** Python ordering (a < b) as -1/0/1; unorderable pairs (1 < 'a', None < None, dicts) throw. */
export function pyCmp(a: unknown, b: unknown, op = '<'): number {
  if (isNumber(a) && isNumber(b)) return Math.sign(num(a) - num(b));
  if (typeof a === 'string' && typeof b === 'string') return strCmp(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i], b[i])) return pyCmp(a[i], b[i], op);
    }
    return Math.sign(a.length - b.length);
  }
  throw new FilterError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python `x in container`. */
export function pyIn(x: unknown, container: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof x !== 'string') throw new FilterError(`'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  if (Array.isArray(container)) return container.some((y) => pyEq(x, y));
  if (isDict(container)) return typeof x === 'string' && Object.hasOwn(container, x);
  throw new FilterError(`argument of type '${typeName(container)}' is not iterable`);
}

/** Python list(x): strings give characters, dicts give keys. */
export function pyIter(v: unknown, what = 'value'): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (isDict(v)) return Object.keys(v);
  throw new FilterError(`${what} must be iterable (a list, string or dict), got ${typeName(v)}`);
}

/** Python len(). */
export function pyLen(v: unknown): number {
  if (typeof v === 'string') return Array.from(v).length;
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  throw new FilterError(`object of type '${typeName(v)}' has no len()`);
}

/** A key for Python-style hashing (sets, dict keys); lists and dicts are unhashable. */
export function hashKey(v: unknown): string {
  if (v === null || v === undefined) return 'N';
  if (typeof v === 'boolean') return 'n' + (v ? 1 : 0);
  if (typeof v === 'number') return 'n' + String(v);
  if (typeof v === 'string') return 's' + v;
  throw new FilterError(`unhashable type: '${typeName(v)}'`);
}

/** Jinja's environment.getitem for attribute paths: dict key, list index (digits), else undefined. */
export function getItem(obj: unknown, key: unknown): unknown {
  if (Array.isArray(obj)) {
    const i = typeof key === 'number' ? key : typeof key === 'string' && /^-?\d+$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(i)) return undefined;
    return obj[i < 0 ? obj.length + i : i];
  }
  if (isDict(obj)) {
    const k = typeof key === 'string' ? key : pyStr(key);
    return Object.hasOwn(obj, k) ? obj[k] : undefined;
  }
  if (typeof obj === 'string' && typeof key === 'number') return Array.from(obj)[key < 0 ? obj.length + key : key];
  return undefined;
}

/** Jinja's make_attrgetter: 'a.b.0' walks dicts and lists; digit parts are list indexes. */
export function attrGetter(attribute: unknown): (item: unknown) => unknown {
  if (attribute === null || attribute === undefined) return (x) => x;
  const parts = typeof attribute === 'string' ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [attribute];
  return (item) => {
    let cur = item;
    for (const p of parts) {
      cur = getItem(cur, p);
      if (cur === undefined) return undefined;
    }
    return cur;
  };
}
