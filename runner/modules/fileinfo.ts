// Shared file fact: one shell snippet that reads a path's type, attributes, checksum and
// (optionally) content, a pure parser for its output, and the owner/group/mode steps.
import { createHash } from 'node:crypto';
import type { Step } from './types.js';
import { quote } from '../shell-quote.js';
import { formatMode, resolveMode, type ModeSpec } from './mode.js';

export type FileType = 'absent' | 'file' | 'directory' | 'link' | 'other';

export interface FileInfo {
  path: string;
  /** lstat type: a symlink is 'link' whatever it points to. */
  type: FileType;
  linkTarget?: string;
  /** Attributes of the path, following a link; absent for a missing path or a dangling link. */
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  size?: number;
  mtime?: number;
  /** Whether the path (followed) is a directory or a regular file. */
  isDir?: boolean;
  isReg?: boolean;
  checksum?: string;
  /** Base64-decoded content when it was asked for and small enough. */
  content?: Buffer;
}

export type Checksum = 'sha1' | 'sha256' | 'md5';

export interface FileProbeOpts {
  checksum?: Checksum;
  /** Read the content when the file is at most this many bytes. */
  contentMax?: number;
  /** false: a symlink's target is not read (no checksum, no content): the link itself is the object. */
  readThroughLinks?: boolean;
}

/**
 * Shell lines that print `key=value` facts about the path in shell variable $p. Read-only.
 * Spawns as little as it can (each process costs the host a fork and an exec): tests are builtins,
 * one stat, and either the content (the checksum is then computed here) or the checksum.
 */
export function fileProbeLines(opts: FileProbeOpts = {}): string {
  const lines = [
    'if [ -L "$p" ]; then t=link; elif [ -d "$p" ]; then t=directory; elif [ -f "$p" ]; then t=file; elif [ -e "$p" ]; then t=other; else t=absent; fi',
    'printf \'path=%s\\ntype=%s\\n\' "$p" "$t"',
    'if [ "$t" = link ]; then printf \'target=%s\\n\' "$(readlink -- "$p")"; fi',
    'z=; if [ -e "$p" ]; then s=$(stat -L -c \'size=%s\nmode=%a\nuid=%u\ngid=%g\nowner=%U\ngroup=%G\nmtime=%Y\nkind=%F\' -- "$p") && printf \'%s\\n\' "$s" && z=${s#size=} && z=${z%%[!0-9]*}; fi',
  ];
  const sum = opts.checksum ? `printf 'checksum='; ${opts.checksum}sum < "$p"` : ':';
  const readable = opts.readThroughLinks === false ? '[ "$t" = file ] && [ -r "$p" ]' : '[ -f "$p" ] && [ -r "$p" ]';
  if (opts.contentMax !== undefined) {
    if (opts.checksum) lines.push(`echo digest=${opts.checksum}`);
    lines.push(`if ${readable}; then if [ -n "$z" ] && [ "$z" -le ${opts.contentMax} ]; then printf 'content='; base64 -w0 < "$p"; echo; else ${sum}; fi; fi`);
  } else if (opts.checksum) {
    lines.push(`if ${readable}; then ${sum}; fi`);
  }
  return lines.join('\n');
}

/** `d=` the parent directory of $p, without spawning dirname for the usual cases. */
export const PARENT_OF_P = 'case "$p" in */) d=$(dirname -- "$p");; /*) d=${p%/*}; d=${d:-/};; */*) d=${p%/*};; *) d=.;; esac';

/** Shell line: when $p is a symlink, $p becomes the file it points to (what Ansible's realpath gives). */
export const FOLLOW_P = 'if [ -L "$p" ]; then printf \'link=%s\\n\' "$p"; p=$(readlink -f -- "$p") || exit 1; fi';

/** A whole probe command for one path. */
export function fileProbeScript(path: string, opts: FileProbeOpts = {}): string {
  return `p=${quote(path)}\n${fileProbeLines(opts)}`;
}

/** Parses `key=value` lines; later keys win. */
export function parseKv(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));

/** Parses the output of fileProbeLines(). */
export function parseFileInfo(text: string, fallbackPath = ''): FileInfo {
  const kv = parseKv(text);
  const type = (kv.get('type') ?? 'absent') as FileType;
  const info: FileInfo = { path: kv.get('path') ?? fallbackPath, type };
  if (kv.has('target')) info.linkTarget = kv.get('target');
  if (kv.has('mode')) {
    info.mode = parseInt(kv.get('mode')!, 8);
    info.uid = num(kv.get('uid'));
    info.gid = num(kv.get('gid'));
    info.owner = kv.get('owner');
    info.group = kv.get('group');
    info.size = num(kv.get('size'));
    info.mtime = num(kv.get('mtime'));
    const kind = kv.get('kind') ?? '';
    info.isDir = kind === 'directory';
    info.isReg = kind.startsWith('regular');
  }
  if (kv.has('content')) info.content = Buffer.from(kv.get('content')!, 'base64');
  // `<sum>sum` prints "HEX  -"; with the content read, the checksum is computed here instead
  if (kv.has('checksum')) info.checksum = kv.get('checksum')!.split(/\s/)[0];
  else if (info.content && kv.has('digest')) info.checksum = createHash(kv.get('digest')!).update(info.content).digest('hex');
  return info;
}

export interface Attrs {
  mode?: ModeSpec;
  owner?: string;
  group?: string;
}

export type AttrPlan =
  | { ok: true; mode?: number; needOwner: boolean; needGroup: boolean; needMode: boolean; changes: string[] }
  | { ok: false; msg: string };

const sameId = (want: string, name?: string, id?: number): boolean => want === name || want === String(id);

/** Which attributes differ. `info` undefined (or absent) means the path will be created. */
export function planAttrs(attrs: Attrs, info: FileInfo | undefined, isDir: boolean): AttrPlan {
  const exists = info !== undefined && info.mode !== undefined;
  let mode: number | undefined;
  if (attrs.mode !== undefined) {
    const r = resolveMode(attrs.mode, exists ? info!.mode : undefined, isDir);
    if (!r.ok) return r;
    mode = r.mode;
  }
  const changes: string[] = [];
  const needOwner = attrs.owner !== undefined && (!exists || !sameId(attrs.owner, info!.owner, info!.uid));
  const needGroup = attrs.group !== undefined && (!exists || !sameId(attrs.group, info!.group, info!.gid));
  const needMode = mode !== undefined && (!exists || info!.mode !== mode);
  if (exists && needOwner) changes.push(`owner ${info!.owner} -> ${attrs.owner}`);
  if (exists && needGroup) changes.push(`group ${info!.group} -> ${attrs.group}`);
  if (exists && needMode) changes.push(`mode ${formatMode(info!.mode!)} -> ${formatMode(mode!)}`);
  return { ok: true, mode, needOwner, needGroup, needMode, changes };
}

/** chown/chmod exec steps for the attributes that differ. `recurse` adds -R, `noFollow` -h. */
export function attrSteps(
  path: string,
  attrs: Attrs,
  plan: Extract<AttrPlan, { ok: true }>,
  opts: { skipMode?: boolean; recurse?: boolean; noFollow?: boolean } = {},
): Step[] {
  const steps: Step[] = [];
  const flags = `${opts.recurse ? '-R ' : ''}${opts.noFollow ? '-h ' : ''}`;
  if (plan.needOwner || plan.needGroup) {
    const who = `${plan.needOwner ? attrs.owner! : ''}${plan.needGroup ? `:${attrs.group!}` : ''}`;
    steps.push({ kind: 'exec', describe: `chown ${who} ${path}`, cmd: `chown ${flags}-- ${quote(who)} ${quote(path)}`, contained: 'core-utils' });
  }
  if (plan.needMode && !opts.skipMode) {
    const m = formatMode(plan.mode!);
    steps.push({ kind: 'exec', describe: `chmod ${m} ${path}`, cmd: `chmod ${opts.recurse ? '-R ' : ''}-- ${m} ${quote(path)}`, contained: 'core-utils' });
  }
  return steps;
}

/** "mode 0640, owner root, group adm" for reasons. */
export function describeAttrs(info: FileInfo): string {
  if (info.mode === undefined) return '';
  return `mode ${formatMode(info.mode)}, owner ${info.owner}, group ${info.group}`;
}
