// Controller files a task reads (copy src, template), read once for all hosts: every host of a task
// reads the same file, and each used to open, read and hash it again. A stat per read tells whether
// the file changed since (an earlier task may write it, delegated to localhost): then it is read again.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

interface Held {
  key: string;
  content: Buffer;
  sha256: string;
}

const MAX_BYTES = 64 * 1024 * 1024;
const held = new Map<string, Held>();
let heldBytes = 0;

/** The file's bytes and their sha256. Rejects as readFile does. */
export async function readControllerBytes(path: string): Promise<{ content: Buffer; sha256: string }> {
  const s = await stat(path);
  const key = `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  const h = held.get(path);
  if (h && h.key === key) return h;
  const content = await readFile(path);
  const fresh = { key, content, sha256: createHash('sha256').update(content).digest('hex') };
  // a file written while it was read (size or times moved) is not kept: the next read looks again
  const after = await stat(path);
  if (`${after.dev}:${after.ino}:${after.size}:${after.mtimeMs}:${after.ctimeMs}` !== key || content.length !== s.size) return fresh;
  if (h) heldBytes -= h.content.length;
  if (heldBytes + content.length > MAX_BYTES) {
    held.clear();
    heldBytes = 0;
  }
  held.set(path, fresh);
  heldBytes += content.length;
  return fresh;
}
