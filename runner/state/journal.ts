// The state store on disk: an append-only journal (one JSON line per fact) over a compacted snapshot.
// A SIGKILL at any moment leaves at worst a torn last line, which loading ignores.
import { closeSync, existsSync, fdatasyncSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../errors.js';
import type { DoneRecord } from './types.js';

export type JournalEntry =
  | { t: 'done'; rec: DoneRecord }
  | { t: 'notify'; identity: string; host: string; handlerId: string }
  | { t: 'handled'; identity: string; handlerId: string }
  | { t: 'forget'; identity?: string; role?: string; taskId?: string };

export interface Snapshot {
  version: 1;
  done: Record<string, Record<string, DoneRecord>>;
  pending: Record<string, string[]>;
  /** Host name → identity, for `play state show --host`. */
  hosts: Record<string, string>;
}

export function emptySnapshot(): Snapshot {
  return { version: 1, done: {}, pending: {}, hosts: {} };
}

/** Pure: applies one journal entry to a snapshot, in place. */
export function applyEntry(s: Snapshot, e: JournalEntry): void {
  switch (e.t) {
    case 'done':
      (s.done[e.rec.identity] ??= {})[e.rec.taskId] = e.rec;
      s.hosts[e.rec.host] = e.rec.identity;
      break;
    case 'notify': {
      const list = (s.pending[e.identity] ??= []);
      if (!list.includes(e.handlerId)) list.push(e.handlerId);
      s.hosts[e.host] = e.identity;
      break;
    }
    case 'handled':
      s.pending[e.identity] = (s.pending[e.identity] ?? []).filter((h) => h !== e.handlerId);
      break;
    case 'forget':
      for (const [identity, tasks] of Object.entries(s.done)) {
        if (e.identity && identity !== e.identity) continue;
        for (const [taskId, rec] of Object.entries(tasks)) {
          if (e.taskId && taskId !== e.taskId && !taskId.startsWith(`${e.taskId}[`)) continue;
          if (e.role && rec.role !== e.role) continue;
          delete tasks[taskId];
        }
        if (!e.role && !e.taskId) delete s.pending[identity];
      }
      break;
  }
}

export function readSnapshot(dir: string): Snapshot {
  const snap = readJson(join(dir, 'state.json')) ?? emptySnapshot();
  const journal = join(dir, 'journal.jsonl');
  if (!existsSync(journal)) return snap;
  const lines = readFileSync(journal, 'utf8').split('\n');
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      applyEntry(snap, JSON.parse(line) as JournalEntry);
    } catch {
      // A torn line can only be the last one written before a crash; everything before it stands.
    }
  }
  return snap;
}

function readJson(path: string): Snapshot | null {
  if (!existsSync(path)) return null;
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
    return s.version === 1 ? s : null;
  } catch (err) {
    throw new StateError(`state snapshot ${path} is unreadable (${(err as Error).message}); move it aside to start afresh`);
  }
}

/**
 * Writes the snapshot atomically (temp, fsync, rename, fsync dir) and empties the journal. Records of
 * identities no host name points at any more (rebuilt hosts) are dropped here.
 */
export function writeSnapshot(dir: string, s: Snapshot): void {
  const tmp = join(dir, `state.json.tmp-${process.pid}`);
  const journal = join(dir, 'journal.jsonl');
  guard(dir, () => {
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeAll(fd, JSON.stringify(pruned(s)));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(dir, 'state.json'));
    } catch (err) {
      rmSync(tmp, { force: true }); // a half-written temp file must not keep the space
      throw err;
    }
    syncDir(dir); // the rename must be durable before the journal it replaces is emptied
    closeSync(openSync(journal, 'w', 0o600));
  });
}

function pruned(s: Snapshot): Snapshot {
  const live = new Set(Object.values(s.hosts));
  const keep = <T>(m: Record<string, T>) => Object.fromEntries(Object.entries(m).filter(([id]) => live.has(id)));
  return { ...s, done: keep(s.done), pending: keep(s.pending) };
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** writeSync may write less than asked (a nearly full disk): loop until all is written or it throws. */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
}

export class JournalWriter {
  private fd: number;
  private dirty = false;
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.fd = guard(dir, () => openSync(join(dir, 'journal.jsonl'), 'a+', 0o600));
    // A torn last line (crash, full disk) must not swallow the first entry appended after it.
    if (!endsWithNewline(this.fd)) guard(dir, () => writeAll(this.fd, '\n'));
  }
  append(e: JournalEntry): void {
    guard(this.dir, () => writeAll(this.fd, JSON.stringify(e) + '\n'));
    this.dirty = true;
  }
  flush(): void {
    if (!this.dirty) return;
    guard(this.dir, () => fdatasyncSync(this.fd));
    this.dirty = false;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
  /** Closes without syncing (after a failed write): what reached the file stays, nothing more is tried. */
  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, size - 1);
  return b[0] === 0x0a;
}

function guard<T>(dir: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOSPC' ? 'no space left on device' : e.message;
    throw new StateError(`could not write the state store in ${dir}: ${why}. What was recorded before is intact; free space and run again.`);
  }
}
