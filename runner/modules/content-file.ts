// The part copy and template share: probe a destination file, then decide whether to write
// the wanted bytes (a `put` step, never a command line) and fix owner, group and mode.
import { createHash } from 'node:crypto';
import { unifiedDiff as createTwoFilesPatch } from './unified-diff.js';
import type { Decision, DecideContext, ProbeContext, Step } from './types.js';
import { quote } from '../shell-quote.js';
import { attrSteps, describeAttrs, fileProbeLines, FOLLOW_P, PARENT_OF_P, parseFileInfo, planAttrs, type FileInfo } from './fileinfo.js';
import type { ModeSpec } from './mode.js';
import { overlayInfo, overlayParent, writtenFile, type PredictView } from '../predict/files.js';
import type { PredictedEffect } from '../predict/model.js';
import { mkdirsStep, type NewDirAttrs } from './mkdirs.js';

export const DIFF_MAX = 256 * 1024;

export interface ContentArgs {
  dest: string;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
  backup?: boolean;
  force?: boolean;
  /** Command that checks the new file before it replaces dest; %s is the temporary file. */
  validate?: string;
  /**
   * Ansible's `follow` (default false): when dest is a symlink, true writes the file it points to
   * and keeps the link; false replaces the link itself with a file and never reads the target.
   */
  follow?: boolean;
}

export interface ContentProbe {
  /** The destination actually meant (dest/<src basename> when dest is a directory; a followed link's target). */
  info: FileInfo;
  parentExists: boolean;
  /** The symlink that was followed to reach info.path. */
  via?: string;
}

/** Shared schema properties of copy and template. */
export const contentSchemaProps = {
  dest: { type: 'string', minLength: 1 },
  mode: { type: ['string', 'integer'] },
  owner: { type: 'string' },
  group: { type: 'string' },
  backup: { type: 'boolean' },
  force: { type: 'boolean' },
  validate: { type: 'string' },
  follow: { type: 'boolean' },
} as const;

/**
 * One exec: where the file goes (dest or dest/basename; with `follow`, a link's target) and what is
 * there now. Without `follow` a link's target is never read: it is not what will be written.
 */
export function contentProbeScript(dest: string, basename: string | undefined, diff: boolean, follow = false): string {
  const lines = [`p=${quote(dest)}`];
  if (basename !== undefined) {
    lines.push(`case "$p" in */) p="$p"${quote(basename)};; *) if [ -d "$p" ]; then p="$p/"${quote(basename)}; fi;; esac`);
  }
  if (follow) lines.push(FOLLOW_P);
  lines.push(`${PARENT_OF_P}; if [ -d "$d" ]; then echo parent=yes; else echo parent=no; fi`);
  lines.push(fileProbeLines({ checksum: 'sha256', contentMax: diff ? DIFF_MAX : undefined, readThroughLinks: follow }));
  return lines.join('\n');
}

export function parseContentProbe(stdout: string, dest: string): ContentProbe {
  const probe: ContentProbe = { info: parseFileInfo(stdout, dest), parentExists: /^parent=yes$/m.test(stdout) };
  const via = /^link=(.*)$/m.exec(stdout)?.[1];
  if (via !== undefined) probe.via = via;
  return probe;
}

export async function probeContent(dest: string, basename: string | undefined, ctx: ProbeContext, follow = false): Promise<ContentProbe> {
  const r = await ctx.conn.exec(contentProbeScript(dest, basename, ctx.diff, follow));
  if (r.code !== 0) throw new Error(`probe of ${dest} failed (rc ${r.code}): ${r.stderr.trim()}`);
  return parseContentProbe(r.stdout, dest);
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const isText = (b: Buffer): boolean => !b.includes(0);

/** A unified diff of old -> new, or undefined when either side is binary or unknown. `masked` applies the secret rules. */
export function contentDiff(path: string, before: Buffer | undefined, after: Buffer, masked?: DecideContext['fileDiff']): string | undefined {
  if (before === undefined || !isText(before) || !isText(after) || after.length > DIFF_MAX) return undefined;
  if (masked) return masked(path, before.toString('utf8'), after.toString('utf8'));
  return createTwoFilesPatch(path, path, before.toString('utf8'), after.toString('utf8'), 'before', 'after');
}

/** A file already on the host to copy from (copy remote_src): its path and sha256. */
export interface RemoteSource {
  remote: string;
  checksum: string;
  size: number;
}

export interface ContentOpts {
  /** Create missing parent directories even without a trailing slash on dest (lineinfile create). */
  makeParents?: boolean;
  /** Attributes of the parent directories created (copy: directory_mode, owner, group). */
  newDirs?: NewDirAttrs;
}

/** The step that writes the new bytes: a `put` of controller data, or a copy on the host. */
function writeStep(src: Buffer | RemoteSource, target: string, describe: string, mode: number | undefined, owner: string | undefined): Step {
  if (Buffer.isBuffer(src)) return { kind: 'put', describe, path: target, content: src, mode, ...(owner ? { owner } : {}) };
  // Like the put: a temporary file next to the target gets mode and owner, then replaces it.
  const t = '"$t"';
  const cmds = [`t=$(mktemp -- ${quote(target)}.play-XXXXXX)`, `cat -- ${quote(src.remote)} > ${t}`, `chmod -- ${(mode ?? 0o644).toString(8).padStart(4, '0')} ${t}`];
  if (owner) cmds.push(`chown -- ${quote(owner)} ${t}`);
  cmds.push(`mv -f -- ${t} ${quote(target)} || { rm -f -- ${t}; exit 1; }`);
  return { kind: 'exec', describe, cmd: cmds.join(' && '), contained: 'core-utils' };
}

/** Pure: bring the file at probe.info.path to `data` (or a copy of a file on the host) with the wanted attributes. */
export function decideContent(args: ContentArgs, data: Buffer | RemoteSource, probe: ContentProbe, ctx: DecideContext, opts: ContentOpts = {}): Decision {
  const { info } = probe;
  const path = info.path;
  if (info.type === 'directory' || info.isDir) return { kind: 'fail', msg: `${path} is a directory; give a file path or a src to copy into it` };
  if (info.type === 'other') return { kind: 'fail', msg: `${path} exists but is not a regular file` };
  // Not followed, a link is replaced by a file, as Ansible's copy does with follow: false.
  if (info.type === 'link') return replaceLink(args, data, probe, ctx);
  const exists = info.type === 'file';
  if (!exists && !probe.parentExists && !args.dest.endsWith('/') && !opts.makeParents) {
    return { kind: 'fail', msg: `Destination directory of ${path} does not exist` };
  }
  const plan = planAttrs(args, exists ? info : undefined, false);
  if (!plan.ok) return { kind: 'fail', msg: plan.msg };
  const want = Buffer.isBuffer(data) ? sha256(data) : data.checksum;
  const size = Buffer.isBuffer(data) ? data.length : data.size;
  const same = exists && info.checksum === want;
  const result = { dest: path, checksum: want, size };

  if (exists && !same && args.force === false) {
    return { kind: 'noop', reason: `${path} exists and force is false, so its content is left alone`, result };
  }
  if (same) {
    if (plan.changes.length === 0) {
      return { kind: 'noop', reason: `${path} already has the same content (sha256 ${want.slice(0, 12)}…) and ${describeAttrs(info)}`, result };
    }
    return { kind: 'change', summary: `${path}: ${plan.changes.join(', ')}`, steps: attrSteps(path, args, plan), result };
  }

  const steps: Step[] = [];
  if (!exists && !probe.parentExists) {
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) || '/' : '.';
    steps.push(mkdirsStep(parent, opts.newDirs ?? {}, `create directory for ${path}`));
  }
  if (exists && args.backup) {
    steps.push({ kind: 'exec', describe: `back up ${path}`, cmd: `cp -p -- ${quote(path)} ${quote(path)}."$(date +%Y-%m-%d@%H:%M:%S)~"`, contained: 'core-utils' });
  }
  const mode = plan.mode ?? (exists ? info.mode : undefined);
  const target = args.validate ? `${path}.play-validate` : path;
  // The put replaces the inode: the new one gets the owner and group the file had (or is given)
  // before it takes the old one's place.
  const owner = exists
    ? `${args.owner ?? info.owner}:${args.group ?? info.group}`
    : plan.needOwner || plan.needGroup ? `${plan.needOwner ? args.owner! : ''}${plan.needGroup ? `:${args.group!}` : ''}` : undefined;
  const bytes = `${size} bytes${owner ? `, ${owner}` : ''}`;
  steps.push(writeStep(data, target, Buffer.isBuffer(data) ? `write ${path} (${bytes})` : `copy ${data.remote} to ${path} (${bytes})`, mode, owner));
  if (args.validate) {
    const cmd = args.validate.includes('%s') ? args.validate.split('%s').join(quote(target)) : `${args.validate} ${quote(target)}`;
    steps.push({ kind: 'exec', describe: `validate ${path}`, cmd: `${cmd} || { rc=$?; rm -f -- ${quote(target)}; exit $rc; }` });
    steps.push({ kind: 'exec', describe: `move into place ${path}`, cmd: `mv -f -- ${quote(target)} ${quote(path)}`, contained: 'core-utils' });
  }
  const what = exists ? `update ${path} (sha256 ${info.checksum?.slice(0, 12)}… -> ${want.slice(0, 12)}…)` : `create ${path} (${size} bytes)`;
  const summary = [what, ...plan.changes].join(', ');
  const diff = ctx.diff && Buffer.isBuffer(data) ? contentDiff(path, exists ? info.content : Buffer.alloc(0), data, ctx.fileDiff) : undefined;
  return diff === undefined ? { kind: 'change', summary, steps, result } : { kind: 'change', summary, steps, diff, result };
}

/** dest is a symlink and follow is false: the link becomes a regular file; its target is left alone and unread. */
function replaceLink(args: ContentArgs, data: Buffer | RemoteSource, probe: ContentProbe, ctx: DecideContext): Decision {
  const { info } = probe;
  const path = info.path;
  const size = Buffer.isBuffer(data) ? data.length : data.size;
  const result = { dest: path, checksum: Buffer.isBuffer(data) ? sha256(data) : data.checksum, size };
  if (args.force === false) return { kind: 'noop', reason: `${path} exists (a symlink to ${info.linkTarget}) and force is false, so it is left alone`, result };
  const plan = planAttrs(args, undefined, false);
  if (!plan.ok) return { kind: 'fail', msg: plan.msg };
  const owner = plan.needOwner || plan.needGroup ? `${plan.needOwner ? args.owner! : ''}${plan.needGroup ? `:${args.group!}` : ''}` : undefined;
  const steps: Step[] = [writeStep(data, path, `replace the symlink ${path} with a file (${size} bytes)`, plan.mode ?? 0o644, owner)];
  const summary = `replace the symlink ${path} (-> ${info.linkTarget}) with a file of ${size} bytes; follow: true would write the target instead`;
  // The old side is the link, not its target's content: the target is not what this task writes.
  const diff = ctx.diff && Buffer.isBuffer(data) ? contentDiff(path, Buffer.alloc(0), data) : undefined;
  return diff === undefined ? { kind: 'change', summary, steps, result } : { kind: 'change', summary, steps, diff, result };
}

/** --check: the destination as earlier tasks would have left it (runner/predict/). */
export function overlayContent(probe: ContentProbe, view: PredictView): ContentProbe {
  return { ...probe, info: overlayInfo(probe.info, view), parentExists: overlayParent(probe.info.path, probe.parentExists, view) };
}

/** --check: the file a write of `data` would leave, for later tasks. */
export function predictContent(args: ContentArgs, data: Buffer | undefined, probe: ContentProbe, view: PredictView): PredictedEffect[] {
  if (data === undefined) return [{ kind: 'opaque', what: `write ${probe.info.path}` }];
  return [{ kind: 'path', path: probe.info.path, fact: writtenFile(args, data, probe.info.type === 'link' ? { path: probe.info.path, type: 'absent' } : probe.info, view) }];
}
