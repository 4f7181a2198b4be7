// A test host's overlay upper dir as a map: every entry's type, mode, owner, size and content hash or
// link target. Two equal snapshots mean nothing on the host was written (--check specs).
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    const p = join(dir, rel);
    const st = lstatSync(p);
    let what = `${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.size}`;
    if (st.isSymbolicLink()) what += ` -> ${readlinkSync(p)}`;
    else if (st.isFile()) what += ` ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    out.set(rel || '/', what);
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(rel, e));
  };
  walk('');
  return out;
}
