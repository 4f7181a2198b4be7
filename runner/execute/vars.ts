// Variables for one task on one host, by the documented precedence (runner/vars/merge.ts).
import { magicVars, mergeVars } from '../vars/merge.js';
import type { PlanPlay, PlanTask, TaskCommon, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';

export function hostTaskVars(ctx: RunContext, play: PlanPlay, host: HostRun, extra?: Vars): Vars {
  const inv = ctx.inventory.hosts.get(host.name);
  const vars = mergeVars({
    roleDefaults: play.roleDefaults,
    hostVars: inv?.vars ?? {},
    facts: host.facts,
    playVars: play.vars,
    roleVars: play.roleVars,
    registered: host.registered,
    extraVars: ctx.plan.extraVars,
    magic: { ...magicVars(ctx.inventory, host.name, play.hosts), playbook_dir: ctx.plan.playbook },
  });
  return extra ? { ...vars, ...extra } : vars;
}

export function where(task: TaskCommon | PlanTask): string {
  return `task '${task.name}' (${task.src.file}:${task.src.line})`;
}
