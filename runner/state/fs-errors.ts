// One StateError per I/O failure of the store, saying the true cause and what to do about it.
import { existsSync, lstatSync } from 'node:fs';
import { StateError } from '../errors.js';

/** A failed write or open of the store in dir, as the StateError a user can act on. */
export function writeFailure(dir: string, err: unknown): StateError {
  if (err instanceof StateError) return err;
  const e = err as NodeJS.ErrnoException;
  const intact = 'What was recorded before is intact';
  switch (e.code) {
    case 'ENOSPC':
      return new StateError(`could not write the state store in ${dir}: no space left on device. ${intact}; free space and run again.`);
    case 'EDQUOT':
      return new StateError(`could not write the state store in ${dir}: disk quota exceeded. ${intact}; free space within your quota and run again.`);
    case 'EROFS':
      return new StateError(`could not write the state store in ${dir}: the file system is read-only. Pass --state-dir on a writable one, or --no-state.`);
    case 'EACCES':
    case 'EPERM':
      return new StateError(`could not write the state store in ${dir}: permission denied (${e.path ?? dir}). Fix its ownership, or pass --state-dir.`);
    case 'ENOENT':
      if (!existsSync(dir)) return removed(dir);
      return new StateError(`could not write the state store in ${dir}: ${e.path ?? 'a file'} disappeared during the run (${e.message}). What this run recorded may be lost: its tasks run again next time.`);
    default:
      return new StateError(`could not write the state store in ${dir}: ${e.message ?? String(err)}`);
  }
}

/** The store directory was deleted (or replaced) while this run used it. */
export function removed(dir: string): StateError {
  return new StateError(`the state directory ${dir} was removed during the run; what this run recorded there is lost (those tasks run again next time)`);
}

/** Why dir cannot be the store directory (a file, a dangling symlink...), or null when it can. */
export function notADirectory(dir: string): StateError | null {
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return null; // absent: it is created
  }
  if (st.isDirectory()) return null;
  if (st.isSymbolicLink()) {
    if (existsSync(dir)) return null; // a symlink to a directory is fine (checked by mkdir/open)
    return new StateError(`the state directory ${dir} is a dangling symlink; remove it or point it at a directory (or pass --state-dir)`);
  }
  return new StateError(`the state directory ${dir} exists but is ${kindOf(st)}, not a directory; move it aside or pass --state-dir`);
}

export function kindOf(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'a device';
}
