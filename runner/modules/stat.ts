// stat: facts about a path for `register`. Always a noop. Probe: 1 exec.
import { defineModule, type Decision } from './types.js';
import { quote } from '../shell-quote.js';
import { fileProbeLines, parseFileInfo, type Checksum, type FileInfo } from './fileinfo.js';
import { formatMode } from './mode.js';
import { overlayInfo } from '../predict/files.js';

export interface StatArgs {
  path: string;
  get_checksum?: boolean;
  checksum_algorithm?: Checksum | 'sha';
  follow?: boolean;
}

const algo = (a: StatArgs): Checksum => (a.checksum_algorithm === undefined || a.checksum_algorithm === 'sha' ? 'sha1' : a.checksum_algorithm);

export function statProbeScript(a: StatArgs): string {
  return `p=${quote(a.path)}\n${fileProbeLines({ checksum: a.get_checksum === false ? undefined : algo(a) })}`;
}

/** Ansible's stat result shape (the common keys). */
export function statResult(a: StatArgs, i: FileInfo): Record<string, unknown> {
  if (i.type === 'absent') return { exists: false };
  const s: Record<string, unknown> = {
    exists: i.mode !== undefined || i.type === 'link',
    path: a.path,
    islnk: i.type === 'link',
    isdir: i.isDir === true,
    isreg: i.isReg === true,
  };
  if (i.type === 'link') s.lnk_source = s.lnk_target = i.linkTarget;
  if (i.mode !== undefined) {
    Object.assign(s, { mode: formatMode(i.mode), uid: i.uid, gid: i.gid, pw_name: i.owner, gr_name: i.group, size: i.size, mtime: i.mtime });
  }
  if (i.checksum !== undefined) s.checksum = i.checksum;
  return s;
}

export function decideStat(a: StatArgs, i: FileInfo): Decision {
  const stat = statResult(a, i);
  const reason = i.type === 'absent' ? `${a.path} does not exist` : `${a.path} is a ${i.type}${i.mode !== undefined ? ` (mode ${formatMode(i.mode)}, ${i.owner}:${i.group}, ${i.size} bytes)` : ''}`;
  return { kind: 'noop', reason, result: { stat } };
}

export const statModule = defineModule<StatArgs, FileInfo>({
  name: 'stat',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1 },
      get_checksum: { type: 'boolean' },
      checksum_algorithm: { enum: ['sha1', 'sha256', 'md5', 'sha'] },
      follow: { type: 'boolean' },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(statProbeScript(args));
    if (r.code !== 0) throw new Error(`stat of ${args.path} failed (rc ${r.code}): ${r.stderr.trim()}`);
    return parseFileInfo(r.stdout, args.path);
  },
  overlay: (args, probe, view) => overlayInfo(probe, view, args.get_checksum === false ? undefined : algo(args)),
  decide: (args, probe) => decideStat(args, probe),
});
