// Python methods Ansible content calls on strings, lists and dicts ('a,b'.split(','), d.items(),
// d.get('k', 0)). Methods that would change a value in place (list.append, dict.update) are not
// offered: variables are shared between tasks and hosts, so a template must not modify them.
import { EvalError } from './context.js';
import { isDict, pyEq, pyStr, pyType } from './py.js';

type Method = (self: never, args: unknown[], kwargs: Record<string, unknown>) => unknown;

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new EvalError(`${what} expects a string argument, got ${pyType(v)}`);
  return v;
};
const optInt = (v: unknown, dflt: number): number => (v === undefined || v === null ? dflt : Number(v));

function pySplit(s: string, sep: unknown, max: number, fromRight: boolean): string[] {
  if (sep === undefined || sep === null) {
    const parts = s.trim().split(/\s+/).filter((p) => p !== '');
    if (max < 0 || parts.length <= max + 1) return parts;
    if (fromRight) {
      const re = new RegExp(`^([^]*?)\\s+((?:\\S+\\s+){${max - 1}}\\S+)\\s*$`);
      const m = max > 0 ? re.exec(s) : null;
      return m ? [m[1]!.trim(), ...m[2]!.split(/\s+/)] : [s.trim()];
    }
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    for (let k = 0; k < max; k++) {
      const m = /^(\S+)\s+/.exec(rest);
      if (!m) break;
      out.push(m[1]!);
      rest = rest.slice(m[0].length);
    }
    return rest ? [...out, rest] : out;
  }
  const d = str(sep, 'split');
  if (d === '') throw new EvalError('split: empty separator');
  const all = s.split(d);
  if (max < 0 || all.length <= max + 1) return all;
  return fromRight ? [all.slice(0, all.length - max).join(d), ...all.slice(all.length - max)] : [...all.slice(0, max), all.slice(max).join(d)];
}

const stripChars = (s: string, chars: unknown, left: boolean, right: boolean): string => {
  if (chars === undefined || chars === null) return left && right ? s.trim() : left ? s.trimStart() : s.trimEnd();
  const set = str(chars, 'strip');
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a]!)) a++;
  while (right && b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
};

const prefixes = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => str(x, 'startswith')) : [str(v, 'startswith')]);

/** Python str.format with {} / {0} / {name} fields (no format specs beyond none). */
function pyFormat(s: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  return s.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const name = (field ?? '').split(/[!:]/)[0]!;
    const v = name === '' ? args[auto++] : /^\d+$/.test(name) ? args[Number(name)] : kwargs[name];
    if (v === undefined) throw new EvalError(`format: no value for field {${name}}`);
    return pyStr(v);
  });
}

const STR: Record<string, Method> = {
  split: (s: string, a, k) => pySplit(s, a[0] ?? k['sep'], optInt(a[1] ?? k['maxsplit'], -1), false),
  rsplit: (s: string, a, k) => pySplit(s, a[0] ?? k['sep'], optInt(a[1] ?? k['maxsplit'], -1), true),
  splitlines: (s: string) => s.split(/\r\n|\r|\n/).filter((_, i, all) => i < all.length - 1 || all[i] !== ''),
  startswith: (s: string, a) => prefixes(a[0]).some((p) => s.startsWith(p)),
  endswith: (s: string, a) => prefixes(a[0]).some((p) => s.endsWith(p)),
  replace: (s: string, a) => {
    const [from, to] = [str(a[0], 'replace'), str(a[1], 'replace')];
    const count = optInt(a[2], -1);
    if (count < 0) return s.split(from).join(to);
    let out = s;
    let at = 0;
    for (let k = 0; k < count; k++) {
      const i = out.indexOf(from, at);
      if (i < 0) break;
      out = out.slice(0, i) + to + out.slice(i + from.length);
      at = i + to.length;
    }
    return out;
  },
  strip: (s: string, a) => stripChars(s, a[0], true, true),
  lstrip: (s: string, a) => stripChars(s, a[0], true, false),
  rstrip: (s: string, a) => stripChars(s, a[0], false, true),
  lower: (s: string) => s.toLowerCase(),
  upper: (s: string) => s.toUpperCase(),
  casefold: (s: string) => s.toLowerCase(),
  swapcase: (s: string) => [...s].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join(''),
  capitalize: (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: (s: string) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, ch: string) => p + ch.toUpperCase()),
  find: (s: string, a) => s.indexOf(str(a[0], 'find'), optInt(a[1], 0)),
  rfind: (s: string, a) => s.lastIndexOf(str(a[0], 'rfind')),
  index: (s: string, a) => {
    const i = s.indexOf(str(a[0], 'index'));
    if (i < 0) throw new EvalError('substring not found');
    return i;
  },
  count: (s: string, a) => s.split(str(a[0], 'count')).length - 1,
  join: (s: string, a) => {
    if (!Array.isArray(a[0])) throw new EvalError(`join expects a list, got ${pyType(a[0])}`);
    return a[0].map((x) => str(x, 'join')).join(s);
  },
  format: (s: string, a, k) => pyFormat(s, a, k),
  isdigit: (s: string) => /^[0-9]+$/.test(s),
  isnumeric: (s: string) => /^[0-9]+$/.test(s),
  isalpha: (s: string) => /^\p{L}+$/u.test(s),
  isalnum: (s: string) => /^[\p{L}0-9]+$/u.test(s),
  isspace: (s: string) => /^\s+$/.test(s),
  islower: (s: string) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s: string) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  zfill: (s: string, a) => {
    const w = optInt(a[0], 0);
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + s.slice(sign.length).padStart(w - sign.length, '0');
  },
  ljust: (s: string, a) => s.padEnd(optInt(a[0], 0), typeof a[1] === 'string' ? a[1] : ' '),
  rjust: (s: string, a) => s.padStart(optInt(a[0], 0), typeof a[1] === 'string' ? a[1] : ' '),
  center: (s: string, a) => {
    const w = optInt(a[0], 0);
    const fill = typeof a[1] === 'string' ? a[1] : ' ';
    if (w <= s.length) return s;
    const left = Math.floor((w - s.length) / 2) + ((w - s.length) % 2 && w % 2 ? 1 : 0);
    return fill.repeat(left) + s + fill.repeat(w - s.length - left);
  },
  partition: (s: string, a) => {
    const sep = str(a[0], 'partition');
    const i = s.indexOf(sep);
    return i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)];
  },
  rpartition: (s: string, a) => {
    const sep = str(a[0], 'rpartition');
    const i = s.lastIndexOf(sep);
    return i < 0 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + sep.length)];
  },
};

const LIST: Record<string, Method> = {
  index: (l: unknown[], a) => {
    const i = l.findIndex((x) => pyEq(x, a[0]));
    if (i < 0) throw new EvalError(`${pyStr(a[0])} is not in list`);
    return i;
  },
  count: (l: unknown[], a) => l.filter((x) => pyEq(x, a[0])).length,
  copy: (l: unknown[]) => [...l],
};

const DICT: Record<string, Method> = {
  items: (d: Record<string, unknown>) => Object.entries(d),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
  get: (d: Record<string, unknown>, a) => {
    const k = pyStr(a[0]);
    return Object.hasOwn(d, k) && d[k] !== undefined ? d[k] : a.length > 1 ? a[1] : null;
  },
  copy: (d: Record<string, unknown>) => ({ ...d }),
};

const MUTATING = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'update', 'setdefault', 'popitem', 'sort', 'reverse']);

/** The method `name` of `self`, or undefined when its type has none by that name. */
export function methodOf(self: unknown, name: string): ((args: unknown[], kwargs: Record<string, unknown>) => unknown) | undefined {
  const table = typeof self === 'string' ? STR : Array.isArray(self) ? LIST : isDict(self) ? DICT : undefined;
  if (table && Object.hasOwn(table, name)) return (args, kwargs) => table[name]!(self as never, args, kwargs);
  if ((Array.isArray(self) || isDict(self)) && MUTATING.has(name)) {
    return () => {
      throw new EvalError(`${pyType(self)}.${name}() is not supported: variables cannot be changed in place (build a new value, e.g. list + [x] or dict | combine(...))`);
    };
  }
  return undefined;
}
