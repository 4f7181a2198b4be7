// apt: Debian packages. Probe: 1 exec (dpkg-query, cache age, and apt-cache policy / dpkg-deb when needed).
import { defineModule, type Decision, type Step } from './types.js';
import { quote, quoteArgs } from '../shell-quote.js';
import { aptPlanScript, overlayApt, parseAptPlan, parseNames, predictApt, type PlannedPackage } from './apt-plan.js';

export { parseNames } from './apt-plan.js';
import { APT_OPTION_ALIASES, APT_OPTION_PROPERTIES, aptFlags, aptGet, cleanStep, cleanupStep, dpkgOptions, simulatedChange, simulationScript, upgradeMode, upgradeStep, type AptOptionArgs, type SimOp } from './apt-options.js';

export interface AptArgs extends AptOptionArgs {
  name?: string | string[];
  state?: 'present' | 'absent' | 'latest';
  update_cache?: boolean;
  cache_valid_time?: number;
  deb?: string;
  install_recommends?: boolean;
  purge?: boolean;
  only_upgrade?: boolean;
}

export interface PkgStatus {
  installed: boolean;
  version: string;
}

export interface AptProbe {
  packages: Record<string, PkgStatus>;
  /** Seconds since the apt cache was last updated; undefined when never. */
  cacheAge?: number;
  /** From apt-cache policy (state=latest). '' when apt knows no candidate. */
  candidates: Record<string, string>;
  /** From dpkg-deb -f (deb=...). */
  deb?: { pkg: string; version: string };
  /** Output of apt-get --simulate, per operation the args ask for. */
  simulated: Partial<Record<SimOp, string>>;
  /** --check only: what an install would bring (modules/apt-plan.ts). */
  plan?: PlannedPackage[];
}

const FMT = "'${Package}\\t${Status}\\t${Version}\\n'";
const STAMPS = ['/var/lib/apt/periodic/update-success-stamp', '/var/cache/apt/pkgcache.bin'];

export function aptProbeScript(a: AptArgs, check = false, known: (pkg: string) => boolean = () => false): string {
  const pkgs = parseNames(a.name).map((n) => n.pkg);
  const lines = ['echo @@dpkg'];
  if (pkgs.length > 0) lines.push(`dpkg-query -W -f=${FMT} -- ${quoteArgs(pkgs)} 2>/dev/null`);
  if (a.deb !== undefined) {
    lines.push('echo @@deb', `dpkg-deb -f ${quote(a.deb)} Package Version 2>/dev/null`);
    lines.push(`echo @@dpkg`, `dpkg-query -W -f=${FMT} -- "$(dpkg-deb -f ${quote(a.deb)} Package 2>/dev/null)" 2>/dev/null`);
  }
  lines.push('echo @@stamp', `for f in ${STAMPS.join(' ')}; do if [ -e "$f" ]; then stat -c %Y "$f"; fi; done`, 'echo "now=$(date +%s)"');
  if (a.state === 'latest' && pkgs.length > 0) lines.push('echo @@policy', `LC_ALL=C apt-cache policy -- ${quoteArgs(pkgs)} 2>/dev/null`);
  lines.push(...simulationScript(a, pkgs.length > 0 || a.deb !== undefined));
  const plan = pkgs.filter((p) => !known(p));
  if (check && (a.state ?? 'present') !== 'absent' && plan.length > 0) lines.push('echo @@plan', aptPlanScript(plan));
  lines.push('exit 0');
  return lines.join('\n');
}

export function parseAptProbe(stdout: string): AptProbe {
  const p: AptProbe = { packages: {}, candidates: {}, simulated: {} };
  let section = '';
  let stamp = 0;
  let now = 0;
  let policyPkg = '';
  const plan: string[] = [];
  for (const line of stdout.split('\n')) {
    if (section === 'plan') { plan.push(line); continue; }
    if (section.startsWith('sim-')) {
      const op = section.slice(4) as SimOp;
      if (!line.startsWith('@@') || line.startsWith('@@sim-failed')) { p.simulated[op] = `${p.simulated[op] ?? ''}${line}\n`; continue; }
    }
    if (line.startsWith('@@')) { section = line.slice(2); if (section.startsWith('sim-')) p.simulated[section.slice(4) as SimOp] = ''; continue; }
    if (section === 'dpkg') {
      const [pkg, status, version] = line.split('\t');
      if (pkg && status !== undefined) p.packages[pkg] = { installed: / installed$/.test(status), version: version ?? '' };
    } else if (section === 'stamp') {
      if (line.startsWith('now=')) now = Number(line.slice(4));
      else if (/^\d+$/.test(line)) stamp = Math.max(stamp, Number(line));
    } else if (section === 'policy') {
      const head = /^(\S+):$/.exec(line);
      if (head) { policyPkg = head[1]!; p.candidates[policyPkg] = ''; }
      const cand = /^\s+Candidate:\s*(\S+)/.exec(line);
      if (cand && policyPkg) p.candidates[policyPkg] = cand[1] === '(none)' ? '' : cand[1]!;
    } else if (section === 'deb') {
      const m = /^(Package|Version):\s*(.*)$/.exec(line);
      if (m) { p.deb ??= { pkg: '', version: '' }; if (m[1] === 'Package') p.deb.pkg = m[2]!; else p.deb.version = m[2]!; }
    }
  }
  if (stamp > 0 && now > 0) p.cacheAge = Math.max(0, now - stamp);
  if (section === 'plan') p.plan = parseAptPlan(plan);
  return p;
}

const versionOk = (have: string, want: string): boolean => (want.endsWith('*') ? have.startsWith(want.slice(0, -1)) : have === want);

function installFlags(a: AptArgs): string {
  return a.install_recommends === true ? ' -o APT::Install-Recommends=yes' : a.install_recommends === false ? ' --no-install-recommends' : '';
}

const installCmd = (a: AptArgs, what: string): string =>
  `${aptGet(a)}${installFlags(a)} ${dpkgOptions(a)}${aptFlags(a)}${a.autoremove ? ' --auto-remove' : ''}${a.only_upgrade ? ' --only-upgrade' : ''} install ${what}`;

export function decideApt(a: AptArgs, p: AptProbe): Decision {
  const state = a.state ?? 'present';
  const names = parseNames(a.name);
  const upgrade = upgradeMode(a);
  if (names.length === 0 && a.deb === undefined && !a.update_cache && !upgrade && !a.autoremove && !a.autoclean && !a.clean) {
    return { kind: 'fail', msg: 'apt needs one of name, deb, update_cache, upgrade, autoremove, autoclean or clean' };
  }
  if ([names.length > 0, a.deb !== undefined, upgrade !== undefined].filter(Boolean).length > 1) return { kind: 'fail', msg: 'apt: name, deb and upgrade are mutually exclusive' };
  const age = p.cacheAge;
  const stale = a.update_cache === true && (a.cache_valid_time === undefined || age === undefined || age > a.cache_valid_time);
  const update: Step = { kind: 'exec', describe: 'apt-get update', cmd: `${aptGet(a)} update` };
  const ageText = age === undefined ? 'never updated' : `${age} s old`;
  const ok: string[] = [];
  const todo: string[] = [];
  const notes: string[] = [];
  for (const n of names) {
    const have = p.packages[n.pkg];
    const installed = have?.installed === true;
    if (state === 'absent') {
      if (installed) todo.push(n.pkg); else ok.push(`${n.pkg} is not installed`);
    } else if (state === 'latest') {
      const cand = p.candidates[n.pkg];
      if (cand === undefined || cand === '') {
        if (!installed) return { kind: 'fail', msg: `No package matching '${n.pkg}' is available` };
        ok.push(`${n.pkg} ${have.version} is installed (no candidate known)`);
      } else if (installed && have.version === cand) ok.push(`${n.pkg} ${have.version} is the latest`);
      else { todo.push(n.pkg); notes.push(`${n.pkg} ${installed ? have.version : '(none)'} -> ${cand}`); }
    } else if (!installed && a.only_upgrade) {
      ok.push(`${n.pkg} is not installed (only_upgrade)`);
    } else if (installed && (n.version === undefined || versionOk(have.version, n.version))) {
      ok.push(`${n.pkg} ${have.version} is installed`);
    } else {
      todo.push(n.spec);
      notes.push(installed ? `${n.pkg} ${have.version} -> ${n.version}` : n.spec);
    }
  }
  const steps: Step[] = [];
  if (todo.length > 0) {
    if (state === 'absent') steps.push({ kind: 'exec', describe: `remove ${todo.join(' ')}`, cmd: `${aptGet(a)}${a.autoremove ? ' --auto-remove' : ''} ${a.purge ? 'purge' : 'remove'} ${quoteArgs(todo)}` });
    else steps.push({ kind: 'exec', describe: `install ${todo.join(' ')}`, cmd: installCmd(a, quoteArgs(todo)) });
  }
  if (a.deb !== undefined) {
    if (!p.deb || p.deb.pkg === '') return { kind: 'fail', msg: `${a.deb} is not a readable .deb file on the host` };
    const have = p.packages[p.deb.pkg];
    if (have?.installed && have.version === p.deb.version) ok.push(`${p.deb.pkg} ${have.version} from ${a.deb} is installed`);
    else {
      const path = a.deb.includes('/') ? a.deb : `./${a.deb}`;
      steps.push({ kind: 'exec', describe: `install ${a.deb}`, cmd: installCmd(a, quote(path)) });
      notes.push(`${p.deb.pkg} ${have?.installed ? have.version : '(none)'} -> ${p.deb.version} from ${a.deb}`);
    }
  }
  // The cache is refreshed before installing, or on its own when nothing else is asked.
  // With packages already right, a stale cache is left alone (Ansible would refresh it and still say ok).
  for (const op of ['upgrade', 'autoremove', 'autoclean'] as const) {
    if (p.simulated[op] === undefined) continue;
    const sim = simulatedChange(op, p.simulated[op]);
    if ('error' in sim) return { kind: 'fail', msg: sim.error };
    if (sim.change || (op === 'upgrade' && stale)) { steps.push(op === 'upgrade' ? upgradeStep(a) : cleanupStep(a, op)); notes.push(op === 'upgrade' ? `apt-get ${upgrade === 'dist' ? 'dist-upgrade' : 'upgrade'}` : op); }
    else ok.push(op === 'upgrade' ? 'no package to upgrade' : op === 'autoremove' ? 'no package to autoremove' : 'no package file to autoclean');
  }
  const cacheOnly = names.length === 0 && a.deb === undefined && !upgrade && !a.autoremove && !a.autoclean;
  if (stale && (steps.length > 0 || cacheOnly)) steps.unshift(update);
  // clean on its own is always a change, as in Ansible; with other work it runs before that work.
  if (a.clean && (steps.length > 0 || (cacheOnly && !a.update_cache))) { steps.unshift(cleanStep); notes.unshift('apt-get clean'); }
  if (steps.length === 0) {
    const cache = a.update_cache ? (cacheOnly ? `apt cache is ${ageText}, within cache_valid_time ${a.cache_valid_time} s` : 'no cache update needed as nothing changes') : '';
    return { kind: 'noop', reason: [...ok, cache].filter((s) => s !== '').join('; ') };
  }
  const verb = state === 'absent' ? 'remove' : state === 'latest' ? 'upgrade' : 'install';
  const what = todo.length > 0 ? `${verb} ${state === 'absent' ? [todo.join(', '), ...notes].join(', ') : notes.join(', ')}` : notes.join(', ');
  const summary = [stale ? `update apt cache (${ageText})` : '', what].filter((s) => s !== '').join(', ');
  return { kind: 'change', summary, steps };
}

export const aptModule = defineModule<AptArgs, AptProbe>({
  name: 'apt',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      state: { enum: ['present', 'absent', 'latest'] },
      update_cache: { type: 'boolean' },
      cache_valid_time: { type: 'integer', minimum: 0 },
      deb: { type: 'string' },
      install_recommends: { type: 'boolean' },
      purge: { type: 'boolean' },
      ...APT_OPTION_PROPERTIES,
    },
  },
  normalize(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const alias of ['pkg', 'package']) if (alias in r) { r.name ??= r[alias]; delete r[alias]; }
    for (const [dashed, name] of Object.entries({ 'update-cache': 'update_cache', ...APT_OPTION_ALIASES })) {
      if (dashed in r) { r[name] ??= r[dashed]; delete r[dashed]; }
    }
    return r;
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(aptProbeScript(args, ctx.check === true, (p) => ctx.predicted?.state.pkg(p) !== undefined));
    return parseAptProbe(r.stdout);
  },
  overlay: overlayApt,
  predict: (args, probe, d) => predictApt(args, probe, d),
  decide: (args, probe) => decideApt(args, probe),
});
