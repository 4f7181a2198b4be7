// One task across a play's hosts, in parallel up to --forks: outcomes, tallies, notifications, events.
import { assertNever } from '../errors.js';
import type { Outcome, PlanPlay, PlanTask, Vars } from '../types.js';
import { addHostToInventory } from './add-host.js';
import type { HostRun, RunContext } from './context.js';
import { mapLimit } from './pool.js';
import { runTaskOnHost } from './task.js';
import { settleAhead } from './ahead.js';
import type { NextTask } from './module-run.js';

export async function runTaskAcross(ctx: RunContext, play: PlanPlay, task: PlanTask, hosts: HostRun[], handler: boolean, scope: Vars = {}, next?: NextTask): Promise<HostRun[]> {
  ctx.emit({ kind: 'task_start', taskId: task.id, name: task.name, role: task.role, src: task.src, hosts: hosts.map((h) => h.name), handler });
  const failed: HostRun[] = [];
  await mapLimit(hosts, ctx.opts.forks, async (host) => {
    const started = Date.now();
    const run = await runTaskOnHost(ctx, play, task, host, task.vars ? { ...scope, ...task.vars } : scope, handler ? undefined : next);
    settleAhead(host, run.outcome);
    const ms = Date.now() - started;
    host.tally.ms += ms;
    count(host, run.outcome, run.ignored);
    if (run.outcome.status === 'changed') for (const n of task.notify) notify(ctx, play, host, n);
    for (const add of run.addHosts ?? []) addHostToInventory(ctx.inventory, add);
    if (run.outcome.status === 'unreachable') {
      host.status = 'unreachable';
      ctx.emit({ kind: 'host_unreachable', host: host.name, msg: run.outcome.msg, taskId: task.id, task: task.name });
    }
    if (run.outcome.status === 'failed' && !run.ignored) {
      host.status = 'failed';
      failed.push(host);
    }
    const outcome = task.noLog ? hideOutput(run.outcome) : run.outcome;
    const message = task.noLog ? undefined : run.message;
    const failure = outcome.status === 'failed' && !task.noLog ? failureDetail(run.result) : undefined;
    ctx.emit({ kind: 'host_result', taskId: task.id, task: task.name, host: host.name, outcome, ms, message, ...(failure ? { failure } : {}) });
  });
  await ctx.state?.flush();
  ctx.emit({ kind: 'task_end', taskId: task.id });
  return failed;
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
    default: assertNever(outcome, 'outcome');
  }
}

function hideOutput(o: Outcome): Outcome {
  if (o.status === 'changed') return { status: 'changed', summary: 'output hidden by no_log' };
  if (o.status === 'failed') return { status: 'failed', msg: 'output hidden by no_log' };
  if (o.status === 'ok') return { status: 'ok', reason: 'output hidden by no_log' };
  return o;
}
