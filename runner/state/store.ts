// The state store: one directory (default .play/ next to the inventory), one writer at a time.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../errors.js';
import { applyEntry, JournalWriter, readSnapshot, writeSnapshot, type JournalEntry, type Snapshot } from './journal.js';
import type { DoneRecord, StateSession } from './types.js';

export interface OpenOptions {
  /** Wait this long for another run to release the store, then refuse. */
  waitMs?: number;
}

/**
 * Task-boundary syncs are grouped: at most one fdatasync per this many ms. A record is written (and
 * survives SIGKILL) at once; only a power loss can drop the last ones, and a dropped record only means
 * that task runs again. Notifications are synced at once, always (see notify).
 */
const GROUP_COMMIT_MS = 250;

export class StateStore implements StateSession {
  #lastSync = performance.now();
  private constructor(readonly dir: string, private readonly snap: Snapshot, private readonly journal: JournalWriter) {}

  static async open(dir: string, opts: OpenOptions = {}): Promise<StateStore> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    await acquireLock(dir, opts.waitMs ?? 0);
    try {
      return new StateStore(dir, readSnapshot(dir), new JournalWriter(dir));
    } catch (err) {
      releaseLock(dir);
      throw err;
    }
  }

  lookup(identity: string, taskId: string): DoneRecord | undefined {
    return this.snap.done[identity]?.[taskId];
  }
  recordDone(rec: DoneRecord): void {
    this.write({ t: 'done', rec });
  }
  notify(identity: string, host: string, handlerId: string): void {
    if (this.snap.pending[identity]?.includes(handlerId)) return; // already durable
    this.write({ t: 'notify', identity, host, handlerId });
    this.journal.flush();
  }
  handled(identity: string, handlerId: string): void {
    this.write({ t: 'handled', identity, handlerId });
  }
  pendingHandlers(identity: string): string[] {
    return [...(this.snap.pending[identity] ?? [])];
  }
  forget(filter: { host?: string; role?: string; taskId?: string }): number {
    const identity = filter.host ? this.snap.hosts[filter.host] : undefined;
    if (filter.host && !identity) return 0;
    const before = this.countDone();
    this.write({ t: 'forget', identity, role: filter.role, taskId: filter.taskId });
    return before - this.countDone();
  }
  snapshot(): Snapshot {
    return this.snap;
  }
  flush(): void {
    const now = performance.now();
    if (now - this.#lastSync < GROUP_COMMIT_MS) return;
    this.journal.flush();
    this.#lastSync = now;
  }
  /** Compacts the journal into the snapshot and releases the lock. */
  close(): void {
    try {
      this.journal.close();
      writeSnapshot(this.dir, this.snap);
    } finally {
      releaseLock(this.dir);
    }
  }
  /** Releases the lock but keeps the journal as it is (used when a write already failed). */
  abandon(): void {
    this.journal.abandon();
    releaseLock(this.dir);
  }

  private write(e: JournalEntry): void {
    this.journal.append(e);
    applyEntry(this.snap, e);
  }
  private countDone(): number {
    return Object.values(this.snap.done).reduce((n, t) => n + Object.keys(t).length, 0);
  }
}

async function acquireLock(dir: string, waitMs: number): Promise<void> {
  const lock = join(dir, 'lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateError(`cannot lock the state store ${dir}: ${(err as Error).message}`);
    }
    const text = readHolder(lock);
    if (text === null) continue; // released between our open and read
    const holder = Number(text);
    if (!holder || !alive(holder)) {
      // The holder died (SIGKILL): its journal is intact, take over.
      if (!takeOver(dir, text)) await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if (Date.now() >= deadline) {
      throw new StateError(`another play run (pid ${holder}) is using the state store ${dir}; wait for it to finish (or pass --state-wait SECONDS)`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function readHolder(lock: string): string | null {
  try {
    return readFileSync(lock, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Removes a dead holder's lock. Two runs may both see the dead pid; a short-lived `lock.takeover` file
 * (made with O_EXCL) lets only one of them remove it, and only if the lock still names that dead holder,
 * so the loser cannot delete the winner's fresh lock.
 */
function takeOver(dir: string, deadText: string): boolean {
  const guardFile = join(dir, 'lock.takeover');
  try {
    closeSync(openSync(guardFile, 'wx', 0o600));
  } catch {
    // Someone else is taking over; a guard left by a run killed mid-takeover is stale after 10 s.
    try {
      if (Date.now() - statSync(guardFile).mtimeMs > 10_000) unlinkSync(guardFile);
    } catch {
      // gone already
    }
    return false;
  }
  try {
    if (readHolder(join(dir, 'lock')) === deadText) unlinkSync(join(dir, 'lock'));
  } finally {
    unlinkSync(guardFile);
  }
  return true;
}

function releaseLock(dir: string): void {
  try {
    unlinkSync(join(dir, 'lock'));
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
