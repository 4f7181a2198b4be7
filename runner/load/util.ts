// Small helpers shared by the loader and the compiler.
import * as path from 'node:path';

export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function asObj(v: unknown): Record<string, unknown> {
  return isObj(v) ? v : {};
}

/** A string or a list of strings, as a list. Anything else is dropped (the schema reported it). */
export function strList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** when/changed_when/failed_when/until: a string, bool or a list of them, as strings. */
export function condList(v: unknown): string[] {
  const one = (x: unknown): string[] => (typeof x === 'boolean' ? [String(x)] : typeof x === 'string' ? [x] : []);
  if (Array.isArray(v)) return v.flatMap(one);
  return one(v);
}

/** Path for messages: relative to the working directory when inside it. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}
