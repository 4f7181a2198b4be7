// The file side of the predicted state, at the typed level the file-ish modules share: a probed
// FileInfo overlaid with what earlier tasks would have made, and the fact a write would leave.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { FileInfo } from '../modules/fileinfo.js';
import { resolveMode, type ModeSpec } from '../modules/mode.js';
import { normPath, type Actor, type PathFact, type PredictedState } from './model.js';
import { UnknownValueError } from './unknown.js';

export interface PredictView {
  state: PredictedState;
  actor: Actor;
}

const digest = (algo: string, b: Buffer): string => createHash(algo).update(b).digest('hex');

/**
 * The probed info, or what the model says the path would be by now. `checksum` names the probe's
 * algorithm; a predicted file's checksum is computed from its predicted content.
 */
export function overlayInfo(info: FileInfo, view: PredictView, checksum: 'sha256' | 'sha1' | 'md5' | undefined = 'sha256'): FileInfo {
  const known = view.state.path(info.path);
  if (!known) {
    unknownIfAbsent(info.path, info.type === 'absent', view);
    return info;
  }
  return infoFromFact(info, known.fact, view, checksum);
}

function infoFromFact(host: FileInfo, fact: PathFact, view: PredictView, checksum: 'sha256' | 'sha1' | 'md5' | undefined): FileInfo {
  const { path } = host;
  const hostHas = host.type !== 'absent' && host.mode !== undefined;
  const owner = (o: string | undefined) => o ?? (hostHas ? host.owner : undefined) ?? view.actor.user;
  const group = (g: string | undefined) => g ?? (hostHas ? host.group : undefined) ?? view.actor.group;
  switch (fact.kind) {
    case 'absent':
      return { path, type: 'absent' };
    case 'file': {
      const out: FileInfo = { path, type: 'file', isReg: true, isDir: false, mode: fact.mode ?? (host.type === 'file' ? host.mode : undefined) ?? 0o644, owner: owner(fact.owner), group: group(fact.group) };
      if (fact.content) {
        out.content = fact.content;
        out.size = fact.content.length;
        if (checksum) out.checksum = checksum === 'sha256' && fact.sha256 ? fact.sha256 : digest(checksum, fact.content);
      } else if (checksum === 'sha256' && fact.sha256) out.checksum = fact.sha256;
      else if (host.type === 'file' && fact.sha256 === undefined) { out.checksum = host.checksum; if (host.content) out.content = host.content; }
      return out;
    }
    case 'directory':
      return { path, type: 'directory', isDir: true, isReg: false, mode: fact.mode ?? (host.isDir ? host.mode : undefined) ?? 0o755, owner: owner(fact.owner), group: group(fact.group) };
    case 'link': {
      const out: FileInfo = { path, type: 'link', linkTarget: fact.target };
      const to = view.state.path(posix.resolve(posix.dirname(normPath(path)), fact.target));
      if (to && to.fact.kind !== 'absent' && to.fact.kind !== 'link') {
        const t = infoFromFact({ path: fact.target, type: 'absent' }, to.fact, view, checksum);
        Object.assign(out, { mode: t.mode, owner: t.owner, group: t.group, isDir: t.isDir, isReg: t.isReg, ...(t.size !== undefined ? { size: t.size } : {}) });
      }
      return out;
    }
    case 'exists':
      return host.type !== 'absent' ? host : { path, type: 'file', isReg: true, isDir: false, mode: 0o644, owner: view.actor.user, group: view.actor.group };
  }
}

/**
 * A path the host shows absent and the model does not know, after a change that may have made paths
 * nobody can name (a package whose files are not known): only a real run can tell. Throws the read.
 */
function unknownIfAbsent(path: string, absent: boolean, view: PredictView): void {
  const o = absent ? view.state.pathsOpaque(path) : undefined;
  if (o) throw new UnknownValueError(o.by, `whether ${path} exists`);
}

/** Whether `path`'s parent directory would exist: the model's answer, else the probe's. */
export function overlayParent(path: string, probed: boolean, view: PredictView): boolean {
  const parent = posix.dirname(normPath(path));
  const known = view.state.dirExists(parent);
  if (!known) unknownIfAbsent(parent, !probed, view);
  return known?.fact ?? probed;
}

/** Whether `p` would exist at all (a command's creates/removes, a link's src). */
export function overlayExists(p: string, probed: boolean, view: PredictView): boolean {
  const k = view.state.path(p);
  if (!k) unknownIfAbsent(p, !probed, view);
  return k ? k.fact.kind !== 'absent' : probed;
}

/** The file a content write would leave (copy, template, lineinfile). */
export function writtenFile(attrs: { mode?: ModeSpec; owner?: string; group?: string }, data: Buffer, before: FileInfo, view: PredictView): PathFact {
  const had = before.type === 'file' && before.mode !== undefined;
  const m = attrs.mode === undefined ? undefined : resolveMode(attrs.mode, had ? before.mode : undefined, false);
  return {
    kind: 'file',
    content: data,
    sha256: digest('sha256', data),
    size: data.length,
    mode: m?.ok ? m.mode : had ? before.mode : 0o644,
    owner: attrs.owner ?? (had ? before.owner : view.actor.user),
    group: attrs.group ?? (had ? before.group : view.actor.group),
  };
}
