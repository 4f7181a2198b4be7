// file: state file|directory|absent|touch|link, with owner, group and mode. Probe: 1 exec.
import { defineModule, type Decision, type Step } from './types.js';
import { assertNever } from '../errors.js';
import { quote } from '../shell-quote.js';
import { attrSteps, describeAttrs, fileProbeLines, parseFileInfo, parseKv, planAttrs, type Attrs, type FileInfo } from './fileinfo.js';
import { resolveMode, type ModeSpec } from './mode.js';
import { fileState, overlayFile, predictFile } from './file-predict.js';

export { fileState } from './file-predict.js';
import { mkdirsStep } from './mkdirs.js';
import { decideHard, hardProbeLines, parseHardProbe, type HardProbe } from './file-hard.js';
import { timeSchemaProps, timeSteps, timesPreserved, type TimeArgs } from './file-times.js';

export type FileState = 'file' | 'directory' | 'absent' | 'touch' | 'link' | 'hard';

export interface FileArgs extends Attrs, TimeArgs {
  path: string;
  state?: FileState;
  src?: string;
  mode?: ModeSpec;
  recurse?: boolean;
  force?: boolean;
  follow?: boolean;
}

export interface FileProbe {
  info: FileInfo;
  /** For links: the link's own owner and group. */
  linkOwner?: { owner: string; group: string; uid: number; gid: number };
  /** For state=link: whether src exists (relative to the link's directory). */
  srcExists?: boolean;
  /** For recurse: whether some entry below path has other owner, group or mode. */
  treeDiffers?: boolean;
  /** For state=hard: inode and link count of path (lstat), inode of src. */
  hard?: HardProbe;
}

const ALIASES = ['dest', 'name'] as const;

export function fileProbeScript(args: FileArgs): string {
  const lines = [`p=${quote(args.path)}`, fileProbeLines()];
  lines.push('if [ -L "$p" ]; then stat -c \'lowner=%U\nlgroup=%G\nluid=%u\nlgid=%g\' -- "$p"; fi');
  if (args.state === 'hard') lines.push(hardProbeLines(args.src));
  else if (args.src !== undefined) {
    // an absolute src is looked at directly: the link's directory may not exist yet (--check plans it)
    const test = args.src.startsWith('/') ? `[ -e ${quote(args.src)} ]` : `(cd "$(dirname -- "$p")" 2>/dev/null && [ -e ${quote(args.src)} ])`;
    lines.push(`if ${test}; then echo srcexists=yes; else echo srcexists=no; fi`);
  }
  if (args.recurse) {
    const tests: string[] = [];
    if (args.owner !== undefined) tests.push(`! -user ${quote(args.owner)}`);
    if (args.group !== undefined) tests.push(`! -group ${quote(args.group)}`);
    const m = args.mode !== undefined ? resolveMode(args.mode, undefined, true) : undefined;
    // A symbolic mode depends on each entry's mode: treat the tree as differing.
    if (m?.ok && typeof args.mode === 'string' && !/^0?o?[0-7]{1,4}$/.test(args.mode.trim())) tests.push('-true');
    else if (m?.ok) tests.push(`! -perm ${m.mode.toString(8).padStart(4, '0')}`);
    if (tests.length > 0) {
      lines.push(`if [ -d "$p" ]; then echo "tree=$(find "$p" \\( ${tests.join(' -o ')} \\) -print 2>/dev/null | head -n 1 | wc -l)"; fi`);
    }
  }
  return lines.join('\n');
}

export function parseFileProbe(stdout: string, path: string): FileProbe {
  const kv = parseKv(stdout);
  const probe: FileProbe = { info: parseFileInfo(stdout, path) };
  if (kv.has('lowner')) {
    probe.linkOwner = { owner: kv.get('lowner')!, group: kv.get('lgroup')!, uid: Number(kv.get('luid')), gid: Number(kv.get('lgid')) };
  }
  if (kv.has('srcexists')) probe.srcExists = kv.get('srcexists') === 'yes';
  if (kv.has('tree')) probe.treeDiffers = Number(kv.get('tree')) > 0;
  if (kv.has('hard')) probe.hard = parseHardProbe(kv);
  return probe;
}

const rm = (p: string): Step => ({ kind: 'exec', describe: `remove ${p}`, cmd: `rm -rf -- ${quote(p)}`, contained: 'core-utils' });

/** Attribute fixes (after the `pre` steps), or a noop saying the path is already right. */
function settle(args: FileArgs, probe: FileProbe, what: string, isDir: boolean, pre: Step[], creating: boolean, summary?: string): Decision {
  const { info } = probe;
  const plan = planAttrs(args, creating ? undefined : info, isDir);
  if (!plan.ok) return { kind: 'fail', msg: plan.msg };
  const tree = args.recurse === true && isDir && probe.treeDiffers === true;
  const fix = tree ? { ...plan, needOwner: args.owner !== undefined, needGroup: args.group !== undefined, needMode: plan.mode !== undefined } : plan;
  const steps = [...pre, ...attrSteps(args.path, args, fix, { recurse: args.recurse === true && isDir })];
  if (steps.length === 0) {
    return { kind: 'noop', reason: `${args.path} is already ${what} with ${describeAttrs(info)}${args.recurse ? ', and everything below matches' : ''}` };
  }
  const changes = [...(summary ? [summary] : []), ...plan.changes, ...(tree ? ['fix entries below'] : [])];
  return { kind: 'change', summary: `${args.path}: ${changes.join(', ')}`, steps };
}

function decideLink(args: FileArgs, probe: FileProbe): Decision {
  const { info } = probe;
  const src = args.src;
  if (src === undefined) return { kind: 'fail', msg: 'src is required for state=link' };
  const link = `ln -sfn -- ${quote(src)} ${quote(args.path)}`;
  const linkAttrs: FileArgs = { ...args, mode: undefined };
  const own = (): Step[] => attrSteps(args.path, linkAttrs, { ok: true, needOwner: args.owner !== undefined, needGroup: args.group !== undefined, needMode: false, changes: [] }, { noFollow: true });
  if (probe.srcExists === false && !args.force) return { kind: 'fail', msg: `src file ${src} does not exist, use force=yes if you really want to create the link ${args.path}` };
  if (info.type === 'link') {
    if (info.linkTarget === src) {
      const lo = probe.linkOwner;
      const plan = planAttrs(linkAttrs, lo && { ...info, ...lo, mode: 0o777 }, false);
      if (!plan.ok) return { kind: 'fail', msg: plan.msg };
      const steps = attrSteps(args.path, linkAttrs, plan, { noFollow: true });
      if (steps.length === 0) return { kind: 'noop', reason: `${args.path} is already a link to ${src}` };
      return { kind: 'change', summary: `${args.path}: ${plan.changes.join(', ')}`, steps };
    }
    return { kind: 'change', summary: `relink ${args.path}: ${info.linkTarget} -> ${src}`, steps: [{ kind: 'exec', describe: `link ${args.path}`, cmd: link, contained: 'core-utils' }, ...own()] };
  }
  if (info.type === 'absent') return { kind: 'change', summary: `create link ${args.path} -> ${src}`, steps: [{ kind: 'exec', describe: `link ${args.path}`, cmd: link, contained: 'core-utils' }, ...own()] };
  if (info.type === 'file' && args.force) return { kind: 'change', summary: `replace file ${args.path} by a link to ${src}`, steps: [rm(args.path), { kind: 'exec', describe: `link ${args.path}`, cmd: link, contained: 'core-utils' }, ...own()] };
  return { kind: 'fail', msg: `refusing to convert from ${info.type} to symlink for ${args.path}` };
}

export function decideFile(args: FileArgs, probe: FileProbe): Decision {
  return inOneCommand(decideFileSteps(args, probe));
}

/** The file module's steps print nothing the result needs: chained with &&, they cost one round trip. */
function inOneCommand(d: Decision): Decision {
  if (d.kind !== 'change' || d.steps.length < 2 || !d.steps.every((s) => s.kind === 'exec' && s.stdin === undefined && !s.okCodes && !s.interpret)) return d;
  const execs = d.steps as Array<Extract<Step, { kind: 'exec' }>>;
  const one: Step = { kind: 'exec', describe: execs.map((s) => s.describe).join(', then '), cmd: execs.map((s) => s.cmd).join(' && ') };
  // contained only when every part is
  return { ...d, steps: [execs.every((s) => s.contained === 'core-utils') ? { ...one, contained: 'core-utils' } : one] };
}

function decideFileSteps(args: FileArgs, probe: FileProbe): Decision {
  const { info } = probe;
  const state = fileState(args, info);
  switch (state) {
    case 'absent':
      if (info.type === 'absent') return { kind: 'noop', reason: `${args.path} is already absent` };
      return { kind: 'change', summary: `remove ${args.path} (${info.type})`, steps: [rm(args.path)] };
    case 'directory': {
      if (info.type === 'absent') {
        // Like Ansible, every directory created on the way gets the mode, owner and group.
        const plan = planAttrs(args, undefined, true);
        if (!plan.ok) return { kind: 'fail', msg: plan.msg };
        const mk = mkdirsStep(args.path, { mode: plan.mode, owner: args.owner, group: args.group });
        const made = timeSteps(args.path, args, false);
        if ('fail' in made) return { kind: 'fail', msg: made.fail };
        return { kind: 'change', summary: `${args.path}: create directory`, steps: [mk, ...made.steps] };
      }
      if (!info.isDir) return { kind: 'fail', msg: `${args.path} already exists as a ${info.type === 'link' ? 'link' : 'file'}, not a directory` };
      const times = timeSteps(args.path, args, false);
      if ('fail' in times) return { kind: 'fail', msg: times.fail };
      return settle(args, probe, 'a directory', true, times.steps, false, times.changes.join(', ') || undefined);
    }
    case 'file': {
      if (info.type === 'absent') return { kind: 'fail', msg: `file (${args.path}) is absent, cannot continue` };
      if (info.isDir) return { kind: 'fail', msg: `${args.path} is a directory, not a file` };
      const times = timeSteps(args.path, args, false);
      if ('fail' in times) return { kind: 'fail', msg: times.fail };
      return settle(args, probe, 'a file', false, times.steps, false, times.changes.join(', ') || undefined);
    }
    case 'touch': {
      const t: Step = { kind: 'exec', describe: `touch ${args.path}`, cmd: `touch -- ${quote(args.path)}`, contained: 'core-utils' };
      const creating = info.type === 'absent';
      if (args.modification_time === undefined && args.access_time === undefined) {
        return settle(args, probe, 'present', info.isDir === true, [t], creating, creating ? 'create' : 'touch (update times)');
      }
      // with times given: touch creates what is absent; the times are then set as asked (preserve keeps them)
      const times = timeSteps(args.path, args, true);
      if ('fail' in times) return { kind: 'fail', msg: times.fail };
      const pre = [...(creating ? [t] : []), ...(creating && timesPreserved(args, true) ? [] : times.steps)];
      const summary = [...(creating ? ['create'] : []), ...(creating && timesPreserved(args, true) ? [] : times.changes)].join(', ');
      return settle(args, probe, 'present', info.isDir === true, pre, creating, summary || undefined);
    }
    case 'link':
      if (!timesPreserved(args, false)) return { kind: 'fail', msg: 'modification_time and access_time on a link are not supported by play yet' };
      return decideLink(args, probe);
    case 'hard':
      if (!timesPreserved(args, false)) return { kind: 'fail', msg: 'modification_time and access_time on a hard link are not supported by play yet' };
      return decideHard(args, probe, (pre, creating, summary) => settle(args, probe, 'a hard link', false, pre, creating, summary));
    default:
      return assertNever(state, 'file state');
  }
}

export const fileModule = defineModule<FileArgs, FileProbe>({
  name: 'file',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1 },
      state: { enum: ['file', 'directory', 'absent', 'touch', 'link', 'hard'] },
      src: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      recurse: { type: 'boolean' },
      force: { type: 'boolean' },
      follow: { type: 'boolean' },
      ...timeSchemaProps,
    },
  },
  normalize(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r = { ...(raw as Record<string, unknown>) };
    for (const a of ALIASES) {
      if (a in r && !('path' in r)) r.path = r[a];
      if (a in r && r.path === r[a]) delete r[a];
    }
    return r;
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(fileProbeScript(args));
    if (r.code !== 0) throw new Error(`probe of ${args.path} failed (rc ${r.code}): ${r.stderr.trim()}`);
    return parseFileProbe(r.stdout, args.path);
  },
  overlay: overlayFile,
  predict: predictFile,
  decide: (args, probe) => decideFile(args, probe),
});
