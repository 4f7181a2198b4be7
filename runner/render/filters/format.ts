// Jinja's `format` filter: Python printf-style formatting ('%s-%05.1f' % args).
import { FilterError, floatRepr, isNumber, num, pyRepr, pyStr, typeName } from './py.js';
import { pyRound } from './numbers.js';
import type { FilterFn } from './types.js';

const SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;

function expDigits(s: string): string {
  // JS writes 1e+5; Python writes 1e+05.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** %e with a given precision. */
function fmtE(x: number, prec: number): string {
  return expDigits(x.toExponential(prec));
}

/** %g: precision significant digits, exponent form when exp < -4 or >= precision. */
function fmtG(x: number, prec: number, alt: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (x === 0) return alt ? '0.' + '0'.repeat(p - 1) : '0';
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  let s: string;
  if (exp < -4 || exp >= p) {
    s = x.toExponential(p - 1);
    if (!alt) s = s.replace(/\.?0+e/, 'e');
    return expDigits(s);
  }
  s = x.toFixed(Math.max(0, p - 1 - exp));
  if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '');
  return s;
}

function realNumber(conv: string, v: unknown): number {
  if (isNumber(v)) return num(v);
  throw new FilterError(`format: %${conv} needs a number, not ${typeName(v)}`);
}

function convert(conv: string, flags: string, prec: number | undefined, v: unknown): string {
  switch (conv) {
    case 's':
      return prec === undefined ? pyStr(v) : Array.from(pyStr(v)).slice(0, prec).join('');
    case 'r':
    case 'a':
      return prec === undefined ? pyRepr(v) : pyRepr(v).slice(0, prec);
    case 'c':
      if (typeof v === 'string' && Array.from(v).length === 1) return v;
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x10ffff) return String.fromCodePoint(v);
      throw new FilterError('format: %c requires an integer or a single character');
    case 'd':
    case 'i':
    case 'u': {
      const n = Math.trunc(realNumber(conv, v));
      return prec === undefined ? String(n) : (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(prec, '0');
    }
    case 'x':
    case 'X':
    case 'o': {
      if (!(isNumber(v) && Number.isInteger(num(v)))) throw new FilterError(`format: %${conv} needs an integer, not ${typeName(v)}`);
      const n = num(v);
      let s = Math.abs(n).toString(conv === 'o' ? 8 : 16);
      if (prec !== undefined) s = s.padStart(prec, '0');
      if (flags.includes('#')) s = (conv === 'o' ? '0o' : '0x') + s;
      if (conv === 'X') s = s.toUpperCase();
      return (n < 0 ? '-' : '') + s;
    }
    case 'f':
    case 'F': {
      const x = realNumber(conv, v);
      const p = prec ?? 6;
      if (!Number.isFinite(x)) return floatRepr(x);
      const s = Math.abs(pyRound(x, p)).toFixed(p);
      return (x < 0 || Object.is(x, -0) ? '-' : '') + (flags.includes('#') && p === 0 ? s + '.' : s);
    }
    case 'e':
    case 'E': {
      const s = fmtE(realNumber(conv, v), prec ?? 6);
      return conv === 'E' ? s.toUpperCase() : s;
    }
    case 'g':
    case 'G': {
      const s = fmtG(realNumber(conv, v), prec ?? 6, flags.includes('#'));
      return conv === 'G' ? s.toUpperCase() : s;
    }
    default:
      throw new FilterError(`format: unsupported format character '${conv}'`);
  }
}

/** `fmt % args` where args is a tuple, or `fmt % mapping` with %(name)s. */
export function printf(fmt: string, args: unknown[], mapping: Record<string, unknown> | null): string {
  let i = 0;
  const out = fmt.replace(SPEC, (_m, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const next = (): unknown => {
      if (i >= args.length) throw new FilterError('format: not enough arguments for format string');
      return args[i++];
    };
    let v: unknown;
    if (key !== undefined) {
      if (!mapping) throw new FilterError('format: %(name)s needs keyword arguments');
      if (!Object.hasOwn(mapping, key)) throw new FilterError(`format: no keyword argument named '${key}'`);
      v = mapping[key];
    }
    const w = width === '*' ? Number(next()) : width === undefined ? 0 : Number(width);
    const p = precision === '*' ? Number(next()) : precision === undefined ? undefined : Number(precision);
    if (key === undefined) v = next();
    let s = convert(conv, flags, p, v);
    if (/[diouxXeEfFgG]/.test(conv)) {
      if (!s.startsWith('-') && flags.includes('+')) s = '+' + s;
      else if (!s.startsWith('-') && flags.includes(' ')) s = ' ' + s;
    }
    if (s.length < w) {
      if (flags.includes('-')) s = s.padEnd(w);
      else if (flags.includes('0') && /[diouxXeEfFgG]/.test(conv)) {
        const sign = /^[-+ ]/.test(s) ? s[0]! : '';
        s = sign + s.slice(sign.length).padStart(w - sign.length, '0');
      } else s = s.padStart(w);
    }
    return s;
  });
  if (!mapping && i < args.length) throw new FilterError('format: not all arguments converted during string formatting');
  return out;
}

export const format: FilterFn = (value, args, kwargs) => {
  const hasKw = Object.keys(kwargs).length > 0;
  if (args.length && hasKw) throw new FilterError("format: can't handle positional and keyword arguments at the same time");
  if (hasKw) return printf(pyStr(value), [], kwargs);
  return printf(pyStr(value), args, null);
};
