// One task on one host: conditions, loop, render, state, probe, decide, apply, register.
import { RenderError } from '../errors.js';
import type { Effects } from '../modules/types.js';
import { renderValue } from '../render/template.js';
import { resolvePending } from '../vars/resolve.js';
import type { Outcome, PlanPlay, PlanTask, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';
import { conditionFalse, conditionsHold } from './conditions.js';
import { taskFailure } from './failure.js';
import { commitRecord, runModuleOnce, unknownRun, type ItemRun } from './module-run.js';
import { notifyNames } from './notify-names.js';
import type { NextTask } from './ahead-run.js';
import { getModule } from '../modules/registry.js';
import { asUnknown, unknownValue } from '../predict/unknown.js';
import { hostTaskVars, where } from './vars.js';
import { ROOT_SCOPE, taskKeywords, type Scope, type TaskKeywords } from './keywords.js';
import { hostRun } from './conns.js';
import { expandLoop, itemResultKeys, LoopError, loopItemVars } from '../load/loops.js';
import { localLoopFs } from './loop-fs.js';
import { dirname, resolve } from 'node:path';

export interface TaskRun extends Pick<Effects, 'addHosts' | 'message'> {
  outcome: Outcome;
  result: Record<string, unknown>;
  /** True when the outcome is a failure the task chose to ignore. */
  ignored: boolean;
  /** The task's keywords on this host, once they could be rendered. */
  keywords?: TaskKeywords;
  /** set_fact values given to this host (run_once gives them to the batch). */
  setVars?: Record<string, unknown>;
}

export async function runTaskOnHost(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, scope: Scope = ROOT_SCOPE, next?: NextTask): Promise<TaskRun> {
  const at = where(task);
  const chain = { play, blocks: scope.blocks };
  let kw: TaskKeywords | undefined;
  try {
    const vars = hostTaskVars(ctx, play, host, scope.vars, task);
    if (!conditionsHold(task.when, vars, at)) {
      return finish(ctx, task, host, { status: 'skipped', why: 'condition', detail: conditionFalse('when', task.when) }, { changed: false, skipped: true });
    }
    const items = task.loop === undefined ? null : loopItems(ctx, task, vars, at);
    if (items === null) {
      kw = taskKeywords(chain, task, vars, host.spec, ctx.opts, at);
      // the next task's probe may travel with this apply only when it is the last thing this task sends, on this host
      const carry = next && !task.until?.length && kw.delegateTo === undefined && !kw.runOnce && !kw.check ? next : undefined;
      const one = await withRetries(ctx, play, task, host, vars, kw, undefined, carry);
      return finish(ctx, task, host, one.outcome, one.result, one, kw);
    }
    const runs: ItemRun[] = [];
    const lc = task.loopControl;
    for (const index of items.keys()) {
      if (index > 0 && lc?.pause) await sleep(lc.pause * 1000);
      const itemVars = resolvePending({ ...vars, ...loopItemVars(lc, items, index) }, at);
      // keywords may use the item (delegate_to: "{{ item }}"), as in Ansible; the first item's stand for the task
      const itemKw = taskKeywords(chain, task, itemVars, host.spec, ctx.opts, at);
      kw ??= itemKw;
      const run = await withRetries(ctx, play, task, host, itemVars, itemKw, String(index));
      const label = lc?.label === undefined ? undefined : String(renderValue(lc.label, itemVars, at));
      runs.push({ ...run, result: { ...run.result, ...itemResultKeys(lc, items, index, label) } });
      if (run.outcome.status === 'unreachable') break;
    }
    kw ??= keywordsOrNone(() => taskKeywords(chain, task, vars, host.spec, ctx.opts, at), task);
    return finish(ctx, task, host, foldItems(runs), {
      changed: runs.some((r) => r.outcome.status === 'changed'),
      failed: runs.some((r) => r.outcome.status === 'failed'),
      results: runs.map((r) => r.result),
    }, foldEffects(runs), kw);
  } catch (err) {
    // --check: a `when`, a loop, vars or keywords that read a value only a real run would produce
    const unknown = asUnknown(err);
    if (unknown) {
      const u = unknownRun(unknown.dependsOn, `reads ${unknown.what}`);
      return finish(ctx, task, host, u.outcome, u.result, { unknownResult: u.unknownResult }, kw);
    }
    // The boundary for what fails outside one module run (vars, when, loop, keywords): still this host's result.
    const f = taskFailure(err, { host: host.name, task, loginUser: host.spec.user, become: kw?.become ?? null });
    if (f.kind === 'rethrow') throw err;
    if (f.kind === 'unreachable') return finish(ctx, task, host, { status: 'unreachable', msg: f.msg }, { changed: false, unreachable: true }, {}, kw);
    return finish(ctx, task, host, { status: 'failed', msg: f.msg }, { changed: false, failed: true, msg: f.msg }, {}, kw ?? unrendered(task));
  }
}

/** An empty loop's keywords, which may need an item: without one, none apply. */
function keywordsOrNone(render: () => TaskKeywords, task: PlanTask): TaskKeywords {
  try {
    return render();
  } catch {
    return unrendered(task);
  }
}

/** Where the keywords could not be rendered (the failure says why): only a literal no_log: true still hides. */
function unrendered(task: PlanTask): TaskKeywords {
  const noLog = (task.keywords?.no_log ?? task.noLog) === true;
  return { become: null, check: false, diff: false, noLog, ignoreErrors: false, delegateFacts: false, runOnce: false, anyErrorsFatal: false, moduleDefaults: [] };
}

/** Runs one item until `until` holds; only the final run is recorded (a record is a promise that it is done). */
async function withRetries(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, vars: Vars, kw: TaskKeywords, itemKey?: string, next?: NextTask): Promise<ItemRun> {
  const run = await attempt(ctx, task, host, vars, kw, itemKey, next);
  commitRecord(ctx, play, task, run, notifyNames(task.notify, () => vars, where(task)));
  return run;
}

async function attempt(ctx: RunContext, task: PlanTask, host: HostRun, vars: Vars, kw: TaskKeywords, itemKey?: string, next?: NextTask): Promise<ItemRun> {
  const attempts = task.until?.length ? (task.retries ?? 3) + 1 : 1;
  let run: ItemRun | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    run = await runModuleOnce(ctx, task, host, vars, kw, itemKey, next);
    if (!task.until?.length || run.outcome.status === 'unreachable' || run.outcome.status === 'unknown') return run;
    const own = run.unknownResult ? unknownValue(run.unknownResult.dependsOn, task.register ?? 'result', run.unknownResult.known) : run.result;
    const withResult = task.register ? { ...vars, [task.register]: own } : vars;
    let holds: boolean;
    try {
      holds = run.outcome.status !== 'failed' && conditionsHold(task.until, withResult, where(task));
    } catch (err) {
      const unknown = asUnknown(err);
      if (unknown) return unknownRun(unknown.dependsOn, `reads ${unknown.what}`);
      throw err;
    }
    if (holds) return run;
    if (attempt < attempts) await sleep((task.delaySec ?? 5) * 1000);
  }
  const last = run!;
  if (last.outcome.status === 'failed') return last;
  const msg = `until: ${task.until!.join(' and ')} still false after ${attempts} attempts`;
  return { outcome: { status: 'failed', msg }, result: { ...last.result, failed: true, msg, attempts } };
}

type TaskEffects = Effects & { factsFor?: string; unknownResult?: ItemRun['unknownResult'] };

function finish(ctx: RunContext, task: PlanTask, host: HostRun, outcome: Outcome, result: Record<string, unknown>, fx: TaskEffects = {}, kw?: TaskKeywords): TaskRun {
  const failed = outcome.status === 'failed';
  const ignored = failed && (kw?.ignoreErrors ?? false);
  const full = { changed: outcome.status === 'changed', failed, ...result };
  // an unknown outcome's own result is unknown as a whole
  const unknown = fx.unknownResult ?? (outcome.status === 'unknown' ? { dependsOn: outcome.dependsOn, known: {} } : undefined);
  // --check: a result a real run would fill in is unknown to later tasks, not missing (predict/unknown.ts)
  if (task.register) host.registered[task.register] = unknown ? unknownValue(unknown.dependsOn, task.register, unknown.known) : full;
  if (fx.setVars && !failed) setHostVars(factsHost(ctx, host, fx.factsFor), fx.setVars);
  if (outcome.status === 'unknown') for (const name of definedVars(task)) host.registered[name] = unknownValue(outcome.dependsOn, name);
  const run: TaskRun = { outcome, result: full, ignored };
  if (fx.setVars && !failed && fx.factsFor === undefined && Object.keys(fx.setVars).length) run.setVars = fx.setVars;
  if (kw) run.keywords = kw;
  if (fx.addHosts?.length && !failed) run.addHosts = fx.addHosts;
  if (fx.message !== undefined) run.message = fx.message;
  return run;
}

/** set_fact values and module facts; as in Ansible, a module's ansible_facts join the host's facts (service_facts adds services). */
function setHostVars(target: HostRun, vars: Vars): void {
  const facts = vars['ansible_facts'];
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) {
    Object.assign(target.registered, vars);
    return;
  }
  const before = target.registered['ansible_facts'] ?? target.facts['ansible_facts'];
  const merged = before !== null && typeof before === 'object' && !Array.isArray(before) ? { ...(before as Vars), ...(facts as Vars) } : facts;
  Object.assign(target.registered, vars, { ansible_facts: merged });
}

/** delegate_facts: the delegated host's run record (made if it is in no play yet). */
function factsHost(ctx: RunContext, host: HostRun, name: string | undefined): HostRun {
  return name === undefined ? host : hostRun(ctx, name);
}

function foldEffects(runs: ItemRun[]): TaskEffects {
  const addHosts = runs.flatMap((r) => r.addHosts ?? []);
  const messages = runs.flatMap((r) => (r.message === undefined ? [] : [r.message]));
  const fx: TaskEffects = { setVars: Object.assign({}, ...runs.map((r) => r.setVars ?? {})) };
  const unknown = runs.find((r) => r.unknownResult)?.unknownResult;
  if (unknown) fx.unknownResult = { dependsOn: unknown.dependsOn, known: {} };
  const factsFor = runs.find((r) => r.factsFor !== undefined)?.factsFor;
  if (factsFor !== undefined) fx.factsFor = factsFor;
  if (addHosts.length) fx.addHosts = addHosts;
  if (messages.length) fx.message = messages.join('\n');
  return fx;
}

function foldItems(runs: ItemRun[]): Outcome {
  const bad = runs.find((r) => r.outcome.status === 'unreachable' || r.outcome.status === 'failed');
  if (bad) return bad.outcome;
  const unknown = runs.find((r) => r.outcome.status === 'unknown');
  if (unknown) return unknown.outcome;
  const changed = runs.filter((r) => r.outcome.status === 'changed');
  if (changed.length) {
    const diffs = changed.map((r) => (r.outcome.status === 'changed' ? r.outcome.diff : undefined)).filter(Boolean);
    return { status: 'changed', summary: `${changed.length} of ${runs.length} items changed`, diff: diffs.length ? diffs.join('\n') : undefined };
  }
  if (runs.length === 0) return { status: 'skipped', why: 'condition', detail: 'loop has no items' };
  if (runs.every((r) => r.outcome.status === 'skipped')) return runs[0]!.outcome;
  return { status: 'ok', reason: `all ${runs.length} items already in place` };
}

/** What the task defines at compile time (set_fact): unknown too when its outcome is. */
function definedVars(task: PlanTask): string[] {
  try {
    return getModule(task.module)?.definesVars?.(task.args) ?? [];
  } catch {
    return [];
  }
}

/** The task's loop (loop: or with_*) rendered and expanded on this host (runner/load/loops.ts). */
function loopItems(ctx: RunContext, task: PlanTask, vars: Vars, at: string): unknown[] {
  try {
    const playbookDir = resolve(dirname(ctx.plan.playbook));
    return expandLoop({ ...task, playbookDir }, (v) => renderValue(v, vars, at), localLoopFs);
  } catch (err) {
    if (err instanceof LoopError) throw new RenderError(err.message, at);
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
