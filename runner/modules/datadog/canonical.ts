// Pure helpers to compare API objects: project the server's copy onto the fields we manage,
// print canonical JSON (sorted keys) and diff it; find what the official models could not parse.
import { unifiedDiff as createTwoFilesPatch } from '../unified-diff.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** JSON with object keys sorted at every level, two-space indent. */
export function canonicalJson(x: unknown): string {
  return JSON.stringify(sortKeys(x), null, 2);
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) if (x[k] !== undefined) out[k] = sortKeys(x[k]);
    return out;
  }
  return x;
}

/**
 * The server's copy reduced to the keys the desired body sets, recursively. Server-set fields
 * (id, created, url, author, defaults) disappear; extra array items stay so removals show.
 */
export function project(actual: unknown, desired: unknown): unknown {
  if (isPlainObject(desired) && isPlainObject(actual)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(desired)) if (k in actual) out[k] = project(actual[k], desired[k]);
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(actual)) {
    return actual.map((a, i) => (i < desired.length ? project(a, desired[i]) : a));
  }
  return actual;
}

/** Drops null/undefined values from objects, recursively: "unset" in YAML means "not managed". */
export function dropNulls(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(dropNulls);
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
    return out;
  }
  return x;
}

export interface Comparison {
  equal: boolean;
  /** Unified diff of current (projected) vs desired canonical JSON; empty when equal. */
  diff: string;
}

/** Compares the managed fields of `actual` against `desired`; `label` names the diff sides. */
export function compareManaged(actual: unknown, desired: unknown, label: string): Comparison {
  const want = canonicalJson(desired);
  const have = canonicalJson(project(actual, desired));
  if (want === have) return { equal: true, diff: '' };
  const diff = createTwoFilesPatch(`${label} (current)`, `${label} (desired)`, have + '\n', want + '\n', '', '', {
    context: 3,
  });
  return { equal: false, diff };
}

/**
 * Paths the official client's ObjectSerializer could not parse (marked `_unparsed`):
 * unknown enum values, wrong shapes. Walks deserialized model objects.
 */
export function findUnparsed(x: unknown, path = '$'): string[] {
  if (Array.isArray(x)) return x.flatMap((v, i) => findUnparsed(v, `${path}[${i}]`));
  if (typeof x !== 'object' || x === null) return [];
  const rec = x as Record<string, unknown>;
  const out: string[] = [];
  for (const [k, v] of Object.entries(rec)) {
    if (k === '_unparsed' || k === 'additionalProperties') continue;
    if (isPlainObject(v) && '_data' in v && Object.keys(v).length === 1) {
      out.push(`${path}.${k}: unexpected value ${JSON.stringify(v._data)}`);
      continue;
    }
    out.push(...findUnparsed(v, `${path}.${k}`));
  }
  if (rec._unparsed === true && out.length === 0) out.push(`${path}: does not match any known shape`);
  return out;
}

/** Deserializes with a model, returning the model or the reasons it does not fit. */
export function parseWith<T>(
  deserialize: (data: unknown, type: string, format: string) => unknown,
  data: unknown,
  type: string,
): { ok: true; model: T } | { ok: false; errors: string[] } {
  let model: unknown;
  try {
    model = deserialize(data, type, '');
  } catch (e) {
    return { ok: false, errors: [`${type}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const bad = findUnparsed(model);
  return bad.length ? { ok: false, errors: bad.map((b) => `${type} ${b}`) } : { ok: true, model: model as T };
}
