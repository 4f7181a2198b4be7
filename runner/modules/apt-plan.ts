// --check for apt: which packages an install would bring (apt-get -s, read-only) and, from the .debs
// already in the host's apt cache, the paths they would put there (apt's planner log goes to /dev/null:
// even a simulation writes /var/log/apt/eipp.log.xz otherwise). The paths join the predicted state,
// so a later task writing into a package's directory, or starting its service, is planned, not failed.
import { quoteArgs } from '../shell-quote.js';
import type { PredictedEffect, PredictView } from './types.js';
import type { PathFact } from '../predict/model.js';
import type { AptArgs, AptProbe } from './apt.js';

export interface PlannedPackage {
  name: string;
  version: string;
  /** What the cached .deb holds; undefined when the .deb is not in the cache. */
  files?: Array<{ path: string; fact: PathFact }>;
}

/** Shell lines printing @@inst NAME VERSION, then the cached .deb's listing (@@files) or @@nodeb. */
export function aptPlanScript(pkgs: string[]): string {
  if (pkgs.length === 0) return ':';
  return [
    `LC_ALL=C apt-get -s -q -o Dir::Log::Planner=/dev/null install -- ${quoteArgs(pkgs)} 2>/dev/null | sed -n 's/^Inst \\([^ ]*\\) \\(\\[[^]]*\\] \\)\\{0,1\\}(\\([^ ]*\\) .*/\\1 \\3/p' | while read -r p v; do`,
    '  echo "@@inst $p $v"; e=$(printf %s "$v" | sed \'s/:/%3a/\')',
    '  f=; for c in /var/cache/apt/archives/"$p"_"$e"_*.deb; do if [ -f "$c" ]; then f=$c; break; fi; done',
    '  if [ -n "$f" ]; then echo @@files; dpkg-deb -c "$f" 2>/dev/null; else echo @@nodeb; fi',
    'done',
  ].join('\n');
}

const PERM: Record<string, number> = { r: 4, w: 2, x: 1 };

/** "-rwxr-xr-x" -> 0o755 (setuid/setgid/sticky included). */
export function modeOf(s: string): number {
  let m = 0;
  for (let i = 0; i < 3; i++) {
    const part = s.slice(1 + i * 3, 4 + i * 3);
    let bits = 0;
    for (const c of part) bits |= PERM[c] ?? (c === 's' || c === 't' ? 1 : 0);
    m |= bits << (6 - i * 3);
    if (/[sS]/.test(part[2] ?? '') && i < 2) m |= i === 0 ? 0o4000 : 0o2000;
    if (/[tT]/.test(part[2] ?? '') && i === 2) m |= 0o1000;
  }
  return m;
}

/** One line of `dpkg-deb -c`. */
export function parseDebEntry(line: string): { path: string; fact: PathFact } | undefined {
  const m = /^([-dlhcbps])([-rwxsStT]{9})\s+(\S+)\/(\S+)\s+\d+\s+\S+\s+\S+\s+\.(\/.*?)(?: -> (.*)| link to .*)?$/.exec(line);
  if (!m) return undefined;
  const [, type, perms, owner, group, raw, target] = m;
  const path = raw!.length > 1 ? raw!.replace(/\/$/, '') : '/';
  if (path === '/') return undefined;
  const mode = modeOf(`-${perms}`);
  if (type === 'd') return { path, fact: { kind: 'directory', fresh: false } };
  if (type === 'l') return { path, fact: { kind: 'link', target: target ?? '', owner, group } };
  return { path, fact: { kind: 'file', mode, owner, group } };
}

/** Parses the @@inst/@@files/@@nodeb section of the probe. */
export function parseAptPlan(lines: string[]): PlannedPackage[] {
  const out: PlannedPackage[] = [];
  let cur: PlannedPackage | undefined;
  for (const line of lines) {
    const inst = /^@@inst (\S+) (\S+)$/.exec(line);
    if (inst) { cur = { name: inst[1]!, version: inst[2]! }; out.push(cur); continue; }
    if (!cur) continue;
    if (line === '@@files') { cur.files = []; continue; }
    if (line === '@@nodeb') continue;
    const e = cur.files ? parseDebEntry(line) : undefined;
    if (e) cur.files!.push(e);
  }
  return out;
}

/** --check: the packages as earlier tasks would have left them, and a cache refreshed by one. */
export function overlayApt(a: AptArgs, p: AptProbe, view: PredictView): AptProbe {
  const packages = { ...p.packages };
  for (const n of parseNames(a.name)) {
    const k = view.state.pkg(n.pkg);
    if (k) packages[n.pkg] = { installed: k.fact.installed, version: k.fact.version ?? packages[n.pkg]?.version ?? '' };
  }
  const out: AptProbe = { ...p, packages };
  if (view.state.pkg(APT_CACHE)) out.cacheAge = 0;
  return out;
}

/** A pseudo package: the apt cache, refreshed by an earlier task of this run. */
const APT_CACHE = '@apt-cache';

/**
 * --check: installed or removed packages, the paths of the ones whose .deb is cached, and an opaque
 * effect: maintainer scripts add users and start services the model cannot see.
 */
export function predictApt(a: AptArgs, p: AptProbe, d: { steps: Array<{ describe: string }> }): PredictedEffect[] {
  const out: PredictedEffect[] = [];
  if (d.steps.some((s) => s.describe === 'apt-get update')) out.push({ kind: 'package', name: APT_CACHE, fact: { installed: true } });
  const absent = (a.state ?? 'present') === 'absent';
  const planned = p.plan ?? [];
  for (const n of parseNames(a.name)) {
    const v = planned.find((x) => x.name === n.pkg)?.version ?? n.version ?? p.candidates[n.pkg];
    out.push({ kind: 'package', name: n.pkg, fact: absent ? { installed: false } : { installed: true, ...(v ? { version: v } : {}) } });
  }
  if (!absent) {
    for (const x of planned) {
      if (!out.some((e) => e.kind === 'package' && e.name === x.name)) out.push({ kind: 'package', name: x.name, fact: { installed: true, version: x.version } });
      for (const f of x.files ?? []) out.push({ kind: 'path', path: f.path, fact: f.fact });
    }
  }
  const what = `${absent ? 'remove' : 'install'} ${parseNames(a.name).map((n) => n.pkg).join(', ') || a.deb || 'packages'}`;
  const unlisted = absent || a.deb !== undefined || planned.length === 0 || planned.some((x) => !x.files);
  if (parseNames(a.name).length > 0 || a.deb !== undefined) out.push({ kind: 'opaque', what: `${what}: maintainer scripts${unlisted ? ', files not in the apt cache' : ''}`, paths: unlisted });
  return out;
}

/** "a,b" and ["a", "b=1.2"] -> [{pkg, version?}]. */
export function parseNames(name: AptArgs['name']): { spec: string; pkg: string; version?: string }[] {
  const list = name === undefined ? [] : Array.isArray(name) ? name : [name];
  return list.flatMap((n) => n.split(',')).map((s) => s.trim()).filter((s) => s !== '').map((spec) => {
    const i = spec.indexOf('=');
    return i > 0 ? { spec, pkg: spec.slice(0, i), version: spec.slice(i + 1) } : { spec, pkg: spec };
  });
}
