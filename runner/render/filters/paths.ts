// quote (shlex.quote) and the posixpath filters basename, dirname, splitext.
import { FilterError, pyStr, typeName } from './py.js';
import type { FilterFn } from './types.js';

/** Python's shlex.quote: bare when only [\w@%+=:,./-] (ASCII), else single-quoted with '"'"'. */
export function shlexQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

function pathArg(filter: string, v: unknown): string {
  if (typeof v !== 'string') throw new FilterError(`${filter} expects a path string, got ${typeName(v)}`);
  return v;
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function dirname(p: string): string {
  let head = p.slice(0, p.lastIndexOf('/') + 1);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

export function splitext(p: string): [string, string] {
  const sep = p.lastIndexOf('/');
  const dot = p.lastIndexOf('.');
  if (dot > sep) {
    for (let i = sep + 1; i < dot; i++) if (p[i] !== '.') return [p.slice(0, dot), p.slice(dot)];
  }
  return [p, ''];
}

export const PATH_FILTERS: Readonly<Record<string, FilterFn>> = {
  quote: (v) => shlexQuote(v === null || v === undefined ? '' : pyStr(v)),
  basename: (v) => basename(pathArg('basename', v)),
  dirname: (v) => dirname(pathArg('dirname', v)),
  splitext: (v) => splitext(pathArg('splitext', v)),
};
