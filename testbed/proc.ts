// Process and mount helpers for the testbed: process trees from /proc, bounded waits, safe removal.
import { execFile } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function procState(pid: number): Promise<{ state: string; ppid: number } | null> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0]!, ppid: Number(rest[1]) };
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function aliveNotZombie(pid: number): Promise<boolean> {
  const s = await procState(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** Descendants of pid (children only when recursive is false), parents before children. */
export async function descendants(pid: number, recursive = true): Promise<number[]> {
  const byParent = new Map<number, number[]>();
  for (const e of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const s = await procState(Number(e));
    if (!s) continue;
    const list = byParent.get(s.ppid) ?? [];
    list.push(Number(e));
    byParent.set(s.ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const kids = byParent.get(queue.shift()!) ?? [];
    out.push(...kids);
    if (recursive) queue.push(...kids);
  }
  return out;
}

/** Wait (bounded) until pid is gone or a zombie. */
export async function waitGone(pid: number, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await aliveNotZombie(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still alive after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** SIGKILL a process and all its descendants, then wait for them. */
export async function killTree(pid: number): Promise<void> {
  const all = [pid, ...(await descendants(pid))];
  for (const p of all) {
    try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
  }
  for (const p of all) await waitGone(p);
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points at or below dir in this mount namespace, deepest first. */
export async function mountsUnder(dir: string, mountsFile = '/proc/mounts'): Promise<string[]> {
  const text = await fs.readFile(mountsFile, 'utf8');
  const d = dir.replace(/\/+$/, '');
  return text.split('\n').map((l) => unescapeMount(l.split(' ')[1] ?? ''))
    .filter((m) => m === d || m.startsWith(d + '/'))
    .sort((a, b) => b.length - a.length);
}

export async function unmountUnder(dir: string): Promise<void> {
  for (const m of await mountsUnder(dir)) {
    await run('umount', ['-l', m]).catch(() => undefined);
  }
}

/** Remove a host's upper/work/merged dirs; refuses while anything is mounted there. */
export async function removeHostDirs(hostDir: string): Promise<void> {
  const left = await mountsUnder(hostDir);
  if (left.length) throw new Error(`refusing to remove ${hostDir}: still mounted: ${left.join(', ')}`);
  await fs.rm(join(hostDir, 'upper'), { recursive: true, force: true });
  await fs.rm(join(hostDir, 'work'), { recursive: true, force: true });
  // merged is an empty mount point here; rmdir (never rm -r) so a stray mount can't take "/" with it
  await fs.rmdir(join(hostDir, 'merged')).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  await fs.rm(join(hostDir, 'pid'), { force: true });
}
