// copy remote_src: true — the source is already on the host. A file is copied like a controller
// file (same checks, mode and owner rules); a directory is merged as Ansible's copy module does
// (missing entries copied with the source's mode, changed files rewritten, owner/group applied
// to the whole copy, mode to its top). Probe: 1 exec.
import type { Decision, DecideContext, Step } from './types.js';
import { quote } from '../shell-quote.js';
import { fileProbeLines, parseKv, planAttrs, attrSteps } from './fileinfo.js';
import { contentProbeScript, decideContent, parseContentProbe, type ContentArgs, type ContentProbe } from './content-file.js';
import { formatMode } from './mode.js';

export interface RemoteArgs extends ContentArgs {
  src: string;
}

export interface TreeItem { type: 'f' | 'd' | 'l'; mode: number; owner: string; group: string; rel: string; sum?: string; target?: string }

export interface RemoteProbe {
  src: { type: 'file' | 'directory' | 'absent' | 'other'; readable: boolean; checksum?: string; size?: number };
  /** For a file src: the destination as copy resolves it. */
  dest?: ContentProbe;
  /** For a directory src: what the source and the target directory hold, and what dest is. */
  tree?: { srcItems: TreeItem[]; srcMode: number; target: string; targetItems: TreeItem[]; targetExists: boolean; destIsDir: boolean; destParent: boolean; attrPath: string; attr?: ContentProbe['info'] };
}

const base = (p: string): string => p.replace(/\/+$/, '').slice(p.replace(/\/+$/, '').lastIndexOf('/') + 1);

function listing(dir: string): string {
  const d = quote(dir);
  return `if [ -d ${d} ]; then (cd ${d} && find . -mindepth 1 -printf '%y\\t%m\\t%u\\t%g\\t%P\\t%l\\n' && find . -type f -exec sha256sum -- {} + | sed 's/^/S /'); fi`;
}

/** Where a directory src lands: src/ merges into dest; src (no slash) becomes dest/<basename>. */
export function remoteTreeTarget(src: string, dest: string): string {
  const d = dest.replace(/\/+$/, '') || '/';
  return src.endsWith('/') ? d : `${d === '/' ? '' : d}/${base(src)}`;
}

export function remoteProbeScript(a: RemoteArgs): string {
  const s = quote(a.src);
  const target = remoteTreeTarget(a.src, a.dest);
  return [
    `if [ -d ${s} ]; then echo srctype=directory; stat -L -c 'srcmode=%a' -- ${s}; elif [ -f ${s} ]; then echo srctype=file; elif [ -e ${s} ]; then echo srctype=other; else echo srctype=absent; fi`,
    `if [ -r ${s} ]; then echo srcread=yes; fi`,
    `if [ -f ${s} ] && [ -r ${s} ]; then printf 'srcsum='; sha256sum < ${s}; stat -L -c 'srcsize=%s' -- ${s}; echo @@dest; ${contentProbeScript(a.dest, base(a.src), false, a.follow === true)}`,
    `elif [ -d ${s} ]; then`,
    `  d=${quote(a.dest)}; if [ -d "$d" ]; then echo destdir=yes; fi; p=$d; case "$p" in */) p=\${p%/};; esac; [ -n "$p" ] || p=/; d=\${p%/*}; [ -n "$d" ] || d=/; case "$p" in */*) ;; *) d=.;; esac; if [ -d "$d" ]; then echo destparent=yes; fi`,
    `  echo @@src; ${listing(a.src)}; echo @@target; if [ -d ${quote(target)} ]; then echo targetexists=yes; fi; ${listing(target)}`,
    `  echo @@attr; p=${quote(a.dest)}; if [ -d "$p" ] && [ ${quote(a.src.endsWith('/') ? 'slash' : '')} = '' ]; then p=${quote(target)}; fi; ${fileProbeLines()}`,
    'fi',
  ].join('\n');
}

function parseItems(text: string): TreeItem[] {
  const items = new Map<string, TreeItem>();
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('S ')) { const m = /^S ([0-9a-f]+) {2}\.\/(.*)$/.exec(line); if (m) sums.set(m[2]!, m[1]!); continue; }
    const [t, mode, owner, group, rel, target] = line.split('\t');
    if (rel === undefined || (t !== 'f' && t !== 'd' && t !== 'l')) continue;
    items.set(rel, { type: t, mode: parseInt(mode!, 8), owner: owner!, group: group!, rel, ...(t === 'l' ? { target } : {}) });
  }
  for (const [rel, sum] of sums) { const it = items.get(rel); if (it) it.sum = sum; }
  return [...items.values()];
}

export function parseRemoteProbe(stdout: string, a: RemoteArgs): RemoteProbe {
  const [head = '', ...rest] = stdout.split(/^@@(?=dest$|src$|target$|attr$)/m);
  const kv = parseKv(head);
  const sec = (name: string): string => rest.find((r) => r.startsWith(`${name}\n`))?.slice(name.length + 1) ?? '';
  const type = (kv.get('srctype') ?? 'absent') as RemoteProbe['src']['type'];
  const p: RemoteProbe = { src: { type, readable: kv.get('srcread') === 'yes' } };
  if (kv.has('srcsum')) { p.src.checksum = kv.get('srcsum')!.split(/\s/)[0]; p.src.size = Number(kv.get('srcsize')); p.dest = parseContentProbe(sec('dest'), a.dest); }
  if (type === 'directory') {
    const target = sec('target');
    const attr = parseContentProbe(sec('attr'), a.dest).info;
    p.tree = {
      srcItems: parseItems(sec('src')), srcMode: parseInt(kv.get('srcmode') ?? '755', 8), target: remoteTreeTarget(a.src, a.dest),
      targetItems: parseItems(target), targetExists: /^targetexists=yes$/m.test(target),
      destIsDir: kv.get('destdir') === 'yes', destParent: kv.get('destparent') === 'yes', attrPath: attr.path, attr,
    };
  }
  return p;
}

export function decideRemote(a: RemoteArgs, p: RemoteProbe, ctx: DecideContext): Decision {
  if (p.src.type === 'absent') return { kind: 'fail', msg: `Source ${a.src} not found` };
  if (!p.src.readable) return { kind: 'fail', msg: `Source ${a.src} not readable` };
  if (p.src.type === 'other') return { kind: 'fail', msg: `Cannot copy invalid source '${a.src}': not a file` };
  if (p.dest && p.src.checksum !== undefined) {
    return decideContent(a, { remote: a.src, checksum: p.src.checksum, size: p.src.size ?? 0 }, p.dest, ctx);
  }
  if (!p.tree) return { kind: 'fail', msg: `Source ${a.src} could not be read` };
  return decideRemoteTree(a, p.tree);
}

function decideRemoteTree(a: RemoteArgs, t: NonNullable<RemoteProbe['tree']>): Decision {
  if (!t.destIsDir && !t.destParent) return { kind: 'fail', msg: `Destination directory ${a.dest.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/'} does not exist` };
  const steps: Step[] = [];
  const changes: string[] = [];
  const T = t.target;
  const have = new Map(t.targetItems.map((i) => [i.rel, i]));
  const at = (rel: string): string => quote(`${T}/${rel}`);
  const from = (rel: string): string => quote(`${a.src.replace(/\/+$/, '')}/${rel}`);
  if (!t.targetExists) {
    // copytree gives the new top the source's mode; a no-slash src into a missing dest is made with makedirs
    const keep = a.src.endsWith('/') || t.destIsDir ? `chmod -- ${formatMode(t.srcMode)} ${quote(T)}` : ':';
    steps.push({ kind: 'exec', describe: `create ${T}`, cmd: `mkdir -p -- ${quote(T)} && ${keep}`, contained: 'core-utils' });
    changes.push(`create ${T}`);
  }
  for (const s of t.srcItems) {
    const h = have.get(s.rel);
    if (s.type === 'd') {
      if (!h) { steps.push({ kind: 'exec', describe: `create ${T}/${s.rel}`, cmd: `mkdir -- ${at(s.rel)} && chmod -- ${formatMode(s.mode)} ${at(s.rel)}`, contained: 'core-utils' }); changes.push(`create ${s.rel}/`); }
    } else if (s.type === 'l') {
      if (!h) { steps.push({ kind: 'exec', describe: `link ${T}/${s.rel}`, cmd: `ln -s -- ${quote(s.target ?? '')} ${at(s.rel)}`, contained: 'core-utils' }); changes.push(`link ${s.rel}`); }
    } else if (!h || (h.type === 'f' && h.sum !== s.sum)) {
      steps.push({ kind: 'exec', describe: `copy ${s.rel}`, cmd: `cat -- ${from(s.rel)} > ${at(s.rel)} && chmod -- ${formatMode(s.mode)} ${at(s.rel)}`, contained: 'core-utils' });
      changes.push(`${h ? 'update' : 'copy'} ${s.rel}`);
    }
  }
  // chown_recursive: owner and group over everything in the copy
  const srcRels = new Set(t.srcItems.map((i) => i.rel));
  const all = [...t.targetItems.filter((i) => !srcRels.has(i.rel)), ...t.srcItems.map((s) => have.get(s.rel) ?? { ...s, owner: '', group: '' })];
  const ownerOff = a.owner !== undefined && (!t.targetExists || all.some((i) => i.owner !== a.owner));
  const groupOff = a.group !== undefined && (!t.targetExists || all.some((i) => i.group !== a.group));
  if (ownerOff || groupOff) {
    const who = `${ownerOff ? a.owner : ''}${groupOff ? `:${a.group}` : ''}`;
    steps.push({ kind: 'exec', describe: `chown -R ${who} ${T}`, cmd: `chown -R -- ${quote(who)} ${quote(T)}`, contained: 'core-utils' });
    changes.push(`owner/group ${who}`);
  }
  // the module's final set_fs_attributes: mode (and owner/group) on dest, or on dest/<basename> when dest was a directory
  const attrInfo = t.targetExists || t.attrPath !== T ? t.attr : undefined;
  const plan = planAttrs({ mode: a.mode }, attrInfo?.mode !== undefined ? attrInfo : undefined, true);
  if (!plan.ok) return { kind: 'fail', msg: plan.msg };
  if (plan.needMode) { steps.push(...attrSteps(t.attrPath, { mode: a.mode }, plan)); changes.push(`mode ${formatMode(plan.mode!)}`); }
  const result = { dest: T, src: a.src };
  if (steps.length === 0) return { kind: 'noop', reason: `${T} already holds everything in ${a.src} (same content) with the asked owner, group and mode`, result };
  return { kind: 'change', summary: `copy ${a.src} to ${T} on the host: ${changes.join(', ')}`, steps, result };
}
