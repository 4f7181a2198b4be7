// Small helpers shared by the stand-in builders: run a command, hash inputs, a cache lock.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join, relative } from 'node:path';
import { isAlive } from '../proc.js';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Run a program (no shell); rejects with stdout/stderr in the message on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const msg = `${err.message}${stdout ? `\n${stdout.slice(-4000)}` : ''}`;
          reject(Object.assign(new Error(msg), { stdout, stderr }));
        } else resolve({ stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Sorted list of regular files (and symlinks) under dir, relative paths. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.name === '__pycache__') continue;
      if (e.isDirectory()) await walk(p);
      else out.push(relative(dir, p));
    }
  }
  await walk(dir);
  return out.sort();
}

/** sha256 over file names, modes and contents of the given dirs/files plus extra strings. */
export async function hashInputs(paths: string[], extra: string[] = []): Promise<string> {
  const h = createHash('sha256');
  for (const s of extra) h.update(`extra:${s}\n`);
  for (const p of paths) {
    const st = await fs.stat(p);
    const files = st.isDirectory() ? (await listFiles(p)).map((f) => join(p, f)) : [p];
    for (const f of files) {
      const fst = await fs.lstat(f);
      h.update(`${relative(p, f)}:${fst.mode & 0o111 ? 'x' : '-'}\n`);
      h.update(fst.isSymbolicLink() ? await fs.readlink(f) : await fs.readFile(f));
    }
  }
  return h.digest('hex');
}


/** Exclusive lock (a file holding our pid) so concurrent builds into one cache dir do not clash. */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      await fs.writeFile(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number((await fs.readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (!holder || !isAlive(holder)) {
        await fs.rm(lockPath, { force: true });
        continue;
      }
      if (i > 6000) throw new Error(`timed out waiting for lock ${lockPath} held by pid ${holder}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}

/** The cache stamp stored beside a build, or undefined. */
export async function readStamp(dir: string): Promise<Record<string, string> | undefined> {
  try {
    return JSON.parse(await fs.readFile(join(dir, '.standin-stamp.json'), 'utf8')) as Record<string, string>;
  } catch {
    return undefined;
  }
}

export async function writeStamp(dir: string, stamp: Record<string, string>): Promise<void> {
  await fs.writeFile(join(dir, '.standin-stamp.json'), JSON.stringify(stamp, null, 2) + '\n');
}
