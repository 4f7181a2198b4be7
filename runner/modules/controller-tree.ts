// A directory on the controller as copy sends it (Ansible's _walk_dirs): files, directories and
// symlinks with paths relative to the directory. I/O on the controller only, in prepare().
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type TreeEntry =
  | { kind: 'file'; rel: string; bytes: Buffer }
  | { kind: 'dir'; rel: string }
  | { kind: 'link'; rel: string; target: string };

/**
 * Walks root top-down: each directory's files, then its subdirectories, then into them (names sorted).
 * `follow` (copy's local_follow, default true) copies what links point to; a link that cannot be
 * followed (dangling, or a loop back into the tree) stays a link, as in Ansible.
 */
export async function walkControllerDir(root: string, follow: boolean): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  async function walk(dir: string, rel: string, parents: Set<string>): Promise<void> {
    const names = (await readdir(dir)).sort();
    const dirs: Array<{ path: string; rel: string; real: string }> = [];
    for (const name of names) {
      const path = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const l = await lstat(path);
      if (l.isSymbolicLink()) {
        const real = await realpath(path).catch(() => undefined);
        const st = real === undefined ? undefined : await stat(real);
        if (!follow || st === undefined || (st.isDirectory() && parents.has(real!))) out.push({ kind: 'link', rel: r, target: await readlink(path) });
        else if (st.isDirectory()) dirs.push({ path: real!, rel: r, real: real! });
        else out.push({ kind: 'file', rel: r, bytes: await readFile(real!) });
      } else if (l.isDirectory()) dirs.push({ path, rel: r, real: await realpath(path) });
      else if (l.isFile()) out.push({ kind: 'file', rel: r, bytes: await readFile(path) });
    }
    for (const d of dirs) out.push({ kind: 'dir', rel: d.rel });
    for (const d of dirs) await walk(d.path, d.rel, new Set([...parents, d.real]));
  }
  await walk(root, '', new Set([await realpath(root)]));
  return out;
}
