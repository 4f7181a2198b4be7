// file state=hard: a hard link at path to src, with Ansible's refusals (an existing file or a
// different hard link needs force). Probe lines and a pure decision; file.ts wires them in.
import type { Decision, Step } from './types.js';
import { quote } from '../shell-quote.js';
import type { FileArgs, FileProbe } from './file.js';

export interface HardProbe {
  /** lstat of path: inode and link count, when it exists. */
  ino?: number;
  nlink?: number;
  /** Inode of src (followed), when it exists. */
  srcIno?: number;
}

/** Shell lines (with $p set to path): the inodes that tell whether path already is src. */
export function hardProbeLines(src: string | undefined): string {
  const lines = ['echo hard=1', 'if [ -e "$p" ] || [ -L "$p" ]; then stat -c \'ino=%i\nnlink=%h\' -- "$p"; fi'];
  // A relative src is taken from the working directory, as Ansible's os.link does.
  if (src !== undefined) lines.push(`if [ -e ${quote(src)} ]; then stat -L -c 'srcino=%i' -- ${quote(src)}; fi`);
  return lines.join('\n');
}

export function parseHardProbe(kv: Map<string, string>): HardProbe {
  const n = (k: string): number | undefined => (kv.has(k) ? Number(kv.get(k)) : undefined);
  const h: HardProbe = {};
  const ino = n('ino');
  const nlink = n('nlink');
  const srcIno = n('srcino');
  if (ino !== undefined) h.ino = ino;
  if (nlink !== undefined) h.nlink = nlink;
  if (srcIno !== undefined) h.srcIno = srcIno;
  return h;
}

/** Ansible's get_state: a regular file with more than one link is 'hard'. */
function prevState(p: FileProbe): 'absent' | 'link' | 'directory' | 'hard' | 'file' {
  const t = p.info.type;
  if (t === 'absent' || t === 'link' || t === 'directory') return t;
  return (p.hard?.nlink ?? 1) > 1 ? 'hard' : 'file';
}

/** `settle(pre, creating, summary)` adds the owner/group/mode fixes (file.ts). */
export function decideHard(args: FileArgs, probe: FileProbe, settle: (pre: Step[], creating: boolean, summary?: string) => Decision): Decision {
  const prev = prevState(probe);
  const src = args.src;
  const h = probe.hard ?? {};
  if (src === undefined) {
    if (prev !== 'hard') return { kind: 'fail', msg: 'src is required for creating new hardlinks' };
    return settle([], false);
  }
  if (h.srcIno === undefined) return { kind: 'fail', msg: `src does not exist (${src})` };
  const link = (replace: boolean): Step => ({
    kind: 'exec', describe: `hard link ${args.path} to ${src}`,
    // -T: a path that is a symlink to a directory is replaced, never linked into
    cmd: `ln ${replace ? '-fT' : '-T'} -- ${quote(src)} ${quote(args.path)}`,
    contained: 'core-utils',
  });
  switch (prev) {
    case 'absent':
      return settle([link(false)], true, `hard link to ${src}`);
    case 'link':
      if (probe.info.linkTarget === src) return settle([], false);
      return settle([link(true)], true, `replace the symlink (-> ${probe.info.linkTarget}) by a hard link to ${src}`);
    case 'hard':
      if (h.ino === h.srcIno) return settle([], false);
      if (!args.force) return { kind: 'fail', msg: 'Cannot link, different hard link exists at destination' };
      return settle([link(true)], true, `replace a different hard link by one to ${src}`);
    case 'file':
      if (h.ino === h.srcIno) return settle([], false);
      if (!args.force) return { kind: 'fail', msg: 'Cannot link, file exists at destination' };
      return settle([link(true)], true, `replace the file by a hard link to ${src}`);
    case 'directory':
      if (!args.force) return { kind: 'fail', msg: 'Cannot link: different hard link exists at destination' };
      return { kind: 'fail', msg: `Error while replacing: ${args.path} is a directory` };
  }
}
