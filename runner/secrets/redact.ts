// Every secret value known to the run is replaced before anything leaves the process:
// output, events, diffs, error messages and the state store all pass through a Redactor.

export const MASK = '********';

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;
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
    this.pattern = null;
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
    if (this.secrets.size === 0 || !text) return false;
    const re = this.regex();
    re.lastIndex = 0;
    return re.test(text);
  }

  redact(text: string): string {
    if (this.secrets.size === 0 || !text) return text;
    return text.replace(this.regex(), MASK);
  }

  /** Where each secret occurs in text: [start, end) pairs, left to right, as redact() would replace them. */
  matches(text: string): Array<[number, number]> {
    if (this.secrets.size === 0 || !text) return [];
    return [...text.matchAll(this.regex())].map((m) => [m.index, m.index + m[0].length]);
  }

  /** Length of the longest end of `text` that could be the start of a secret still arriving. */
  partialTail(text: string): number {
    const from = Math.max(0, text.length - this.longest + 1);
    for (let i = from; i < text.length; i++) {
      const tail = text.slice(i);
      for (const s of this.secrets) if (s.length > tail.length && s.startsWith(tail)) return text.length - i;
    }
    return 0;
  }

  /** Deep copy of a JSON-like value with every secret masked, in keys and values. */
  redactValue<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    return JSON.parse(this.redact(JSON.stringify(value) ?? 'null')) as T;
  }

  private regex(): RegExp {
    if (!this.pattern) {
      const parts = [...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(parts.join('|'), 'g');
    }
    return this.pattern;
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
