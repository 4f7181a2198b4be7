import { dirname, resolve } from 'node:path';
// Variables for one task on one host, by the documented precedence (runner/vars/merge.ts).
import { magicVars } from '../vars/merge.js';
import { resolveLayers } from '../vars/resolve.js';
import type { ConnectionSpec, PlanPlay, PlanTask, TaskCommon, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';

/** `scope` holds block and task vars (inner wins). Facts and registered values are data, never templates. */
export function hostTaskVars(ctx: RunContext, play: PlanPlay, host: HostRun, scope?: Vars): Vars {
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
      ...magicVars(ctx.inventory, host.name, play.hosts, (name) => ctx.hosts.get(name)?.registered),
      playbook_dir: resolve(dirname(ctx.plan.playbook)),
      inventory_file: resolve(ctx.inventory.file),
      inventory_dir: resolve(dirname(ctx.inventory.file)),
    },
  }, `host ${host.name}`, inv?.dataKeys);
}

/**
 * The user a task runs as under become, or null without become: keywords first (task, then play),
 * then the host's ansible_become / -b defaults (ConnectionSpec).
 */
export function becomeUserOf(task: Pick<TaskCommon, 'become' | 'becomeUser'>, play: PlanPlay, spec: Pick<ConnectionSpec, 'become' | 'becomeUser'>): string | null {
  return (task.become ?? play.become ?? spec.become) ? (task.becomeUser ?? play.becomeUser ?? spec.becomeUser ?? 'root') : null;
}

export function where(task: TaskCommon | PlanTask): string {
  return `task '${task.name}' (${task.src.file}:${task.src.line})`;
}
