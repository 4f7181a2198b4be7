// What a run left on a host: the overlay upper dir (everything written there), minus noise.
// Two cold runs (one per tool) on fresh hosts must leave the same entries: path, type, mode, owner,
// content hash or link target.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** Paths (relative to "/") that are noise or the testbed's own seed, not the playbook's work. */
export const EXCLUDED: RegExp[] = [
  /^root\/\.ansible(\/|$)/, // ansible's remote temp dirs
  /^root\/\.cache(\/|$)/,
  /^root\/\.ssh(\/|$)/,
  /^tmp(\/|$)/, /^var\/tmp(\/|$)/, /^run(\/|$)/, // tmpfs in the host, but excluded in case
  /^var\/log(\/|$)/, /^var\/cache(\/|$)/,
  /^etc\/ssh\/play_(host_ed25519_key|authorized_keys)/, // testbed seed: per-start host key
  /^etc\/(machine-id|hostname)$/, // testbed seed: random per start
  /^root\/\.(bashrc|profile)$/, // testbed seed
  /\.floor-tmp$/,
];

export type Snapshot = Map<string, string>;

async function describe(abs: string): Promise<string | undefined> {
  const st = await fs.lstat(abs).catch(() => undefined);
  if (!st) return undefined;
  const meta = `mode=${(st.mode & 0o7777).toString(8)} uid=${st.uid} gid=${st.gid}`;
  if (st.isSymbolicLink()) return `link -> ${await fs.readlink(abs)} ${meta}`;
  if (st.isDirectory()) return `dir ${meta}`;
  if (st.isFile()) return `file sha256=${createHash('sha256').update(await fs.readFile(abs)).digest('hex').slice(0, 16)} size=${st.size} ${meta}`;
  if (st.isCharacterDevice() && st.rdev === 0) return 'whiteout (deleted)';
  return `other ${meta}`;
}

/** Every entry of an upper dir (bounded: 20000 entries), excluded paths left out. */
export async function snapshot(upperDir: string): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const queue = [''];
  for (let i = 0; i < queue.length && out.size < 20000; i++) {
    const rel = queue[i]!;
    const entries = await fs.readdir(join(upperDir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (EXCLUDED.some((x) => x.test(r))) continue;
      const d = await describe(join(upperDir, r));
      if (d === undefined) continue;
      out.set(r, d);
      if (e.isDirectory()) queue.push(r);
    }
  }
  return out;
}

/** Differences between two snapshots, as readable lines (empty = identical). */
export function diffSnapshots(a: Snapshot, b: Snapshot, names: [string, string]): string[] {
  const lines: string[] = [];
  for (const p of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(p), y = b.get(p);
    if (x !== y) lines.push(`/${p}: ${names[0]}: ${x ?? '(absent)'} | ${names[1]}: ${y ?? '(absent)'}`);
  }
  return lines.sort();
}

/** Does the snapshot path p belong to one of roots (or is it a parent of one)? */
export function ownedBy(p: string, roots: string[]): boolean {
  return roots.some((r) => p === r || p.startsWith(r + '/') || r.startsWith(p + '/'));
}

/** Paths outside the playbook's own trees, for the report (should be only seed dirs). */
export function outsidePaths(s: Snapshot, roots: string[]): string[] {
  return [...s.keys()].filter((p) => !ownedBy(p, roots)).sort();
}
