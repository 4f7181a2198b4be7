// Controller files a task reads (copy src, template), read once for all hosts: every host of a task
// reads the same file, and each used to open, read and hash it again. A stat per read tells whether
// the file changed since (an earlier task may write it, delegated to localhost): then it is read again.
// Hosts that ask at once share one read.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

interface ControllerFile {
  content: Buffer;
  sha256: string;
}

interface Held {
  key: string;
  file: Promise<ControllerFile>;
  bytes: number;
}

const MAX_BYTES = 64 * 1024 * 1024;
const held = new Map<string, Held>();
let heldBytes = 0;

const keyOf = (s: { dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number }) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

/** The file's bytes and their sha256. Rejects as readFile does. */
export async function readControllerBytes(path: string): Promise<ControllerFile> {
  const s = await stat(path);
  const key = keyOf(s);
  const h = held.get(path);
  if (h && h.key === key) return h.file;
  if (h) drop(path, h);
  if (heldBytes + s.size > MAX_BYTES) {
    held.clear();
    heldBytes = 0;
  }
  const entry: Held = { key, bytes: s.size, file: read(path) };
  held.set(path, entry);
  heldBytes += entry.bytes;
  // a failed read, or a file that changed while it was read, is not kept: the next read looks again
  const stable = entry.file.then(async (f) => f.content.length === s.size && keyOf(await stat(path)) === key);
  stable.then((ok) => ok || drop(path, entry), () => drop(path, entry));
  return entry.file;
}

async function read(path: string): Promise<ControllerFile> {
  const content = await readFile(path);
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}

function drop(path: string, h: Held): void {
  if (held.get(path) !== h) return;
  held.delete(path);
  heldBytes -= h.bytes;
}
