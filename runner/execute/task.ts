// One task on one host: conditions, loop, render, state, probe, decide, apply, register.
import { RenderError } from '../errors.js';
import type { Effects } from '../modules/types.js';
import { renderValue } from '../render/template.js';
import { resolvePending } from '../vars/resolve.js';
import type { Outcome, PlanPlay, PlanTask, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';
import { conditionFalse, conditionsHold } from './conditions.js';
import { taskFailure } from './failure.js';
import { delegated } from './ahead.js';
import { commitRecord, runModuleOnce, type ItemRun, type NextTask } from './module-run.js';
import { becomeUserOf, hostTaskVars, where } from './vars.js';

export interface TaskRun extends Pick<Effects, 'addHosts' | 'message'> {
  outcome: Outcome;
  result: Record<string, unknown>;
  /** True when the outcome is a failure the task chose to ignore. */
  ignored: boolean;
}

export async function runTaskOnHost(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, scope: Vars = {}, next?: NextTask): Promise<TaskRun> {
  const at = where(task);
  try {
    const vars = hostTaskVars(ctx, play, host, scope);
    if (!conditionsHold(task.when, vars, at)) {
      return finish(ctx, task, host, { status: 'skipped', why: 'condition', detail: conditionFalse('when', task.when) }, { changed: false, skipped: true });
    }
    const items = task.loop === undefined ? null : loopItems(renderValue(task.loop, vars, at), at);
    if (items === null) {
      // the next task's probe may travel with this apply only when it is the last thing this task sends
      const carry = next && !task.until?.length && !delegated(task) ? next : undefined;
      const one = await withRetries(ctx, play, task, host, vars, undefined, carry);
      return finish(ctx, task, host, one.outcome, one.result, one);
    }
    const runs: ItemRun[] = [];
    for (const [index, item] of items.entries()) {
      const itemVars = resolvePending({ ...vars, item, ansible_loop: { index: index + 1, index0: index } }, at);
      runs.push(await withRetries(ctx, play, task, host, itemVars, String(index)));
      if (runs.at(-1)!.outcome.status === 'unreachable') break;
    }
    return finish(ctx, task, host, foldItems(runs), {
      changed: runs.some((r) => r.outcome.status === 'changed'),
      failed: runs.some((r) => r.outcome.status === 'failed'),
      results: runs.map((r) => r.result),
    }, foldEffects(runs));
  } catch (err) {
    // The boundary for what fails outside one module run (vars, when, loop): still this host's result.
    const f = taskFailure(err, { host: host.name, task, loginUser: host.spec.user, become: becomeUserOf(task, play, host.spec) });
    if (f.kind === 'rethrow') throw err;
    if (f.kind === 'unreachable') return finish(ctx, task, host, { status: 'unreachable', msg: f.msg }, { changed: false, unreachable: true });
    return finish(ctx, task, host, { status: 'failed', msg: f.msg }, { changed: false, failed: true, msg: f.msg });
  }
}

/** Runs one item until `until` holds; only the final run is recorded (a record is a promise that it is done). */
async function withRetries(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, vars: Vars, itemKey?: string, next?: NextTask): Promise<ItemRun> {
  const run = await attempt(ctx, play, task, host, vars, itemKey, next);
  commitRecord(ctx, play, task, run);
  return run;
}

async function attempt(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, vars: Vars, itemKey?: string, next?: NextTask): Promise<ItemRun> {
  const attempts = task.until?.length ? (task.retries ?? 3) + 1 : 1;
  let run: ItemRun | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    run = await runModuleOnce(ctx, play, task, host, vars, itemKey, next);
    if (!task.until?.length || run.outcome.status === 'unreachable') return run;
    const withResult = task.register ? { ...vars, [task.register]: run.result } : vars;
    if (run.outcome.status !== 'failed' && conditionsHold(task.until, withResult, where(task))) return run;
    if (attempt < attempts) await sleep((task.delaySec ?? 5) * 1000);
  }
  const last = run!;
  if (last.outcome.status === 'failed') return last;
  const msg = `until: ${task.until!.join(' and ')} still false after ${attempts} attempts`;
  return { outcome: { status: 'failed', msg }, result: { ...last.result, failed: true, msg, attempts } };
}

function finish(_ctx: RunContext, task: PlanTask, host: HostRun, outcome: Outcome, result: Record<string, unknown>, fx: Effects = {}): TaskRun {
  const failed = outcome.status === 'failed';
  const ignored = failed && task.ignoreErrors;
  const full = { changed: outcome.status === 'changed', failed, ...result };
  if (task.register) host.registered[task.register] = full;
  if (fx.setVars && !failed) Object.assign(host.registered, fx.setVars);
  const run: TaskRun = { outcome, result: full, ignored };
  if (fx.addHosts?.length && !failed) run.addHosts = fx.addHosts;
  if (fx.message !== undefined) run.message = fx.message;
  return run;
}

function foldEffects(runs: ItemRun[]): Effects {
  const addHosts = runs.flatMap((r) => r.addHosts ?? []);
  const messages = runs.flatMap((r) => (r.message === undefined ? [] : [r.message]));
  const fx: Effects = { setVars: Object.assign({}, ...runs.map((r) => r.setVars ?? {})) };
  if (addHosts.length) fx.addHosts = addHosts;
  if (messages.length) fx.message = messages.join('\n');
  return fx;
}

function foldItems(runs: ItemRun[]): Outcome {
  const bad = runs.find((r) => r.outcome.status === 'unreachable' || r.outcome.status === 'failed');
  if (bad) return bad.outcome;
  const changed = runs.filter((r) => r.outcome.status === 'changed');
  if (changed.length) {
    const diffs = changed.map((r) => (r.outcome.status === 'changed' ? r.outcome.diff : undefined)).filter(Boolean);
    return { status: 'changed', summary: `${changed.length} of ${runs.length} items changed`, diff: diffs.length ? diffs.join('\n') : undefined };
  }
  if (runs.length === 0) return { status: 'skipped', why: 'condition', detail: 'loop has no items' };
  if (runs.every((r) => r.outcome.status === 'skipped')) return runs[0]!.outcome;
  return { status: 'ok', reason: `all ${runs.length} items already in place` };
}

function loopItems(value: unknown, at: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return Object.entries(value).map(([key, v]) => ({ key, value: v }));
  throw new RenderError(`loop: expected a list, got ${value === null ? 'null' : typeof value}`, at);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
