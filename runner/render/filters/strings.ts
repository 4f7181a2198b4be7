// String filters with Python's str methods: upper('ß') is 'SS', split() splits on whitespace runs.
import { FilterError, isNumber, num, pyStr, truthy, typeName } from './py.js';
import type { FilterFn } from './types.js';

/** Characters str.isspace() accepts (str.split(), str.strip() without arguments). */
const WS = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const isWs = (c: string) => WS.includes(c);

/** str.strip(chars) */
export function pyStrip(s: string, chars?: string | null): string {
  const cs = Array.from(s);
  const drop = chars === undefined || chars === null ? isWs : (c: string) => chars.includes(c);
  let a = 0;
  let b = cs.length;
  while (a < b && drop(cs[a]!)) a++;
  while (b > a && drop(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
}

/** str.split(sep=None, maxsplit=-1) */
export function pySplit(s: string, sep: string | null, maxsplit = -1): string[] {
  if (sep === null) {
    const out: string[] = [];
    let i = 0;
    const cs = Array.from(s);
    while (i < cs.length) {
      while (i < cs.length && isWs(cs[i]!)) i++;
      if (i >= cs.length) break;
      if (maxsplit >= 0 && out.length >= maxsplit) {
        out.push(trimRight(cs.slice(i).join('')));
        break;
      }
      let j = i;
      while (j < cs.length && !isWs(cs[j]!)) j++;
      out.push(cs.slice(i, j).join(''));
      i = j;
    }
    return out;
  }
  if (sep === '') throw new FilterError('split: empty separator');
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
}

function trimRight(s: string): string {
  const cs = Array.from(s);
  let b = cs.length;
  while (b > 0 && isWs(cs[b - 1]!)) b--;
  return cs.slice(0, b).join('');
}

/** str.replace(old, new, count) including Python's handling of an empty `old`. */
export function pyReplace(s: string, old: string, rep: string, count = -1): string {
  if (count === 0) return s;
  if (old === '') {
    const cs = Array.from(s);
    const out: string[] = [];
    let n = 0;
    for (let i = 0; i <= cs.length; i++) {
      if (count < 0 || n < count) {
        out.push(rep);
        n++;
      }
      if (i < cs.length) out.push(cs[i]!);
    }
    return out.join('');
  }
  const parts = s.split(old);
  if (count < 0 || parts.length - 1 <= count) return parts.join(rep);
  return parts.slice(0, count + 1).join(rep) + old + parts.slice(count + 1).join(old);
}

// Python title-cases these digraphs and ß differently from JS toUpperCase.
const TITLE: Record<string, string> = { ß: 'Ss', Ǆ: 'ǅ', ǅ: 'ǅ', ǆ: 'ǅ', Ǉ: 'ǈ', ǈ: 'ǈ', ǉ: 'ǈ', Ǌ: 'ǋ', ǋ: 'ǋ', ǌ: 'ǋ', Ǳ: 'ǲ', ǲ: 'ǲ', ǳ: 'ǲ' };
const titleChar = (c: string) => TITLE[c] ?? c.toUpperCase();

/** str.capitalize() (Python 3.8+: first character title-cased, the rest lower-cased). */
export function pyCapitalize(s: string): string {
  const cs = Array.from(s);
  if (!cs.length) return '';
  return titleChar(cs[0]!) + cs.slice(1).join('').toLowerCase();
}

/** Jinja's title: words split at whitespace, -, (, {, [, <; first letter upper(), rest lower(). */
function jinjaTitle(s: string): string {
  return s
    .split(/([-\s({[<]+)/u)
    .filter((x) => x)
    .map((item) => {
      const cs = Array.from(item);
      return cs[0]!.toUpperCase() + cs.slice(1).join('').toLowerCase();
    })
    .join('');
}

/** str.splitlines() line boundaries. */
export function splitLines(s: string): string[] {
  const out = s.split(/\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

const indent: FilterFn = (value, args, kwargs) => {
  if (typeof value !== 'string') throw new FilterError(`indent expects a string, got ${typeName(value)}`);
  const width = kwargs.width ?? args[0] ?? 4;
  const first = truthy(kwargs.first ?? args[1] ?? false);
  const blank = truthy(kwargs.blank ?? args[2] ?? false);
  let ind: string;
  if (typeof width === 'string') ind = width;
  else if (isNumber(width) && Number.isInteger(num(width))) ind = ' '.repeat(Math.max(0, num(width)));
  else throw new FilterError(`indent: width must be a number of spaces or a string, got ${typeName(width)}`);
  const lines = splitLines(value + '\n');
  let rv: string;
  if (blank) rv = lines.join('\n' + ind);
  else {
    rv = lines.shift() ?? '';
    if (lines.length) rv += '\n' + lines.map((l) => (l ? ind + l : l)).join('\n');
  }
  return first ? ind + rv : rv;
};

const replace: FilterFn = (value, args, kwargs) => {
  const [old, rep] = [kwargs.old ?? args[0], kwargs.new ?? args[1]];
  if (old === undefined || rep === undefined) throw new FilterError('replace needs two arguments: the text to find and its replacement');
  const count = kwargs.count ?? args[2] ?? null;
  if (count !== null && !(isNumber(count) && Number.isInteger(num(count)))) throw new FilterError(`replace: count must be an integer, got ${typeName(count)}`);
  return pyReplace(pyStr(value), pyStr(old), pyStr(rep), count === null ? -1 : num(count as number));
};

const split: FilterFn = (value, args, kwargs) => {
  if (typeof value !== 'string') throw new FilterError(`split expects a string, got ${typeName(value)}`);
  const sep = kwargs.sep ?? args[0] ?? null;
  const maxsplit = kwargs.maxsplit ?? args[1] ?? -1;
  if (sep !== null && typeof sep !== 'string') throw new FilterError(`split: the separator must be a string, got ${typeName(sep)}`);
  if (!(isNumber(maxsplit) && Number.isInteger(num(maxsplit)))) throw new FilterError(`split: maxsplit must be an integer, got ${typeName(maxsplit)}`);
  return pySplit(value, sep, num(maxsplit));
};

const trim: FilterFn = (value, args, kwargs) => {
  const chars = kwargs.chars ?? args[0] ?? null;
  if (chars !== null && typeof chars !== 'string') throw new FilterError(`trim: chars must be a string, got ${typeName(chars)}`);
  return pyStrip(pyStr(value), chars);
};

const ternary: FilterFn = (value, args, kwargs) => {
  const t = kwargs.true_val ?? args[0];
  const f = kwargs.false_val ?? args[1];
  const n = kwargs.none_val ?? args[2] ?? null;
  if (t === undefined || f === undefined) throw new FilterError('ternary needs two arguments: the value if true and the value if false');
  if ((value === null || value === undefined) && n !== null) return n;
  return truthy(value) ? t : f;
};

/** markupsafe.escape: &, <, >, ' and " as HTML entities. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>'"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&#34;' })[c]!);
}

export const STRING_FILTERS: Readonly<Record<string, FilterFn>> = {
  string: (v) => pyStr(v),
  lower: (v) => pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v).toUpperCase(),
  capitalize: (v) => pyCapitalize(pyStr(v)),
  title: (v) => jinjaTitle(pyStr(v)),
  trim,
  replace,
  split,
  ternary,
  indent,
  escape: (v) => htmlEscape(pyStr(v)),
  e: (v) => htmlEscape(pyStr(v)),
  forceescape: (v) => htmlEscape(pyStr(v)),
};
