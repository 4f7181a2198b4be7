// Where the state store lives by default: .play/ next to the inventory, else in the working directory.
import { dirname, join, resolve } from 'node:path';

export function defaultStateDir(inventory: string | undefined, cwd: string): string {
  return inventory ? join(dirname(resolve(cwd, inventory)), '.play') : join(cwd, '.play');
}
