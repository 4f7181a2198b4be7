// One module invocation: render, validate, consult the state, probe, decide, apply.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RenderError } from '../errors.js';
import { getModule } from '../modules/registry.js';
import type { Decision, ModuleDef, PrepareEnv } from '../modules/types.js';
import { renderString, renderValue } from '../render/template.js';
import type { Outcome, PlanPlay, PlanTask, Vars } from '../types.js';
import { validateModuleArgs } from './args.js';
import { applySteps } from './apply.js';
import { checkCondition, conditionFalse, conditionsHold } from './conditions.js';
import type { HostRun, RunContext } from './context.js';
import { wrapConnection } from './wrap.js';
import { where } from './vars.js';
import type { Connection } from '../connection/types.js';
import type { DoneRecord } from '../state/types.js';
import { maskDiffText, maskedFileDiff } from '../secrets/diff-mask.js';

export interface ItemRun {
  outcome: Outcome;
  result: Record<string, unknown>;
  setVars?: Vars;
  /** What to record once the run is final (after until/retries); see commitRecord. */
  record?: DoneRecord;
}

/** Commands are actions, not states: without creates/removes a probe cannot tell whether they drifted. */
const ACTIONS = new Set(['command', 'shell']);

export async function runModuleOnce(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, vars: Vars, itemKey?: string): Promise<ItemRun> {
  const at = where(task);
  const mod = getModule(task.module);
  if (!mod) throw new Error(`invariant: module '${task.module}' passed validation but is not registered`);
  let args = renderValue(mod.normalize ? mod.normalize(task.args) : task.args, vars, at);
  if (mod.name === 'assert') args = evaluateAssert(args, vars, at);
  const invalid = validateModuleArgs(mod, args);
  if (invalid) return failed(`${task.module}: ${invalid} (${task.src.file}:${task.src.line})`);
  const filesRead: Array<{ path: string; sha256: string }> = [];
  if (mod.prepare) args = await mod.prepare(args, prepareEnv(task, vars, filesRead));

  // keywords first, then the host's ansible_become / -b defaults (ConnectionSpec)
  const become = (task.become ?? play.become ?? host.spec.become) ? (task.becomeUser ?? play.becomeUser ?? host.spec.becomeUser ?? 'root') : null;
  const env = taskEnv(task, vars);
  const fingerprint = sha256(JSON.stringify({ module: mod.name, args, filesRead, become, env }));
  const stateKey = itemKey === undefined ? task.id : `${task.id}[${itemKey}]`;
  const record = ctx.state && task.cache && host.identity && !ctx.opts.force ? ctx.state.lookup(host.identity, stateKey) : undefined;
  const recorded = record !== undefined && record.fingerprint === fingerprint;
  if (recorded && (!ctx.opts.verify || unverifiable(mod, args))) {
    return { outcome: { status: 'skipped', why: 'done-before', detail: `completed ${record.at}; inputs unchanged` }, result: { ...record.result }, setVars: record.setVars };
  }

  const conn = connectionFor(mod, host, become, env, task, ctx);
  const timeoutMs = (task.timeoutSec ?? ctx.opts.defaultTimeoutSec) * 1000;
  const probe = await mod.probe(args, { conn, host: host.name, vars, diff: ctx.opts.diff });
  const fileDiff = (path: string, before: string, after: string) => maskedFileDiff(ctx.redactor, path, before, after);
  const decision: Decision = mod.decide(args, probe, { host: host.name, check: ctx.opts.check, diff: ctx.opts.diff, vars, fileDiff });
  let run = await carryOut(ctx, decision, conn, timeoutMs, task, host);
  if (recorded && ctx.opts.verify) run = verified(ctx, host, task, run);
  run = applyOverrides(task, vars, run, at);

  if (!ctx.state || !task.cache || !host.identity || ctx.opts.check) return run;
  const result = ctx.redactor.redactValue(run.result);
  const setVars = run.setVars && ctx.redactor.redactValue(run.setVars);
  // A value holding a secret cannot be restored from the (masked) store: such a task runs every time.
  if (JSON.stringify([result, setVars]) !== JSON.stringify([run.result, run.setVars])) return run;
  return { ...run, record: { identity: host.identity, host: host.name, taskId: stateKey, role: task.role, fingerprint, result, setVars, at: new Date().toISOString() } };
}

/**
 * Records a final item run that succeeded. A changed run's notifications are journaled first, so a crash
 * between the two can never leave the task done-before with its handler forgotten.
 */
export function commitRecord(ctx: RunContext, play: PlanPlay, task: PlanTask, run: ItemRun): void {
  if (!ctx.state || !run.record) return;
  if (run.outcome.status !== 'ok' && run.outcome.status !== 'changed') return;
  if (run.outcome.status === 'changed') {
    for (const h of play.handlers) {
      if (task.notify.some((n) => h.name === n || (h.listen ?? []).includes(n))) ctx.state.notify(run.record.identity, run.record.host, h.id);
    }
  }
  ctx.state.recordDone(run.record);
}

function unverifiable(mod: ModuleDef, args: unknown): boolean {
  const a = args as { creates?: unknown; removes?: unknown };
  return ACTIONS.has(mod.name) && a.creates === undefined && a.removes === undefined;
}

function taskEnv(task: PlanTask, vars: Vars): Record<string, string> | undefined {
  return task.environment
    ? Object.fromEntries(Object.entries(renderValue(task.environment, vars, where(task)) as Vars).map(([k, v]) => [k, String(v)]))
    : undefined;
}

async function carryOut(ctx: RunContext, decision: Decision, conn: Connection, timeoutMs: number, task: PlanTask, host: HostRun): Promise<ItemRun> {
  switch (decision.kind) {
    case 'noop':
      return { outcome: { status: 'ok', reason: decision.reason }, result: { msg: decision.reason, ...decision.result }, setVars: decision.setVars };
    case 'fail':
      return failed(decision.msg, decision.result);
    case 'change': {
      const diff = ctx.opts.diff && decision.diff !== undefined ? maskDiffText(ctx.redactor, decision.diff) : undefined;
      if (ctx.opts.check) return { outcome: { status: 'changed', summary: wouldDo(decision.summary), diff }, result: { ...decision.result } };
      const onOutput = ctx.opts.verbose ? (chunk: string, stream: 'stdout' | 'stderr') => ctx.emit({ kind: 'output', taskId: task.id, host: host.name, stream, chunk }) : undefined;
      const applied = await applySteps(conn, decision.steps, { timeoutMs, onOutput });
      if (!applied.ok) return failed(applied.msg, { ...decision.result, ...applied.result });
      return { outcome: { status: 'changed', summary: decision.summary, diff }, result: { ...decision.result, ...applied.result } };
    }
  }
}

/** Under --verify a recorded task that needed a change has drifted: say so, it was repaired. */
function verified(ctx: RunContext, host: HostRun, task: PlanTask, run: ItemRun): ItemRun {
  if (run.outcome.status === 'changed') {
    ctx.emit({ kind: 'warning', host: host.name, msg: `drift: '${task.name}' was recorded as done but the host no longer matched; repaired` });
    return { ...run, outcome: { ...run.outcome, summary: `drift repaired: ${run.outcome.summary}` } };
  }
  if (run.outcome.status === 'ok') return { ...run, outcome: { status: 'ok', reason: `verified: ${run.outcome.reason}` } };
  return run;
}

function applyOverrides(task: PlanTask, vars: Vars, run: ItemRun, at: string): ItemRun {
  if (!task.failedWhen?.length && !task.changedWhen?.length) return run;
  if (run.outcome.status === 'unreachable' || run.outcome.status === 'skipped') return run;
  const scope = { ...vars, ...run.result, ...(task.register ? { [task.register]: { ...run.result } } : {}) };
  let outcome = run.outcome;
  if (task.failedWhen?.length) {
    const fails = conditionsHold(task.failedWhen, scope, at);
    if (fails && outcome.status !== 'failed') outcome = { status: 'failed', msg: `failed_when: ${task.failedWhen.join(' and ')}` };
    if (!fails && outcome.status === 'failed') outcome = { status: 'changed', summary: 'command ran (failed_when is false)' };
  }
  if (task.changedWhen?.length && outcome.status !== 'failed') {
    const changed = conditionsHold(task.changedWhen, scope, at);
    outcome = changed
      ? { status: 'changed', summary: outcome.status === 'changed' ? outcome.summary : 'changed_when is true' }
      : { status: 'ok', reason: conditionFalse('changed_when', task.changedWhen) };
  }
  return { ...run, outcome, result: { ...run.result, changed: outcome.status === 'changed', failed: outcome.status === 'failed' } };
}

function evaluateAssert(args: unknown, vars: Vars, at: string): unknown {
  const a = args as { that?: unknown };
  const that = Array.isArray(a.that) ? a.that : [a.that];
  return { ...a, that: that.map((t) => (typeof t === 'boolean' ? t : checkCondition(String(t), vars, at))) };
}

function connectionFor(mod: ModuleDef, host: HostRun, become: string | null, env: Record<string, string> | undefined, task: PlanTask, ctx: RunContext): Connection {
  if (!host.conn) {
    if (mod.controllerOnly) return noHostConnection(host.name);
    throw new Error(`invariant: ${host.name} has no connection`);
  }
  return wrapConnection(host.conn, {
    become: become ? { loginUser: host.spec.user, becomeUser: become, password: host.spec.becomePassword } : undefined,
    env,
    timeoutMs: (task.timeoutSec ?? ctx.opts.defaultTimeoutSec) * 1000,
  });
}

function noHostConnection(host: string): Connection {
  const no = () => Promise.reject(new Error(`invariant: a controller-only module tried to use ${host}'s connection`));
  return { host, execCount: 0, exec: no, put: no, close: async () => undefined };
}

function prepareEnv(task: PlanTask, vars: Vars, filesRead: Array<{ path: string; sha256: string }>): PrepareEnv {
  return {
    vars,
    async readControllerFile(kind, rel) {
      const path = resolve(join(task.baseDir, kind, rel));
      const content = await readFile(path).catch(() => readFile(resolve(task.baseDir, rel))).catch(() => {
        throw new RenderError(`${kind}/${rel} not found under ${task.baseDir}`, where(task));
      });
      filesRead.push({ path: rel, sha256: sha256(content) });
      return content;
    },
    renderTemplate: (text, source) => renderString(text, vars, `${source} (used by ${where(task)})`),
  };
}

function failed(msg: string, result?: Record<string, unknown>): ItemRun {
  return { outcome: { status: 'failed', msg }, result: { ...result, msg } };
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Check mode's summary. Most summaries start with a verb ("update /x"); one that names its object
 * first ("/x: mode 0640 -> 0644") reads "would change /x: ...", not "would /x: ...". */
export function wouldDo(summary: string): string {
  return /^[a-z]+ /.test(summary) ? `would ${summary}` : `would change ${summary}`;
}
