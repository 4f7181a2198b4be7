// One task across a play's hosts, in parallel up to --forks: outcomes, tallies, notifications, events;
// run_once, any_errors_fatal and max_fail_percentage, which act on the whole batch.
import { assertNever } from '../errors.js';
import { unknownSummary } from '../predict/unknown.js';
import type { Outcome, PlanPlay, PlanTask } from '../types.js';
import { addHostToInventory } from './add-host.js';
import type { HostRun, RunContext } from './context.js';
import { ROOT_SCOPE, runOnceOf, throttleOf, type Scope } from './keywords.js';
import { mapLimit } from './pool.js';
import { runTaskOnHost, type TaskRun } from './task.js';
import { settleAhead } from './ahead.js';
import type { NextTask } from './ahead-run.js';
import { hostTaskVars, where } from './vars.js';
import { notifyNames } from './notify-names.js';

export async function runTaskAcross(ctx: RunContext, play: PlanPlay, task: PlanTask, hosts: HostRun[], handler: boolean, scope: Scope = ROOT_SCOPE, next?: NextTask): Promise<HostRun[]> {
  const once = hosts.length > 0 && runOnce(ctx, play, task, hosts[0]!, scope);
  // run_once: the batch's first host runs it; its result stands for every host (below)
  const runners = once ? hosts.slice(0, 1) : hosts;
  ctx.emit({ kind: 'task_start', taskId: task.id, name: task.name, role: task.role, src: task.src, hosts: runners.map((h) => h.name), handler });
  const failed: HostRun[] = [];
  const runs = new Map<HostRun, TaskRun>();
  const taskScope = task.vars ? { ...scope, vars: { ...scope.vars, ...task.vars } } : scope;
  const throttle = runners.length > 0 ? throttleFor(ctx, play, task, runners[0]!, scope) : 0;
  await mapLimit(runners, throttle > 0 ? Math.min(throttle, ctx.opts.forks) : ctx.opts.forks, async (host) => {
    const started = Date.now();
    const run = await runTaskOnHost(ctx, play, task, host, taskScope, handler ? undefined : next);
    settleAhead(host, run.outcome);
    runs.set(host, run);
    const ms = Date.now() - started;
    host.tally.ms += ms;
    count(host, run.outcome, run.ignored);
    // an unknown outcome may be a change: its handlers join the plan too
    if (run.outcome.status === 'changed' || run.outcome.status === 'unknown') {
      for (const n of notifyNames(task.notify, () => hostTaskVars(ctx, play, host, taskScope.vars, task), where(task))) notify(ctx, play, host, n);
    }
    for (const add of run.addHosts ?? []) addHostToInventory(ctx.inventory, add);
    if (run.outcome.status === 'unreachable') {
      host.status = 'unreachable';
      ctx.emit({ kind: 'host_unreachable', host: host.name, msg: run.outcome.msg, taskId: task.id, task: task.name });
    }
    if (run.outcome.status === 'failed' && !run.ignored) {
      host.status = 'failed';
      failed.push(host);
    }
    const noLog = run.keywords?.noLog ?? false;
    const outcome = noLog ? hideOutput(run.outcome) : run.outcome;
    const message = noLog ? undefined : run.message;
    const failure = outcome.status === 'failed' && !noLog ? failureDetail(run.result) : undefined;
    ctx.emit({ kind: 'host_result', taskId: task.id, task: task.name, host: host.name, outcome, ms, message, ...(failure ? { failure } : {}) });
  });
  const first = runs.get(hosts[0]!);
  if (once && first) shareRunOnce(task, hosts.slice(1), first);
  haltOnFatal(ctx, [...runs], once, scope);
  haltOverMaxFail(ctx, play, failed, scope);
  await ctx.state?.flush();
  ctx.emit({ kind: 'task_end', taskId: task.id });
  return failed;
}

/** run_once, rendered with the first host's vars; a bad value is left to each host's run, which fails on it. */
function runOnce(ctx: RunContext, play: PlanPlay, task: PlanTask, first: HostRun, scope: Scope): boolean {
  try {
    return runOnceOf({ play, blocks: scope.blocks }, task, () => hostTaskVars(ctx, play, first, { ...scope.vars, ...task.vars }, task), where(task));
  } catch {
    return false;
  }
}

/** throttle; a bad value leaves the task unthrottled (each host's run fails on it). */
function throttleFor(ctx: RunContext, play: PlanPlay, task: PlanTask, first: HostRun, scope: Scope): number {
  try {
    return throttleOf({ play, blocks: scope.blocks }, task, () => hostTaskVars(ctx, play, first, { ...scope.vars, ...task.vars }, task), where(task));
  } catch {
    return 0;
  }
}

/** As Ansible: the registered result and set_fact values of a run_once task belong to every host of the batch. */
function shareRunOnce(task: PlanTask, others: HostRun[], run: TaskRun): void {
  for (const h of others) {
    if (task.register) h.registered[task.register] = run.result;
    if (run.setVars) Object.assign(h.registered, run.setVars);
  }
}

/**
 * any_errors_fatal (or a failed run_once, which Ansible treats the same): where a host failed, every
 * other host of the batch is halted, and no later play runs. As in Ansible 2.14, a failure that a
 * rescue takes over is no failure here, and hosts in a rescue or always section are spared.
 */
function haltOnFatal(ctx: RunContext, runs: Array<[HostRun, TaskRun]>, once: boolean, scope: Scope): void {
  const unreachable = runs.filter(([, r]) => r.outcome.status === 'unreachable');
  const failed = scope.rescuable ? [] : runs.filter(([, r]) => r.outcome.status === 'failed' && !r.ignored);
  const bad = [...failed, ...unreachable];
  const fatal = bad.some(([, r]) => (r.keywords?.anyErrorsFatal || once) && !r.keywords?.ignoreErrors);
  if (!fatal || scope.section !== 'block') return;
  const failing = new Set(bad.map(([h]) => h));
  for (const h of batchHosts(ctx)) if (h.status === 'active' && !failing.has(h)) h.status = 'halted';
  ctx.breakPlay = true;
}

/** max_fail_percentage: once more of the batch failed than it allows, the rest of the batch is halted. */
function haltOverMaxFail(ctx: RunContext, play: PlanPlay, failedNow: HostRun[], scope: Scope): void {
  if (play.maxFailPercentage === undefined) return;
  const batch = batchHosts(ctx);
  if (batch.length === 0) return;
  // a failure a rescue takes over does not count, as in Ansible, nor one from an earlier play
  const spared = new Set(scope.rescuable ? failedNow : []);
  const started = ctx.playRun?.startedActive;
  const failedCount = batch.filter((h) => h.status === 'failed' && !spared.has(h) && (!started || started.has(h.name))).length;
  if (failedCount / batch.length <= play.maxFailPercentage / 100) return;
  for (const h of batch) if (h.status === 'active') h.status = 'halted';
  ctx.breakPlay = true;
}

function batchHosts(ctx: RunContext): HostRun[] {
  return (ctx.playRun?.batch ?? []).flatMap((n) => ctx.hosts.get(n) ?? []);
}

/** What a failed command left behind, for --json consumers: rc, stdout, stderr (masked like everything else). */
function failureDetail(r: Record<string, unknown>): { rc?: number; stdout?: string; stderr?: string } | undefined {
  const d = {
    ...(typeof r.rc === 'number' ? { rc: r.rc } : {}),
    ...(typeof r.stdout === 'string' ? { stdout: r.stdout } : {}),
    ...(typeof r.stderr === 'string' ? { stderr: r.stderr } : {}),
  };
  return Object.keys(d).length ? d : undefined;
}

function notify(ctx: RunContext, play: PlanPlay, host: HostRun, name: string): void {
  for (const h of play.handlers) {
    if (h.name !== name && !(h.listen ?? []).includes(name)) continue;
    host.notified.add(h.id);
    if (host.identity && !ctx.opts.check) ctx.state?.notify(host.identity, host.name, h.id);
  }
}

function count(host: HostRun, outcome: Outcome, ignored: boolean): void {
  const t = host.tally;
  switch (outcome.status) {
    case 'ok': t.ok++; break;
    case 'changed': t.changed++; break;
    case 'skipped': if (outcome.why === 'done-before') t.doneBefore++; else t.skipped++; break;
    case 'failed': if (ignored) { t.ok++; t.ignored++; } else t.failed++; break;
    case 'unreachable': t.unreachable++; break;
    case 'unknown': t.unknown++; break;
    default: assertNever(outcome, 'outcome');
  }
}

function hideOutput(o: Outcome): Outcome {
  if (o.status === 'changed') return { status: 'changed', summary: 'output hidden by no_log' };
  if (o.status === 'failed') return { status: 'failed', msg: 'output hidden by no_log' };
  if (o.status === 'ok') return { status: 'ok', reason: 'output hidden by no_log' };
  if (o.status === 'unknown') return { status: 'unknown', summary: unknownSummary(o.dependsOn), dependsOn: o.dependsOn };
  return o;
}
