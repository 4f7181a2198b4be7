// uri's request body as Ansible builds it (Python's json.dumps and urlencode), and its response
// (headers as result keys, JSON content). Pure: the bytes a server sees are Ansible's bytes.

/** Python's json.dumps(v): ", " and ": " separators, non-ASCII as \uXXXX. */
export function pyJsonDumps(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyJsonDumps(k)}: ${pyJsonDumps(x)}`).join(', ')}}`;
  return pyJsonDumps(String(v));
}

/** Python's quote_plus: only letters, digits and _.-~ stay; a space is '+'. */
export function quotePlus(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9_.\-~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const pyStr = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : v === null ? 'None' : String(v));

/** Ansible's form_urlencoded: a mapping (or a list of pairs); a list value repeats its key. */
export function formUrlencoded(body: unknown): string {
  const pairs: Array<[string, unknown]> = Array.isArray(body)
    ? body.map((p) => (Array.isArray(p) && p.length === 2 ? [String(p[0]), p[1]] as [string, unknown] : (() => { throw new Error('a list body needs [key, value] pairs'); })()))
    : Object.entries(body as Record<string, unknown>);
  const out: string[] = [];
  for (const [k, v] of pairs) {
    for (const item of Array.isArray(v) ? v : [v]) out.push(`${quotePlus(k)}=${quotePlus(pyStr(item))}`);
  }
  return out.join('&');
}

export type BodyFormat = 'raw' | 'json' | 'form-urlencoded' | 'form-multipart';

/** The body bytes and the Content-Type Ansible adds when the task's headers have none. */
export function buildBody(body: unknown, format: BodyFormat, headers: Record<string, unknown>): { ok: true; text?: string; contentType?: string } | { ok: false; msg: string } {
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (format === 'form-multipart') return { ok: false, msg: "body_format form-multipart is not supported by play's uri yet" };
  if (format === 'json') {
    const text = body === undefined ? 'null' : typeof body === 'string' ? body : pyJsonDumps(body);
    return hasType ? { ok: true, text } : { ok: true, text, contentType: 'application/json' };
  }
  if (format === 'form-urlencoded') {
    let text: string | undefined;
    try {
      text = body === undefined ? undefined : typeof body === 'string' ? body : formUrlencoded(body);
    } catch (e) {
      return { ok: false, msg: `failed to parse body as form_urlencoded: ${(e as Error).message}` };
    }
    return hasType ? { ok: true, ...(text !== undefined ? { text } : {}) } : { ok: true, ...(text !== undefined ? { text } : {}), contentType: 'application/x-www-form-urlencoded' };
  }
  if (body === undefined || body === null) return { ok: true };
  return { ok: true, text: typeof body === 'string' ? body : pyJsonDumps(body) };
}

const JSON_TYPES = ['json', 'javascript'];

/** Whether a Content-Type says JSON (application/json, text/javascript, application/problem+json). */
export function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const sub = (contentType.split(';')[0] ?? '').trim().split('/')[1]?.toLowerCase() ?? '';
  const tail = sub.includes('+') ? sub.slice(sub.indexOf('+') + 1) : sub;
  return JSON_TYPES.includes(tail);
}

/** The last header block of a curl -D dump (after redirects): keys lowercased, '-' as '_', as Ansible returns them. */
export function parseHeaderDump(text: string): { statusLine?: string; headers: Record<string, string> } {
  const blocks = text.split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b.trim()));
  const last = blocks[blocks.length - 1];
  if (!last) return { headers: {} };
  const lines = last.trim().split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim().toLowerCase().replace(/-/g, '_');
    const value = line.slice(i + 1).trim();
    // urllib joins repeated headers with ", " (Set-Cookie included)
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  return { statusLine: lines[0], headers };
}

/** Python's repr of a list of ints: [200, 201]. */
export const pyList = (codes: number[]): string => `[${codes.join(', ')}]`;
