// The state store on disk: an append-only journal (one JSON line per fact) over a compacted snapshot.
// A SIGKILL at any moment leaves at worst a torn last line, which loading ignores.
import { closeSync, existsSync, fdatasyncSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../errors.js';
import { notADirectory, removed, writeFailure } from './fs-errors.js';
import { dict, emptySnapshot, has, toEntry, toSnapshot, type JournalEntry, type Snapshot } from './shape.js';

export { emptySnapshot, type JournalEntry, type Snapshot } from './shape.js';

/** Pure: applies one journal entry to a snapshot, in place. Every map is prototype-free (see shape.ts). */
export function applyEntry(s: Snapshot, e: JournalEntry): void {
  switch (e.t) {
    case 'done':
      (has(s.done, e.rec.identity) ? s.done[e.rec.identity]! : (s.done[e.rec.identity] = dict()))[e.rec.taskId] = e.rec;
      s.hosts[e.rec.host] = e.rec.identity;
      break;
    case 'notify': {
      const list = has(s.pending, e.identity) ? s.pending[e.identity]! : (s.pending[e.identity] = []);
      if (!list.includes(e.handlerId)) list.push(e.handlerId);
      s.hosts[e.host] = e.identity;
      break;
    }
    case 'handled':
      s.pending[e.identity] = (has(s.pending, e.identity) ? s.pending[e.identity]! : []).filter((h) => h !== e.handlerId);
      break;
    case 'forget':
      for (const [identity, tasks] of Object.entries(s.done)) {
        if (e.identity !== undefined && identity !== e.identity) continue;
        for (const [taskId, rec] of Object.entries(tasks)) {
          if (e.taskId !== undefined && taskId !== e.taskId && !taskId.startsWith(`${e.taskId}[`)) continue;
          if (e.role !== undefined && rec.role !== e.role) continue;
          delete tasks[taskId];
        }
        if (e.role === undefined && e.taskId === undefined) delete s.pending[identity];
      }
      break;
  }
}

/** Loads snapshot + journal. An unknown format is refused (StateError), never read as empty. */
export function readSnapshot(dir: string): Snapshot {
  const bad = notADirectory(dir);
  if (bad) throw bad;
  const snap = readJson(join(dir, 'state.json')) ?? emptySnapshot();
  const journal = join(dir, 'journal.jsonl');
  if (!existsSync(journal)) return snap;
  const lines = readText(journal).split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      // A torn line: the last one written before a crash (a later writer ended it with a newline); everything else stands.
      return;
    }
    const e = toEntry(parsed);
    if (!e) {
      throw new StateError(`${journal}:${i + 1} is not a journal entry this play knows (written by another version?); ` +
        `nothing was changed. Use the play that wrote it, or move ${dir} aside to start afresh.`);
    }
    applyEntry(snap, e);
  });
  return snap;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EISDIR') throw new StateError(`${path} is a directory, not a file of the state store; move it aside`);
    throw new StateError(`cannot read ${path}: ${e.message}`);
  }
}

function readJson(path: string): Snapshot | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(path));
  } catch (err) {
    if (err instanceof StateError) throw err;
    throw new StateError(`state snapshot ${path} is unreadable (${(err as Error).message}); nothing was changed. Move it aside to start afresh.`);
  }
  const s = toSnapshot(parsed);
  if (!s.ok) {
    throw new StateError(`state snapshot ${path} is not one this play can read: ${s.why}. Nothing was changed; ` +
      `use the play that wrote it, or move it aside to start afresh (every task then runs again).`);
  }
  return s.snap;
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
  const keep = <T>(m: Record<string, T>) => dict(Object.entries(m).filter(([id]) => live.has(id)));
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
  /** Bytes in the journal file (what was there plus what this writer appended); see StateStore's compaction. */
  bytes: number;
  constructor(private readonly dir: string) {
    const bad = notADirectory(dir);
    if (bad) throw bad;
    guard(dir, () => mkdirSync(dir, { recursive: true, mode: 0o700 }));
    this.fd = guard(dir, () => openSync(join(dir, 'journal.jsonl'), 'a+', 0o600));
    this.bytes = fstatSync(this.fd).size;
    // A torn last line (crash, full disk) must not swallow the first entry appended after it.
    if (!endsWithNewline(this.fd)) guard(dir, () => writeAll(this.fd, '\n'));
  }
  append(e: JournalEntry): void {
    const text = JSON.stringify(e) + '\n';
    guard(this.dir, () => writeAll(this.fd, text));
    this.bytes += Buffer.byteLength(text);
    this.dirty = true;
  }
  flush(): void {
    if (!this.dirty) return;
    guard(this.dir, () => fdatasyncSync(this.fd));
    // Writes to a journal whose directory was deleted succeed, into a file no one will read: say so now.
    if (fstatSync(this.fd).nlink === 0) throw removed(this.dir);
    this.dirty = false;
  }
  /** After a compaction emptied the file (appends continue at its new end). */
  emptied(): void {
    this.bytes = 0;
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
    throw writeFailure(dir, err);
  }
}
