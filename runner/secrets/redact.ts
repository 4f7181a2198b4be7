// Every secret value known to the run is replaced before anything leaves the process:
// output, events, diffs, error messages and the state store all pass through a Redactor.

export const MASK = '********';

export class Redactor {
  private readonly secrets = new Set<string>();
  private prefixes: Map<number, string[]> | null = null;
  private index: Map<string, string[]> | null = null;
  private longest = 0;

  /** Registers a secret. Values shorter than 4 characters would mask ordinary text, so they are refused. */
  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length < 4 || this.secrets.has(text)) return;
    // The value as it can travel: raw, inside JSON text, base64, hex and URL-encoded.
    for (const form of encodings(text)) {
      if (form.length < 4 || this.secrets.has(form)) continue;
      this.secrets.add(form);
      this.longest = Math.max(this.longest, form.length);
    }
    this.prefixes = null;
    this.index = null;
  }

  get size(): number {
    return this.secrets.size;
  }

  /** Length of the longest form of any secret: how much a stream must hold back before emitting. */
  get longestForm(): number {
    return this.longest;
  }

  isSecret(value: unknown): boolean {
    return typeof value === 'string' && this.secrets.has(value);
  }

  /** True when the text holds any secret, in any registered form. */
  holdsSecret(text: string): boolean {
    return this.scan(text, true).length > 0;
  }

  redact(text: string): string {
    const found = this.scan(text, false);
    if (found.length === 0) return text;
    let out = '';
    let at = 0;
    for (const [start, end] of found) {
      out += text.slice(at, start) + MASK;
      at = end;
    }
    return out + text.slice(at);
  }

  /** Where each secret occurs in text: [start, end) pairs, left to right, as redact() replaces them. */
  matches(text: string): Array<[number, number]> {
    return this.scan(text, false);
  }

  /** Length of the longest end of `text` that could be the start of a secret still arriving. */
  partialTail(text: string): number {
    const byFirst = this.byFirstChar();
    const from = Math.max(0, text.length - this.longest + 1);
    for (let i = from; i < text.length; i++) {
      const candidates = byFirst.get(text[i]!);
      if (!candidates) continue;
      const tail = text.slice(i);
      for (const s of candidates) if (s.length > tail.length && s.startsWith(tail)) return text.length - i;
    }
    return 0;
  }

  /** Secret forms indexed by their first character (streams test every position of a tail). */
  private byFirstChar(): Map<string, string[]> {
    if (!this.index) {
      this.index = new Map();
      for (const s of this.secrets) {
        const list = this.index.get(s[0]!) ?? [];
        list.push(s);
        this.index.set(s[0]!, list);
      }
    }
    return this.index;
  }

  /** Deep copy of a JSON-like value with every secret masked, in keys and values (undefined members dropped, as JSON would). */
  redactValue<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    // Walked, not masked as JSON text: a secret's digits inside a number would leave invalid JSON.
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (typeof v === 'number') return this.holdsSecret(String(v)) ? MASK : v;
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return walk(JSON.parse(JSON.stringify(v)));
        return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [this.redact(k), walk(x)]));
      }
      return v;
    };
    return walk(value) as T;
  }

  /**
   * Leftmost, longest-first, non-overlapping occurrences. Forms are indexed by their first two
   * characters, so each position costs a map lookup (a regex of hundreds of alternatives cost ~1 µs
   * per character, too slow for streamed output).
   */
  private scan(text: string, first: boolean): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    if (this.secrets.size === 0 || !text) return out;
    const index = this.byPrefix();
    for (let i = 0; i + 1 < text.length;) {
      const list = index.get(text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1));
      const hit = list?.find((s) => text.startsWith(s, i));
      if (!hit) { i++; continue; }
      out.push([i, i + hit.length]);
      if (first) break;
      i += hit.length;
    }
    return out;
  }

  /** Forms by their first two characters, longest first. */
  private byPrefix(): Map<number, string[]> {
    if (!this.prefixes) {
      this.prefixes = new Map();
      for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
        const k = s.charCodeAt(0) * 0x10000 + s.charCodeAt(1);
        const list = this.prefixes.get(k) ?? [];
        list.push(s);
        this.prefixes.set(k, list);
      }
    }
    return this.prefixes;
  }
}

/** The forms a secret takes on the wire: raw, JSON-escaped, hex, URL-encoded and base64. */
function encodings(text: string): string[] {
  const buf = Buffer.from(text, 'utf8');
  const forms = [text, JSON.stringify(text).slice(1, -1), buf.toString('hex'), buf.toString('hex').toUpperCase(), encodeURIComponent(text)];
  forms.push(buf.toString('base64'), buf.toString('base64url'));
  // Inside a longer payload the value starts at byte offset 0, 1 or 2 of a base64 group: add the
  // characters that depend only on the value, for each alignment.
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), buf]).toString('base64');
    const core = b64.slice(Math.ceil((4 * shift) / 3), Math.floor((4 * (shift + buf.length)) / 3));
    if (core.length >= 8) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}
