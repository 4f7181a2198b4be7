// Every secret value known to the run is replaced before anything leaves the process:
// output, events, diffs, error messages and the state store all pass through a Redactor.

export const MASK = '********';

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;

  /** Registers a secret. Values shorter than 4 characters would mask ordinary text, so they are refused. */
  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length < 4 || this.secrets.has(text)) return;
    this.secrets.add(text);
    // The same secret as it appears inside JSON text (quotes, backslashes, newlines escaped).
    const inJson = JSON.stringify(text).slice(1, -1);
    if (inJson !== text) this.secrets.add(inJson);
    this.pattern = null;
  }

  get size(): number {
    return this.secrets.size;
  }

  isSecret(value: unknown): boolean {
    return typeof value === 'string' && this.secrets.has(value);
  }

  redact(text: string): string {
    if (this.secrets.size === 0 || !text) return text;
    if (!this.pattern) {
      const parts = [...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(parts.join('|'), 'g');
    }
    return text.replace(this.pattern, MASK);
  }

  /** Deep copy of a JSON-like value with every secret masked, in keys and values. */
  redactValue<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    return JSON.parse(this.redact(JSON.stringify(value) ?? 'null')) as T;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
