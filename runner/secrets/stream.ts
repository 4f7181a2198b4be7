// Masking for text that arrives in pieces. A secret split across chunks (half a key, a pause, the rest)
// is only recognisable whole, so each stream holds back the tail that could be the start of a secret
// (at most as long as the longest secret form) and emits only text that no secret can still be completing.
import type { Redactor } from './redact.js';

export class StreamRedactor {
  private pending = '';

  constructor(private readonly redactor: Redactor) {}

  /** Adds a chunk; returns the masked text that is safe to emit now (maybe empty). */
  push(chunk: string): string {
    const text = this.pending + chunk;
    let cut = text.length - this.redactor.partialTail(text);
    // A match that straddles the cut is complete: emit it whole (masked) rather than split it.
    for (const [start, end] of this.redactor.matches(text)) {
      if (start < cut && end > cut) cut = end;
    }
    return this.take(text, cut);
  }

  /** The end of the stream: everything held back, masked. */
  flush(): string {
    return this.take(this.pending, this.pending.length);
  }

  private take(text: string, cut: number): string {
    // never split a surrogate pair
    if (cut > 0 && cut < text.length && /[\ud800-\udbff]/.test(text[cut - 1]!)) cut--;
    this.pending = text.slice(cut);
    return this.redactor.redact(text.slice(0, cut));
  }
}
