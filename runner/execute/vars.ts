import { dirname, resolve } from 'node:path';
// Variables for one task on one host, by the documented precedence (runner/vars/merge.ts).
import { magicVars } from '../vars/merge.js';
import { resolveLayers } from '../vars/resolve.js';
import type { PlanPlay, TaskCommon, Vars } from '../types.js';
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
    magic: {
      ...magicVars(ctx.inventory, host.name, play.hosts, (name) => perHostVars(ctx, name)),
      ...playMagic(ctx, play),
      ...(task?.role !== undefined ? { role_name: task.role, role_path: resolve(task.baseDir) } : {}),
      playbook_dir: ctx.plan.playbookDir ?? resolve(dirname(ctx.plan.playbook)),
      inventory_file: resolve(ctx.inventory.file),
      inventory_dir: resolve(dirname(ctx.inventory.file)),
    },
  }, `host ${host.name}`, inv?.dataKeys);
}

/** Ansible's play-wide magic variables: modes, tags, version, and the play's hosts that are still in. */
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
