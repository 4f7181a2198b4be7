// copy with a directory src on the controller: `src: tree/` copies what is in it, `src: tree` the
// directory itself, into dest (always a directory). As Ansible's copy action: files first (owner,
// group, mode; the directories created for them get directory_mode), then each directory (file
// state=directory with directory_mode), then symlinks. Probe: 1 exec for every path.
import type { Decision, DecideContext, Step } from './types.js';
import { quote } from '../shell-quote.js';
import { fileProbeLines, parseFileInfo, type FileInfo } from './fileinfo.js';
import { decideContent, type ContentArgs } from './content-file.js';
import { decideFile } from './file.js';
import { resolveMode, type ModeSpec } from './mode.js';
import type { TreeEntry } from './controller-tree.js';

export interface TreeArgs extends ContentArgs {
  src: string;
  directory_mode?: ModeSpec;
}

/** Where each entry goes on the host: dest/ + (src's basename/ unless src ends with /) + rel. */
export function treeTargets(args: TreeArgs, entries: readonly TreeEntry[]): string[] {
  const dest = args.dest.endsWith('/') ? args.dest : `${args.dest}/`;
  const trimmed = args.src.replace(/\/+$/, '');
  const prefix = args.src.endsWith('/') ? '' : `${trimmed.slice(trimmed.lastIndexOf('/') + 1)}/`;
  return entries.map((e) => `${dest}${prefix}${e.rel}`);
}

export function treeProbeScript(targets: readonly string[]): string {
  const lines: string[] = [];
  targets.forEach((t, i) => lines.push(`echo @@${i}`, `p=${quote(t)}`, fileProbeLines({ checksum: 'sha256', readThroughLinks: false })));
  return lines.join('\n');
}

export function parseTreeProbe(stdout: string, targets: readonly string[]): FileInfo[] {
  const parts = stdout.split(/^@@\d+$/m).slice(1);
  return targets.map((t, i) => parseFileInfo(parts[i] ?? '', t));
}

export function decideTree(args: TreeArgs, entries: readonly TreeEntry[], infos: readonly FileInfo[], ctx: DecideContext): Decision {
  let dirMode: number | undefined;
  if (args.directory_mode !== undefined) {
    const r = resolveMode(args.directory_mode, undefined, true);
    if (!r.ok) return { kind: 'fail', msg: r.msg };
    dirMode = r.mode;
  }
  const newDirs = { mode: dirMode, owner: args.owner, group: args.group };
  const steps: Step[] = [];
  const changes: string[] = [];
  const take = (d: Decision): Decision | undefined => {
    if (d.kind === 'fail') return d;
    if (d.kind === 'change') { steps.push(...d.steps); changes.push(d.summary); }
    return undefined;
  };
  // files first, then directories, then links: Ansible's order, which decides what creates a directory
  const order = (['file', 'dir', 'link'] as const).flatMap((k) => entries.map((e, i) => ({ e, info: infos[i]! })).filter((x) => x.e.kind === k));
  for (const { e, info } of order) {
    const path = info.path;
    let d: Decision;
    if (e.kind === 'file') {
      if (info.isDir && info.type !== 'link') return { kind: 'fail', msg: `${path} is a directory, where ${args.src} has the file ${e.rel}` };
      d = decideContent({ ...args, dest: path, follow: false }, e.bytes, { info, parentExists: info.type !== 'absent' }, ctx, { makeParents: true, newDirs });
    } else if (e.kind === 'dir') {
      d = decideFile({ path, state: 'directory', mode: args.directory_mode, owner: args.owner, group: args.group }, { info });
    } else if (info.type === 'link' && info.linkTarget === e.target) {
      d = { kind: 'noop', reason: `${path} already links to ${e.target}` };
    } else if (info.isDir && info.type !== 'link') {
      d = { kind: 'fail', msg: `refusing to convert from directory to symlink for ${path}` };
    } else {
      d = { kind: 'change', summary: `link ${path} -> ${e.target}`, steps: [{ kind: 'exec', describe: `link ${path}`, cmd: `rm -f -- ${quote(path)} && ln -s -- ${quote(e.target)} ${quote(path)}`, contained: 'core-utils' }] };
    }
    const failed = take(d);
    if (failed) return failed;
  }
  const result = { dest: args.dest, src: args.src };
  const what = `${entries.length} entries of ${args.src}`;
  if (steps.length === 0) return { kind: 'noop', reason: `${args.dest} already has the ${what} with the same content and attributes`, result };
  return { kind: 'change', summary: `copy ${args.src} to ${args.dest}: ${changes.join('; ')}`, steps, result };
}
