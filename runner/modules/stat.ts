// stat: facts about a path for `register`, shaped as Ansible's stat module returns them. Always a
// noop. Probe: 1 exec (stat, access tests, readlink, checksum and `file` for the mime type).
// Like Ansible, the path itself is stat'ed (lstat) unless follow is set: a link is a link, mode 0777,
// with lnk_source (its realpath) and lnk_target (readlink), and no checksum.
// Not reported: attributes, attr_flags and version (lsattr), which test hosts' overlays do not carry.
import { defineModule, type Decision } from './types.js';
import { quote } from '../shell-quote.js';
import { fileProbeLines, parseFileInfo, parseKv, type Checksum, type FileInfo } from './fileinfo.js';
import { formatMode } from './mode.js';
import { overlayInfo } from '../predict/files.js';

export interface StatArgs {
  path: string;
  get_checksum?: boolean;
  checksum_algorithm?: Checksum | 'sha';
  follow?: boolean;
  get_mime?: boolean;
  get_attributes?: boolean;
}

/** The host's own answer (`ansible`), absent when --check predicts the path from earlier tasks instead. */
export type StatProbe = FileInfo & { ansible?: Record<string, unknown> };

const algo = (a: StatArgs): Checksum => (a.checksum_algorithm === undefined || a.checksum_algorithm === 'sha' ? 'sha1' : a.checksum_algorithm);

/** Lines printing `x_*` facts of $p as Ansible's stat reads them (os.lstat unless follow, os.access, realpath). */
function ansibleLines(a: StatArgs): string {
  const follow = a.follow === true;
  const S = follow ? 'stat -L' : 'stat';
  const there = follow ? '[ -e "$p" ]' : '{ [ -e "$p" ] || [ -L "$p" ]; }';
  const reg = follow ? '[ -f "$p" ]' : '{ [ -f "$p" ] && [ ! -L "$p" ]; }';
  const fmt = ['raw=%f', 'uid=%u', 'gid=%g', 'owner=%U', 'group=%G', 'size=%s', 'mtime=%.9Y', 'atime=%.9X', 'ctime=%.9Z', 'inode=%i', 'dev=%d', 'nlink=%h', 'blocks=%b', 'bsize=%o', 'major=%t', 'minor=%T'].map((f) => `x_${f}`).join('\n');
  return [
    `if ${there}; then echo x_exists=1`,
    `${S} -c '${fmt}' -- "$p"`,
    '[ -r "$p" ] && echo x_r=1; [ -w "$p" ] && echo x_w=1; [ -x "$p" ] && echo x_x=1',
    follow ? ':' : 'if [ -L "$p" ]; then printf \'x_lt=%s\\n\' "$(readlink -- "$p")"; printf \'x_ls=%s\\n\' "$(readlink -m -- "$p")"; fi',
    a.get_checksum === false ? ':' : `if ${reg} && [ -r "$p" ]; then printf 'x_sum='; ${algo(a)}sum < "$p"; fi`,
    a.get_mime === false ? ':' : 'if command -v file >/dev/null 2>&1; then printf \'x_mime=%s\\n\' "$(file --mime-type --mime-encoding "$p" 2>/dev/null)"; fi',
    'fi',
  ].join('\n');
}

export function statProbeScript(a: StatArgs): string {
  return `p=${quote(a.path)}\n${fileProbeLines({ checksum: a.get_checksum === false ? undefined : algo(a) })}\n${ansibleLines(a)}`;
}

const TYPE = { dir: 0o040000, reg: 0o100000, lnk: 0o120000, blk: 0o060000, chr: 0o020000, fifo: 0o010000, sock: 0o140000 } as const;

/** Ansible's stat dict from the `x_*` lines, or undefined when the probe printed none. */
export function parseAnsibleStat(text: string, a: StatArgs): Record<string, unknown> | undefined {
  const kv = parseKv(text);
  if (!kv.has('x_exists') || !kv.has('x_raw')) return kv.has('type') ? { exists: false } : undefined;
  const raw = parseInt(kv.get('x_raw')!, 16);
  const perm = raw & 0o7777;
  const fmt = raw & 0o170000;
  const n = (k: string) => Number(kv.get(k));
  const major = parseInt(kv.get('x_major') ?? '0', 16), minor = parseInt(kv.get('x_minor') ?? '0', 16);
  const s: Record<string, unknown> = {
    exists: true, path: a.path, mode: formatMode(perm),
    isdir: fmt === TYPE.dir, ischr: fmt === TYPE.chr, isblk: fmt === TYPE.blk, isreg: fmt === TYPE.reg, isfifo: fmt === TYPE.fifo, islnk: fmt === TYPE.lnk, issock: fmt === TYPE.sock,
    uid: n('x_uid'), gid: n('x_gid'), size: n('x_size'), inode: n('x_inode'), dev: n('x_dev'), nlink: n('x_nlink'),
    atime: n('x_atime'), mtime: n('x_mtime'), ctime: n('x_ctime'),
    wusr: !!(perm & 0o200), rusr: !!(perm & 0o400), xusr: !!(perm & 0o100), wgrp: !!(perm & 0o020), rgrp: !!(perm & 0o040), xgrp: !!(perm & 0o010),
    woth: !!(perm & 0o002), roth: !!(perm & 0o004), xoth: !!(perm & 0o001), isuid: !!(perm & 0o4000), isgid: !!(perm & 0o2000),
    blocks: n('x_blocks'), block_size: n('x_bsize'),
    device_type: (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12),
    readable: kv.has('x_r'), writeable: kv.has('x_w'), executable: kv.has('x_x'),
  };
  // getpwuid/getgrgid failing leaves the name out, as in Ansible
  if (kv.get('x_owner') !== 'UNKNOWN') s.pw_name = kv.get('x_owner');
  if (kv.get('x_group') !== 'UNKNOWN') s.gr_name = kv.get('x_group');
  if (kv.has('x_lt')) Object.assign(s, { lnk_target: kv.get('x_lt'), lnk_source: kv.get('x_ls') });
  if (kv.has('x_sum')) s.checksum = kv.get('x_sum')!.split(/\s/)[0];
  if (a.get_mime !== false) {
    // `file` prints "<path>: <type>; charset=<cs>"; Ansible splits at the last colon
    const m = /:\s*([^;:]+);\s*charset=(\S+)\s*$/.exec(kv.get('x_mime') ?? '');
    Object.assign(s, m ? { mimetype: m[1]!.trim(), charset: m[2] } : { mimetype: 'unknown', charset: 'unknown' });
  }
  return s;
}

/** The coarse stat from a FileInfo alone: what --check can say about a path an earlier task predicts. */
export function statResult(a: StatArgs, i: FileInfo): Record<string, unknown> {
  if (i.type === 'absent' || (a.follow === true && i.type === 'link' && i.mode === undefined)) return { exists: false };
  const link = i.type === 'link' && a.follow !== true;
  const s: Record<string, unknown> = { exists: true, path: a.path, islnk: link, isdir: !link && i.isDir === true, isreg: !link && i.isReg === true };
  if (link) Object.assign(s, { lnk_target: i.linkTarget, mode: '0777' });
  else if (i.mode !== undefined) {
    Object.assign(s, { mode: formatMode(i.mode), uid: i.uid, gid: i.gid, pw_name: i.owner, gr_name: i.group, size: i.size, mtime: i.mtime });
    if (i.checksum !== undefined) s.checksum = i.checksum;
  }
  return s;
}

export function decideStat(a: StatArgs, i: StatProbe): Decision {
  const stat = i.ansible ?? statResult(a, i);
  const reason = i.type === 'absent' ? `${a.path} does not exist` : `${a.path} is a ${i.type}${i.mode !== undefined ? ` (mode ${formatMode(i.mode)}, ${i.owner}:${i.group}, ${i.size} bytes${i.type === 'link' ? ' at its target' : ''})` : ''}`;
  return { kind: 'noop', reason, result: { stat } };
}

export const statModule = defineModule<StatArgs, StatProbe>({
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
      get_mime: { type: 'boolean' },
      get_attributes: { type: 'boolean' },
    },
  },
  normalize(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r = { ...(raw as Record<string, unknown>) };
    for (const [alias, name] of [['dest', 'path'], ['name', 'path'], ['checksum', 'checksum_algorithm'], ['checksum_algo', 'checksum_algorithm'], ['mime', 'get_mime'], ['mime_type', 'get_mime'], ['mime-type', 'get_mime'], ['attr', 'get_attributes'], ['attributes', 'get_attributes']] as const) {
      if (alias in r && !(name in r)) r[name] = r[alias];
      delete r[alias];
    }
    return r;
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(statProbeScript(args));
    if (r.code !== 0) throw new Error(`stat of ${args.path} failed (rc ${r.code}): ${r.stderr.trim()}`);
    const ansible = parseAnsibleStat(r.stdout, args);
    return ansible ? { ...parseFileInfo(r.stdout, args.path), ansible } : parseFileInfo(r.stdout, args.path);
  },
  // a prediction from earlier tasks replaces the host's answer; without one the probe stands as it is
  overlay: (args, probe, view) => {
    const o = overlayInfo(probe, view, args.get_checksum === false ? undefined : algo(args));
    return o === probe ? probe : { ...o, ansible: undefined };
  },
  decide: (args, probe) => decideStat(args, probe),
});
