// A command kept running on a host for as long as the connection lives (the host-side run lock).
import type { HeldCommand } from './types.js';

interface LineSource {
  on(event: 'data', fn: (b: Buffer) => void): unknown;
  on(event: 'close', fn: () => void): unknown;
}

/** Reads a held command's stdout line by line; close() ends it (and whatever it holds on the host). */
export class HeldLines implements HeldCommand {
  #buf = '';
  #lines: string[] = [];
  #ended = false;
  #waiting: ((l: string | null) => void) | undefined;

  constructor(src: LineSource, private readonly end: () => void) {
    src.on('data', (b: Buffer) => {
      this.#buf += b.toString('utf8');
      for (let nl = this.#buf.indexOf('\n'); nl >= 0; nl = this.#buf.indexOf('\n')) {
        this.#lines.push(this.#buf.slice(0, nl));
        this.#buf = this.#buf.slice(nl + 1);
      }
      this.#wake();
    });
    src.on('close', () => {
      this.#ended = true;
      this.#wake();
    });
  }

  #wake(): void {
    const w = this.#waiting;
    if (!w) return;
    if (this.#lines.length) {
      this.#waiting = undefined;
      w(this.#lines.shift()!);
    } else if (this.#ended) {
      this.#waiting = undefined;
      w(null);
    }
  }

  line(): Promise<string | null> {
    if (this.#lines.length) return Promise.resolve(this.#lines.shift()!);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  close(): void {
    this.end();
  }
}
