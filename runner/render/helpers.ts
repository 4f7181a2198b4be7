// Template helpers. Each takes plain values (Handlebars' options object is stripped) and
// throws HelperError on misuse; template.ts turns that into a RenderError with the `where`.
import YAML from 'yaml';
import { deepEqual, showValue, truthy, typeName } from './values.js';

export class HelperError extends Error {}

type Helper = (...args: unknown[]) => unknown;

/** POSIX shell single-quoting: safe for quotes, $(), backticks, globs and newlines. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function str(helper: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') throw new HelperError(`${helper}: expected a string, got a ${typeName(v)}`);
  return String(v);
}

function arity(helper: string, args: unknown[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new HelperError(`${helper}: expected ${want} argument(s), got ${args.length}`);
  }
}

/** Lines after the first get `n` spaces (like Jinja's indent); `first` indents line 1 too. Blank lines stay blank. */
export function indentText(text: string, n: number, first = false): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((line, i) => ((i > 0 || first) && line.trim() !== '' ? pad + line : line))
    .join('\n');
}

export const HELPERS: Record<string, Helper> = {
  quote: (...a) => {
    arity('quote', a, 1, 1);
    const v = a[0];
    if (Array.isArray(v)) return v.map((x) => shellQuote(str('quote', x))).join(' ');
    return shellQuote(str('quote', v));
  },
  default: (...a) => {
    arity('default', a, 2, 2);
    return a[0] === undefined || a[0] === null ? a[1] : a[0];
  },
  defined: (...a) => {
    arity('defined', a, 1, 1);
    return a[0] !== undefined;
  },
  json: (...a) => {
    arity('json', a, 1, 2);
    const n = a[1] === undefined ? undefined : Number(a[1]);
    return JSON.stringify(a[0], null, n);
  },
  yaml: (...a) => {
    arity('yaml', a, 1, 1);
    return YAML.stringify(a[0]).trim();
  },
  join: (...a) => {
    arity('join', a, 1, 2);
    if (!Array.isArray(a[0])) throw new HelperError(`join: expected a list, got a ${typeName(a[0])}`);
    const sep = a[1] === undefined ? ',' : str('join', a[1]);
    return a[0].map(showValue).join(sep);
  },
  eq: (...a) => {
    arity('eq', a, 2, 2);
    return deepEqual(a[0], a[1]);
  },
  ne: (...a) => {
    arity('ne', a, 2, 2);
    return !deepEqual(a[0], a[1]);
  },
  and: (...a) => {
    if (a.length < 1) throw new HelperError('and: expected at least 1 argument');
    return a.every(truthy);
  },
  or: (...a) => {
    if (a.length < 1) throw new HelperError('or: expected at least 1 argument');
    return a.some(truthy);
  },
  not: (...a) => {
    arity('not', a, 1, 1);
    return !truthy(a[0]);
  },
  lower: (...a) => {
    arity('lower', a, 1, 1);
    return str('lower', a[0]).toLowerCase();
  },
  upper: (...a) => {
    arity('upper', a, 1, 1);
    return str('upper', a[0]).toUpperCase();
  },
  indent: (...a) => {
    arity('indent', a, 2, 3);
    const n = Number(a[1]);
    if (!Number.isInteger(n) || n < 0) throw new HelperError(`indent: width must be a non-negative integer, got ${String(a[1])}`);
    return indentText(str('indent', a[0]), n, a[2] === true);
  },
};

/** Handlebars' built-in helpers we keep. Partials, decorators and `log` are not offered. */
export const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup'];

/** Helpers that may open a block: {{#if}}, {{#unless}}, {{#each}}, {{#with}}. */
export const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

/** Helpers whose first argument may be undefined: it is not checked strictly. */
export const LENIENT_FIRST_ARG = new Set(['default', 'defined']);

export function isHelperName(name: string): boolean {
  return Object.hasOwn(HELPERS, name) || BUILTIN_HELPERS.includes(name);
}
