// One query at a time on the run's connection (the driver's own queue is deprecated), and group commit:
// writes made while a statement is in flight go out together in the next one. A record always travels
// with the notifications it depends on (one item, never split), so both commit or neither.

export interface Notice {
  identity: string;
  handler_id: string;
  host: string;
}

export interface RecordRow {
  identity: string;
  host: string;
  taskId: string;
  role: string | null;
  fingerprint: string;
  result: string;
  setVars: string | null;
  at: string;
}

export type Write =
  | { kind: 'record'; notices: Notice[]; rec?: RecordRow }
  | { kind: 'handled'; identity: string; handlerId: string };

/** Runs async steps strictly one after another. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn);
    this.tail = p.catch(() => undefined);
    return p;
  }
}

/** A batch of writes of one kind, in order, as one statement's parameters. */
export type Batch =
  | { kind: 'record'; notices: Notice[]; records: RecordRow[] }
  | { kind: 'handled'; done: Array<{ identity: string; handler_id: string }> };

export class WriteQueue {
  private queue: Write[] = [];
  private pumping: Promise<void> | null = null;
  constructor(private readonly serial: Serial, private readonly send: (b: Batch) => Promise<void>, private readonly onError: (err: unknown) => void) {}

  push(w: Write): void {
    this.queue.push(w);
    this.pumping ??= this.pump();
  }

  /** Resolves when everything pushed so far has been sent (or has failed). */
  async drain(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    await Promise.resolve(); // what the current tick writes goes in the first statement
    try {
      while (this.queue.length) {
        const batch = takeBatch(this.queue);
        try {
          await this.serial.run(() => this.send(batch));
        } catch (err) {
          this.queue = [];
          this.onError(err);
        }
      }
    } finally {
      this.pumping = null;
    }
  }
}

/** Takes the longest prefix of one kind. A later record of the same task replaces an earlier one. */
export function takeBatch(queue: Write[]): Batch {
  const kind = queue[0]!.kind;
  let n = 0;
  while (n < queue.length && queue[n]!.kind === kind) n++;
  const items = queue.splice(0, n);
  if (kind === 'handled') {
    return { kind, done: items.map((w) => (w.kind === 'handled' ? { identity: w.identity, handler_id: w.handlerId } : null)).filter((x) => x !== null) };
  }
  const notices: Notice[] = [];
  const records = new Map<string, RecordRow>();
  for (const w of items) {
    if (w.kind !== 'record') continue;
    notices.push(...w.notices);
    if (w.rec) {
      const key = JSON.stringify([w.rec.identity, w.rec.taskId]);
      records.delete(key);
      records.set(key, w.rec);
    }
  }
  return { kind, notices, records: [...records.values()] };
}
