import { dirname, resolve } from 'node:path';
// Variables for one task on one host, by the documented precedence (runner/vars/merge.ts).
import { magicVars } from '../vars/merge.js';
import { resolveLayers } from '../vars/resolve.js';
import type { InventoryHost, PlanPlay, TaskCommon, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';

/** The Ansible release whose behaviour play follows: content that tests ansible_version sees it. */
export const ANSIBLE_COMPAT_VERSION = { string: '2.14.18', full: '2.14.18', major: 2, minor: 14, revision: 18 } as const;

/** Ansible's default ansible_managed, which templates (only) may use. */
export const ANSIBLE_MANAGED = 'Ansible managed';

/**
 * `scope` holds block and task vars (inner wins). Facts and registered values are data, never
 * templates. `task` adds role_name and role_path for a task of a role.
 */
export function hostTaskVars(ctx: RunContext, play: PlanPlay, host: HostRun, scope?: Vars, task?: Pick<TaskCommon, 'role' | 'baseDir'>): Vars {
  const inv = ctx.inventory.hosts.get(host.name);
  return resolveLayers({
    roleDefaults: play.roleDefaults,
    hostVars: inv?.vars ?? {},
    facts: host.facts,
    playVars: play.vars,
    roleVars: play.roleVars,
    taskVars: scope,
    registered: host.registered,
    extraVars: ctx.plan.extraVars,
    magic: hostMagic(ctx, play, host, inv, task),
  }, `host ${host.name}`, inv?.dataKeys);
}

interface MagicEntry {
  inv: InventoryHost | undefined;
  play: PlanPlay;
  playHosts: number;
  playMagic: Vars;
  role: string | undefined;
  baseDir: string | undefined;
  vars: Vars;
}

const magicOf = new WeakMap<HostRun, MagicEntry>();

/**
 * A host's magic variables, kept from task to task while what they are made of is the same: its
 * inventory entry (add_host replaces it), the play and its host list, the play-wide ones, the role.
 * hostvars and groups are live views, so they need no rebuilding.
 */
function hostMagic(ctx: RunContext, play: PlanPlay, host: HostRun, inv: InventoryHost | undefined, task?: Pick<TaskCommon, 'role' | 'baseDir'>): Vars {
  const playMagic = cachedPlayMagic(ctx, play);
  const role = task?.role;
  const baseDir = role === undefined ? undefined : task?.baseDir;
  const c = magicOf.get(host);
  if (c && c.inv === inv && c.play === play && c.playHosts === play.hosts.length && c.playMagic === playMagic && c.role === role && c.baseDir === baseDir) return c.vars;
  const vars = {
    ...magicVars(ctx.inventory, host.name, play.hosts, (name) => perHostVars(ctx, name)),
    ...playMagic,
    ...(role !== undefined ? { role_name: role, role_path: absolute(baseDir!) } : {}),
  };
  magicOf.set(host, { inv, play, playHosts: play.hosts.length, playMagic, role, baseDir, vars });
  return vars;
}

const absolutes = new Map<string, string>();

/** path.resolve reads the working directory each time; play never changes it. */
function absolute(p: string): string {
  let a = absolutes.get(p);
  if (a === undefined) absolutes.set(p, (a = resolve(p)));
  return a;
}

/**
 * The play-wide magic variables are the same for every host, and change only when a host's status
 * does (setStatus bumps the epoch), or at a new play or batch: built once, not per host and task,
 * which cost O(hosts) arrays per host and task (quadratic in hosts). Frozen: every host sees them.
 */
function cachedPlayMagic(ctx: RunContext, play: PlanPlay): Vars {
  const epoch = ctx.statusEpoch ?? 0;
  const c = ctx.playMagicCache;
  if (c && c.epoch === epoch && c.play === play && c.playRun === ctx.playRun) return c.vars;
  const vars = deepFreeze(playMagic(ctx, play));
  ctx.playMagicCache = { epoch, play, playRun: ctx.playRun, vars };
  return vars;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Ansible's play-wide magic variables: modes, tags, version, the play's hosts that are still in, paths. */
function playMagic(ctx: RunContext, play: PlanPlay): Vars {
  const all = ctx.playRun?.all ?? play.hosts;
  const batch = ctx.playRun?.batch ?? all;
  const inPlay = (n: string) => {
    const s = ctx.hosts.get(n)?.status;
    return s === undefined || s === 'active';
  };
  const playBatch = batch.filter(inPlay);
  return {
    ansible_check_mode: ctx.opts.check,
    ansible_diff_mode: ctx.opts.diff,
    ansible_play_hosts_all: [...all],
    ansible_play_hosts: all.filter(inPlay),
    ansible_play_batch: playBatch,
    play_hosts: playBatch,
    ansible_play_name: play.name,
    ansible_run_tags: ctx.opts.runTags?.length ? [...ctx.opts.runTags] : ['all'],
    ansible_skip_tags: [...(ctx.opts.skipTags ?? [])],
    ansible_version: { ...ANSIBLE_COMPAT_VERSION },
    ansible_forks: ctx.opts.forks,
    playbook_dir: ctx.plan.playbookDir ?? absolute(dirname(ctx.plan.playbook)),
    inventory_file: absolute(ctx.inventory.file),
    inventory_dir: absolute(dirname(ctx.inventory.file)),
  };
}

/**
 * What hostvars[name] shows beyond inventory vars, as documented: its facts, set_fact values and
 * registered results. Read when a template reads it (building it for every host cost O(hosts) per task).
 */
function perHostVars(ctx: RunContext, name: string): Vars | undefined {
  const h = ctx.hosts.get(name);
  return h && { ...h.facts, ...h.registered };
}

export function where(task: TaskCommon): string {
  return `task '${task.name}' (${task.src.file}:${task.src.line})`;
}
