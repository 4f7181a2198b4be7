// --check for the file module: its probe as earlier tasks would have left the path, and the path
// a change would leave (runner/predict/). Pure.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { assertNever } from '../errors.js';
import { overlayExists, overlayInfo, type PredictView } from '../predict/files.js';
import type { PathFact, PredictedEffect } from '../predict/model.js';
import type { FileArgs, FileProbe, FileState } from './file.js';
import type { FileInfo } from './fileinfo.js';
import { resolveMode } from './mode.js';

export function overlayFile(args: FileArgs, probe: FileProbe, view: PredictView): FileProbe {
  const known = view.state.path(args.path);
  const out: FileProbe = { ...probe, info: overlayInfo(probe.info, view, undefined) };
  if (known?.fact.kind === 'link') {
    const f = known.fact;
    out.linkOwner = { owner: f.owner ?? view.actor.user, group: f.group ?? view.actor.group ?? '', uid: -1, gid: -1 };
  } else if (known) delete out.linkOwner;
  if (args.src !== undefined && probe.srcExists !== undefined) {
    out.srcExists = overlayExists(posix.resolve(posix.dirname(args.path), args.src), probe.srcExists, view);
  }
  // a directory this run creates has nothing below it yet but what the model holds
  if (known?.fact.kind === 'directory' && known.fact.fresh) out.treeDiffers = false;
  return out;
}

export function predictFile(args: FileArgs, probe: FileProbe, _d: unknown, view: PredictView): PredictedEffect[] {
  const { info } = probe;
  const state = fileState(args, info);
  const exists = info.type !== 'absent' && info.mode !== undefined;
  const prior = view.state.path(args.path)?.fact;
  const mode = (isDir: boolean): number | undefined => {
    if (args.mode === undefined) return exists ? info.mode : undefined;
    const r = resolveMode(args.mode, exists ? info.mode : undefined, isDir);
    return r.ok ? r.mode : undefined;
  };
  const owner = args.owner ?? (exists ? info.owner : view.actor.user);
  const group = args.group ?? (exists ? info.group : view.actor.group);
  const at = (fact: PathFact): PredictedEffect[] => [{ kind: 'path', path: args.path, fact }];
  switch (state) {
    case 'absent':
      return at({ kind: 'absent' });
    case 'directory': {
      const fresh = info.type === 'absent' || (prior?.kind === 'directory' && prior.fresh);
      const effects = at({ kind: 'directory', fresh, mode: mode(true) ?? 0o755, owner, group });
      return args.recurse ? [...effects, { kind: 'opaque', what: `owner, group and mode of everything below ${args.path}`, under: args.path }] : effects;
    }
    case 'touch':
    case 'file': {
      const empty = Buffer.alloc(0);
      const base: PathFact = prior?.kind === 'file' ? prior : info.type === 'absent' ? { kind: 'file', content: empty, sha256: createHash('sha256').update(empty).digest('hex'), size: 0 } : { kind: 'file' };
      return at({ ...base, kind: 'file', mode: mode(false) ?? 0o644, owner, group });
    }
    case 'link':
      return at({ kind: 'link', target: args.src ?? '', owner: args.owner, group: args.group });
    case 'hard': {
      // a hard link is the same inode as its src: what the model knows of src, with these attributes
      const src = args.src === undefined ? undefined : view.state.path(posix.resolve(posix.dirname(args.path), args.src))?.fact;
      return at({ ...(src?.kind === 'file' ? src : { kind: 'file' as const }), mode: mode(false), owner: args.owner, group: args.group });
    }
    default:
      return assertNever(state, 'file state');
  }
}

/** The state asked for, or Ansible's default for what is at the path. */
export function fileState(args: FileArgs, info: FileInfo): FileState {
  return args.state ?? (info.type === 'absent' ? (args.recurse ? 'directory' : args.src !== undefined ? 'link' : 'file') : info.type === 'link' && (args.follow === false || info.mode === undefined) ? 'link' : info.isDir ? 'directory' : 'file');
}
