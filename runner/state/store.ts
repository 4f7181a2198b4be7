// The state store: one directory (default .play/ next to the inventory), one writer at a time.
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../errors.js';
import { capRecord, replayable } from './cap.js';
import { kindOf, notADirectory, writeFailure } from './fs-errors.js';
import { applyEntry, JournalWriter, readSnapshot, writeSnapshot, type JournalEntry, type Snapshot } from './journal.js';
import { has } from './shape.js';
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

/** A journal past this size is compacted into the snapshot at the next task boundary. */
export const COMPACT_BYTES = 4 * 1024 * 1024;

export class StateStore implements StateSession {
  #lastSync = performance.now();
  private constructor(readonly dir: string, private readonly snap: Snapshot, private readonly journal: JournalWriter) {}

  static async open(dir: string, opts: OpenOptions = {}): Promise<StateStore> {
    const bad = notADirectory(dir);
    if (bad) throw bad;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw (err as NodeJS.ErrnoException).code === 'ENOTDIR'
        ? new StateError(`cannot create the state directory ${dir}: a parent of it is not a directory; pass --state-dir`)
        : writeFailure(dir, err);
    }
    await acquireLock(dir, opts.waitMs ?? 0);
    try {
      const store = new StateStore(dir, readSnapshot(dir), new JournalWriter(dir));
      // What a killed run left in the journal is folded in now, so the journal never grows across runs.
      if (store.journal.bytes > 0) store.compact();
      return store;
    } catch (err) {
      releaseLock(dir);
      throw err;
    }
  }

  /** The record that stands in for running the task, if any: a capped record never does (the task runs again). */
  lookup(identity: string, taskId: string): DoneRecord | undefined {
    const tasks = has(this.snap.done, identity) ? this.snap.done[identity]! : undefined;
    const rec = tasks && has(tasks, taskId) ? tasks[taskId] : undefined;
    return rec && replayable(rec) ? rec : undefined;
  }
  recordDone(rec: DoneRecord): void {
    this.write({ t: 'done', rec: capRecord(rec) });
  }
  notify(identity: string, host: string, handlerId: string): void {
    if (this.pendingHandlers(identity).includes(handlerId)) return; // already durable
    this.write({ t: 'notify', identity, host, handlerId });
    this.journal.flush();
  }
  handled(identity: string, handlerId: string): void {
    this.write({ t: 'handled', identity, handlerId });
  }
  pendingHandlers(identity: string): string[] {
    return has(this.snap.pending, identity) ? [...this.snap.pending[identity]!] : [];
  }
  forget(filter: { host?: string; role?: string; taskId?: string }): number {
    const identity = filter.host !== undefined && has(this.snap.hosts, filter.host) ? this.snap.hosts[filter.host] : undefined;
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
    if (this.journal.bytes > COMPACT_BYTES) {
      this.journal.flush();
      this.compact();
    }
    if (now - this.#lastSync < GROUP_COMMIT_MS) return;
    this.journal.flush();
    this.#lastSync = now;
  }
  /** Folds the journal into the snapshot (atomically) and empties it. */
  private compact(): void {
    writeSnapshot(this.dir, this.snap);
    this.journal.emptied();
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
  const waitOr = async (err: () => StateError, ms: number) => {
    if (Date.now() >= deadline) throw err();
    await new Promise((r) => setTimeout(r, ms));
  };
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw lockFailure(dir, err);
    }
    const held = readHolder(lock);
    if (held.kind === 'gone') continue; // released between our open and read
    if (held.kind === 'foreign') {
      // Not a lock play made: taking it over could destroy what someone put there. Say what it is.
      await waitOr(() => new StateError(`the state store lock ${lock} is ${held.what}, not a lock file play made; remove it (rm -r ${lock}) if no play run is using ${dir}`), 200);
      continue;
    }
    const holder = Number(held.text);
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      // The holder died (SIGKILL): its journal is intact, take over.
      if (!takeOver(dir, held.text)) await waitOr(() => new StateError(`the state store lock ${lock} names a dead run (${JSON.stringify(held.text)}) and another run is taking it over; try again`), 50);
      continue;
    }
    await waitOr(() => new StateError(`another play run (pid ${holder}) is using the state store ${dir}; wait for it to finish (or pass --state-wait SECONDS)`), 200);
  }
}

function lockFailure(dir: string, err: unknown): StateError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return writeFailure(dir, err);
  return new StateError(`cannot lock the state store ${dir}: ${writeFailure(dir, err).message.replace(/^could not write the state store in [^:]*: /, '')}`);
}

type Holder = { kind: 'pid'; text: string } | { kind: 'gone' } | { kind: 'foreign'; what: string };

/** What holds the lock: a pid file, nothing (just released), or something that is no lock of ours. */
function readHolder(lock: string): Holder {
  let st;
  try {
    st = lstatSync(lock);
  } catch {
    return { kind: 'gone' };
  }
  if (st.isSymbolicLink()) {
    let target = 'a symlink';
    try {
      statSync(lock);
    } catch {
      target = 'a dangling symlink';
    }
    return { kind: 'foreign', what: target };
  }
  if (!st.isFile()) return { kind: 'foreign', what: kindOf(st) };
  try {
    return { kind: 'pid', text: readFileSync(lock, 'utf8').trim() };
  } catch {
    return { kind: 'gone' };
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
    const now = readHolder(join(dir, 'lock'));
    if (now.kind === 'pid' && now.text === deadText) unlinkSync(join(dir, 'lock'));
  } finally {
    unlinkSync(guardFile);
  }
  return true;
}

function releaseLock(dir: string): void {
  const held = readHolder(join(dir, 'lock'));
  if (held.kind !== 'pid' || held.text !== String(process.pid)) return; // not ours (any more): leave it
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
