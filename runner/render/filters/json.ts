// to_json / to_nice_json / from_json with Python's json module output: ', ' and ': ' separators,
// ASCII escapes by default, float repr, insertion order unless sort_keys.
import { FilterError, floatRepr, isDict, isPyInt, pyCmp, pyRepr, truthy, typeName } from './py.js';
import type { FilterFn } from './types.js';

interface JsonOptions {
  indent: string | null;
  sortKeys: boolean;
  ensureAscii: boolean;
  itemSep: string;
  keySep: string;
}

function jsonString(s: string, ascii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || (ascii && cp > 0x7e)) {
      if (cp > 0xffff) {
        const v = cp - 0x10000;
        out += `\\u${(0xd800 + (v >> 10)).toString(16)}\\u${(0xdc00 + (v & 0x3ff)).toString(16)}`;
      } else out += '\\u' + cp.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

function encode(v: unknown, o: JsonOptions, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    return isPyInt(v) ? String(v) : floatRepr(v);
  }
  if (typeof v === 'string') return jsonString(v, o.ensureAscii);
  const nl = o.indent === null ? '' : '\n' + o.indent.repeat(depth + 1);
  const end = o.indent === null ? '' : '\n' + o.indent.repeat(depth);
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return '[' + nl + v.map((x) => encode(x, o, depth + 1)).join(o.itemSep + nl) + end + ']';
  }
  if (isDict(v)) {
    const entries = Object.entries(v);
    if (!entries.length) return '{}';
    if (o.sortKeys) entries.sort((a, b) => pyCmp(a[0], b[0]));
    return '{' + nl + entries.map(([k, x]) => jsonString(k, o.ensureAscii) + o.keySep + encode(x, o, depth + 1)).join(o.itemSep + nl) + end + '}';
  }
  throw new FilterError(`Object of type ${typeName(v)} is not JSON serializable`);
}

const KNOWN = ['indent', 'sort_keys', 'ensure_ascii', 'separators', 'skipkeys', 'check_circular', 'allow_nan', 'vault_to_text', 'preprocess_unsafe'];

export function toJson(value: unknown, kwargs: Record<string, unknown>, defaults: { indent: unknown; sortKeys: boolean }): string {
  for (const k of Object.keys(kwargs)) if (!KNOWN.includes(k)) throw new FilterError(`to_json: unexpected keyword argument '${k}'`);
  const rawIndent = Object.hasOwn(kwargs, 'indent') ? kwargs.indent : defaults.indent;
  let indent: string | null = null;
  if (typeof rawIndent === 'number') indent = ' '.repeat(Math.max(0, rawIndent));
  else if (typeof rawIndent === 'string') indent = rawIndent;
  else if (rawIndent !== null && rawIndent !== undefined) throw new FilterError(`to_json: indent must be a number or a string, got ${pyRepr(rawIndent)}`);
  let itemSep = indent === null ? ', ' : ',';
  let keySep = ': ';
  const seps = kwargs.separators;
  if (seps !== undefined && seps !== null) {
    if (!Array.isArray(seps) || seps.length !== 2 || !seps.every((s) => typeof s === 'string')) throw new FilterError('to_json: separators must be a pair of strings');
    [itemSep, keySep] = seps as [string, string];
  }
  const o: JsonOptions = {
    indent,
    sortKeys: truthy(kwargs.sort_keys ?? defaults.sortKeys),
    ensureAscii: truthy(kwargs.ensure_ascii ?? true),
    itemSep,
    keySep,
  };
  return encode(value, o, 0);
}

export const JSON_FILTERS: Readonly<Record<string, FilterFn>> = {
  to_json: (v, _a, kw) => toJson(v, kw, { indent: null, sortKeys: false }),
  to_nice_json: (v, a, kw) => toJson(v, { ...kw, indent: kw.indent ?? a[0] ?? 4, sort_keys: kw.sort_keys ?? a[1] ?? true, separators: [',', ': '] }, { indent: 4, sortKeys: true }),
  from_json: (v) => {
    if (typeof v !== 'string') throw new FilterError(`from_json: the JSON object must be a string, not ${typeName(v)}`);
    try {
      return JSON.parse(v) as unknown;
    } catch (e) {
      throw new FilterError(`from_json: invalid JSON: ${(e as Error).message}`);
    }
  },
};
