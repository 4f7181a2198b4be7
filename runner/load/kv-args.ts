// Free-form module arguments (`file: path=/x state=directory`), split as Ansible's parse_kv splits
// them (ansible/parsing/splitter.py): on whitespace, except inside quotes and inside {{ }}, {% %} and
// {# #}; `k=v` pairs, a quoted value unquoted. Then typed by the module's schema, as Ansible's argument
// spec converts them ('yes' -> true for a boolean, '3' -> 3 for an integer). Pure.

export type KvParse = { ok: true; args: Record<string, unknown>; rawParams?: string } | { ok: false; msg: string };

const OPEN: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}' };

/** Whitespace-separated tokens, keeping quoted parts and Jinja blocks whole. */
export function splitArgs(s: string): { ok: true; tokens: string[] } | { ok: false; msg: string } {
  const tokens: string[] = [];
  let cur = '';
  let quote: string | null = null;
  const blocks: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const two = s.slice(i, i + 2);
    if (blocks.length && two === blocks[blocks.length - 1]) {
      blocks.pop();
      cur += two;
      i++;
      continue;
    }
    if (!quote && OPEN[two]) {
      blocks.push(OPEN[two]!);
      cur += two;
      i++;
      continue;
    }
    if (blocks.length) {
      cur += c;
      continue;
    }
    if (quote) {
      if (c === '\\' && i + 1 < s.length) {
        cur += c + s[i + 1];
        i++;
        continue;
      }
      if (c === quote) quote = null;
      cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      cur += c;
      continue;
    }
    if (/\s/.test(c)) {
      if (cur) tokens.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (quote) return { ok: false, msg: `unbalanced ${quote} quote` };
  if (blocks.length) return { ok: false, msg: `unclosed Jinja block (expected '${blocks[blocks.length - 1]}')` };
  if (cur) tokens.push(cur);
  return { ok: true, tokens };
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    const body = v.slice(1, -1);
    return body.replace(/\\(["'\\])/g, '$1');
  }
  return v;
}

/** Ansible's parse_kv: `k=v` pairs; the other tokens join into _raw_params. */
export function parseKv(s: string): KvParse {
  const split = splitArgs(s);
  if (!split.ok) return split;
  const args: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const raw: string[] = [];
  for (const t of split.tokens) {
    const m = /^([A-Za-z_][A-Za-z0-9_-]*)=([^]*)$/.exec(t);
    if (m) args[m[1]!] = unquote(m[2]!);
    else raw.push(t);
  }
  const out: Record<string, unknown> = { ...args };
  return raw.length ? { ok: true, args: out, rawParams: raw.join(' ') } : { ok: true, args: out };
}

const TRUE = new Set(['yes', 'on', 'true', '1', 'y', 't']);
const FALSE = new Set(['no', 'off', 'false', '0', 'n', 'f']);

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema };

const types = (s: Schema | undefined): string[] => (s?.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/**
 * Converts free-form string values to the types the module's schema declares, as Ansible's
 * argument spec does: booleans from yes/no/true/false/on/off/1/0, integers, and comma-separated
 * lists. A value holding a template stays a string: it is typed when rendered.
 */
export function typeBySchema(args: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    const want = types(schema.properties?.[k]);
    if (typeof v !== 'string' || v.includes('{{') || want.length === 0 || want.includes('string')) {
      out[k] = v;
      continue;
    }
    const low = v.toLowerCase();
    if (want.includes('boolean') && (TRUE.has(low) || FALSE.has(low))) out[k] = TRUE.has(low);
    else if ((want.includes('integer') || want.includes('number')) && /^-?\d+(\.\d+)?$/.test(v)) out[k] = Number(v);
    else if (want.includes('array')) out[k] = v === '' ? [] : v.split(',').map((x) => x.trim());
    else out[k] = v;
  }
  return out;
}
