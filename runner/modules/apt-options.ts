// apt's options beyond installing and removing: apt-get flags, upgrade, autoremove, autoclean, clean.
// Whether an upgrade or a cleanup would change anything is read from `apt-get --simulate` in the
// probe (read-only), with the same strings Ansible's apt module screen-scrapes.
import type { Step } from './types.js';
import { quote } from '../shell-quote.js';

export interface AptOptionArgs {
  allow_unauthenticated?: boolean;
  allow_downgrade?: boolean;
  allow_change_held_packages?: boolean;
  force?: boolean;
  default_release?: string;
  dpkg_options?: string;
  fail_on_autoremove?: boolean;
  autoremove?: boolean;
  autoclean?: boolean;
  clean?: boolean;
  upgrade?: 'dist' | 'full' | 'no' | 'safe' | 'yes' | boolean;
  lock_timeout?: number;
}

export type SimOp = 'upgrade' | 'autoremove' | 'autoclean';

/** Ansible: an apt-get run that did nothing prints this. */
export const APT_GET_ZERO = '0 upgraded, 0 newly installed';
const CHANGED_BY: Record<'autoremove' | 'autoclean', string> = { autoremove: 'The following packages will be REMOVED', autoclean: 'Del ' };

export const aptGet = (a: AptOptionArgs): string =>
  `DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=${a.lock_timeout ?? 120}`;

export function dpkgOptions(a: AptOptionArgs): string {
  const opts = (a.dpkg_options ?? 'force-confdef,force-confold').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return opts.map((o) => `-o Dpkg::Options::=--${o}`).join(' ');
}

/** Flags shared by install and upgrade runs. */
export function aptFlags(a: AptOptionArgs): string {
  const f: string[] = [];
  if (a.force) f.push('--force-yes');
  if (a.fail_on_autoremove) f.push('--no-remove');
  if (a.allow_unauthenticated) f.push('--allow-unauthenticated');
  if (a.allow_downgrade) f.push('--allow-downgrades');
  if (a.allow_change_held_packages) f.push('--allow-change-held-packages');
  if (a.default_release !== undefined) f.push('-t', quote(a.default_release));
  return f.length > 0 ? ` ${f.join(' ')}` : '';
}

/** 'no' and false mean no upgrade; true is 'yes'. Without aptitude, yes/safe use apt-get upgrade --with-new-pkgs. */
export function upgradeMode(a: AptOptionArgs): 'safe' | 'dist' | undefined {
  const u = a.upgrade;
  if (u === undefined || u === false || u === 'no') return undefined;
  return u === 'dist' || u === 'full' ? 'dist' : 'safe';
}

function upgradeCommand(a: AptOptionArgs): string {
  const auto = a.autoremove ? ' --auto-remove' : '';
  return upgradeMode(a) === 'dist' ? `dist-upgrade${auto}` : `upgrade --with-new-pkgs${auto}`;
}

// A simulation must write nothing: apt's solver would otherwise log its plan (/var/log/apt/eipp.log.xz).
const SIMULATE = 'LC_ALL=C apt-get -q -y --simulate -o Dir::Log::Planner=/dev/null';

/** The simulations the probe runs for these args (read-only: apt-get --simulate). */
export function simulations(a: AptOptionArgs, hasPackages: boolean): Array<{ op: SimOp; cmd: string }> {
  const sims: Array<{ op: SimOp; cmd: string }> = [];
  const base = `${SIMULATE} ${dpkgOptions(a)}${aptFlags(a)}`;
  if (upgradeMode(a)) sims.push({ op: 'upgrade', cmd: `${base} ${upgradeCommand(a)}` });
  else if (a.autoremove && !hasPackages) sims.push({ op: 'autoremove', cmd: `${SIMULATE} ${a.force ? '--force-yes ' : ''}autoremove` });
  if (a.autoclean && !upgradeMode(a)) sims.push({ op: 'autoclean', cmd: `${SIMULATE} autoclean` });
  return sims;
}

export function simulationScript(a: AptOptionArgs, hasPackages: boolean): string[] {
  return simulations(a, hasPackages).flatMap(({ op, cmd }) => [`echo @@sim-${op}`, `${cmd} 2>&1 || echo "@@sim-failed $?"`]);
}

/** Would the simulated operation change the host? A failed simulation is a failure, with its output. */
export function simulatedChange(op: SimOp, out: string | undefined): { change: boolean } | { error: string } {
  if (out === undefined) return { error: `apt-get --simulate ${op} printed nothing` };
  const failed = /@@sim-failed (\d+)/.exec(out);
  if (failed) return { error: `apt-get --simulate ${op} failed (exit ${failed[1]}): ${out.replace(/@@sim-failed \d+\s*$/, '').trim().split('\n').slice(-3).join(' ')}` };
  if (op === 'upgrade') return { change: !out.includes(APT_GET_ZERO) };
  return { change: out.includes(CHANGED_BY[op]) };
}

export function upgradeStep(a: AptOptionArgs): Step {
  return { kind: 'exec', describe: `apt-get ${upgradeCommand(a)}`, cmd: `${aptGet(a)} ${dpkgOptions(a)}${aptFlags(a)} ${upgradeCommand(a)}` };
}

export function cleanupStep(a: AptOptionArgs & { purge?: boolean }, op: 'autoremove' | 'autoclean'): Step {
  return { kind: 'exec', describe: `apt-get ${op}`, cmd: `${aptGet(a)} ${dpkgOptions(a)}${a.purge && op === 'autoremove' ? ' --purge' : ''}${a.force ? ' --force-yes' : ''} ${op}` };
}

export const cleanStep: Step = { kind: 'exec', describe: 'apt-get clean', cmd: 'apt-get clean' };

/** The JSON Schema entries of these options. */
export const APT_OPTION_PROPERTIES: Record<string, unknown> = {
  allow_unauthenticated: { type: 'boolean' },
  allow_downgrade: { type: 'boolean' },
  allow_change_held_packages: { type: 'boolean' },
  force: { type: 'boolean' },
  default_release: { type: 'string' },
  dpkg_options: { type: 'string' },
  fail_on_autoremove: { type: 'boolean' },
  autoremove: { type: 'boolean' },
  autoclean: { type: 'boolean' },
  clean: { type: 'boolean' },
  upgrade: { anyOf: [{ enum: ['dist', 'full', 'no', 'safe', 'yes'] }, { type: 'boolean' }] },
  lock_timeout: { type: 'integer', minimum: 0 },
  force_apt_get: { type: 'boolean' },
  only_upgrade: { type: 'boolean' },
  update_cache_retries: { type: 'integer', minimum: 1 },
  update_cache_retry_max_delay: { type: 'integer', minimum: 0 },
};

/** Ansible's dashed spellings of these options. */
export const APT_OPTION_ALIASES: Record<string, string> = {
  'allow-unauthenticated': 'allow_unauthenticated',
  'allow-downgrade': 'allow_downgrade',
  allow_downgrades: 'allow_downgrade',
  'allow-downgrades': 'allow_downgrade',
  'default-release': 'default_release',
  'install-recommends': 'install_recommends',
};
