import { dirname, resolve } from 'node:path';
// Variables for one task on one host, by the documented precedence (runner/vars/merge.ts).
import { magicVars, mergeVars } from '../vars/merge.js';
import { resolveVars } from '../vars/resolve.js';
import type { PlanPlay, PlanTask, TaskCommon, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';

const MAGIC = new Set(['hostvars', 'groups', 'group_names', 'play_hosts', 'ansible_play_hosts', 'ansible_facts']);

/** `scope` holds block and task vars (inner wins). */
export function hostTaskVars(ctx: RunContext, play: PlanPlay, host: HostRun, scope?: Vars): Vars {
  const inv = ctx.inventory.hosts.get(host.name);
  const vars = mergeVars({
    roleDefaults: play.roleDefaults,
    hostVars: inv?.vars ?? {},
    facts: host.facts,
    playVars: play.vars,
    roleVars: play.roleVars,
    taskVars: scope,
    registered: host.registered,
    extraVars: ctx.plan.extraVars,
    magic: {
      ...magicVars(ctx.inventory, host.name, play.hosts),
      playbook_dir: resolve(dirname(ctx.plan.playbook)),
      inventory_file: resolve(ctx.inventory.file),
      inventory_dir: resolve(dirname(ctx.inventory.file)),
    },
  });
  return resolveVars(vars, `host ${host.name}`, MAGIC);
}

export function where(task: TaskCommon | PlanTask): string {
  return `task '${task.name}' (${task.src.file}:${task.src.line})`;
}
