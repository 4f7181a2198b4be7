// Where the state store lives by default: .play/ next to the first inventory file (inside it, for a
// directory), else in the working directory. A host list (`-i a,b,`) or a missing path has no
// directory: the working directory is used.
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function defaultStateDir(inventory: string | readonly string[] | undefined, cwd: string): string {
  const first = typeof inventory === 'string' ? inventory : inventory?.[0];
  if (first === undefined) return join(cwd, '.play');
  const abs = resolve(cwd, first);
  try {
    return join(statSync(abs).isDirectory() ? abs : dirname(abs), '.play');
  } catch {
    return join(cwd, '.play');
  }
}
