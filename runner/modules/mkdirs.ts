// Creating a directory with its missing parents the way Ansible does: each directory it creates
// (not only the last) gets the mode, owner and group asked for. Pure: the step is one shell loop.
import type { Step } from './types.js';
import { quote } from '../shell-quote.js';
import { formatMode } from './mode.js';

export interface NewDirAttrs {
  /** Resolved mode for each new directory; undefined keeps the umask's. */
  mode?: number;
  owner?: string;
  group?: string;
}

/** "/a/b/c" -> ["/a", "/a/b", "/a/b/c"]; "x/y" -> ["x", "x/y"]. */
export function pathPrefixes(path: string): string[] {
  const abs = path.startsWith('/');
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const out: string[] = [];
  let cur = '';
  for (const p of parts) {
    cur = cur === '' ? (abs ? `/${p}` : p) : `${cur}/${p}`;
    out.push(cur);
  }
  return out;
}

/** The commands that give one just-created directory its attributes (none when nothing is asked). */
export function newDirAttrCmds(d: string, a: NewDirAttrs): string[] {
  const cmds: string[] = [];
  const who = `${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}`;
  if (who !== '') cmds.push(`chown -- ${quote(who)} ${d}`);
  if (a.mode !== undefined) cmds.push(`chmod -- ${formatMode(a.mode)} ${d}`);
  return cmds;
}

/**
 * One exec: every missing directory from the top down to `path` is made and given `a`; the
 * existing ones are left alone (Ansible's file state=directory and copy's intermediate dirs).
 */
export function mkdirsStep(path: string, a: NewDirAttrs, describe = `create directory ${path}`): Step {
  const body = ['mkdir -- "$d"', ...newDirAttrCmds('"$d"', a)].join(' && ');
  const list = pathPrefixes(path).map(quote).join(' ');
  return { kind: 'exec', describe, cmd: `for d in ${list}; do [ -e "$d" ] || { ${body}; } || exit 1; done`, contained: 'core-utils' };
}
