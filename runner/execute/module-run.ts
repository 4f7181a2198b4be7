// One module invocation: render, validate, consult the state, probe, decide, apply.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Ahead, Connection } from '../connection/types.js';
import { answeringFirst, applying, carryingFirst, definedInPlay, delegated, eligible, firstProbeCommand, takeAhead, warmStreak, type HostAhead } from './ahead.js';
import { InvariantError, RenderError } from '../errors.js';
import { getModule } from '../modules/registry.js';
import type { Decision, Effects, ModuleDef, PrepareEnv } from '../modules/types.js';
import { renderString, renderValue } from '../render/template.js';
import type { DoneRecord } from '../state/types.js';
import type { Outcome, PlanItem, PlanPlay, PlanTask, Vars } from '../types.js';
import { validateModuleArgs } from './args.js';
import { applySteps } from './apply.js';
import { checkCondition, conditionFalse, conditionsHold } from './conditions.js';
import type { HostRun, RunContext } from './context.js';
import { taskFailure } from './failure.js';
import { connectionFor } from './module-conn.js';
import { becomeUserOf, hostTaskVars, where } from './vars.js';
import { maskDiffText, maskedFileDiff } from '../secrets/diff-mask.js';
import type { Redactor } from '../secrets/redact.js';

export interface ItemRun extends Effects {
  outcome: Outcome;
  result: Record<string, unknown>;
  /** What to record once the run is final (after until/retries); see commitRecord. */
  record?: DoneRecord;
}

/** What invokeModule needs: the host's (wrapped) connection and the run's mode. */
export interface InvokeIO {
  conn: Connection;
  host: string;
  vars: Vars;
  check: boolean;
  diff: boolean;
  timeoutMs: number;
  /** Masks secrets in diffs (runner/secrets/diff-mask.ts). */
  redactor: Redactor;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** The probe's connection, when it differs (one answering from a probe sent ahead). */
  probeConn?: Connection;
  /** The next task's first probe command, asked for only when this run applies a change (runner/execute/ahead.ts). */
  ahead?: () => Promise<Ahead | undefined>;
  /** Told when that command went out with the apply, which succeeded. */
  sentAhead?: (a: Ahead) => void;
  /** Told before the first step is applied (what was sent ahead before it no longer holds). */
  applying?: () => void;
}

/**
 * The module pipeline on one host with rendered, valid args: probe, decide, carry out. Specs run
 * modules through this function, so they test what the executor does rather than a copy of it.
 */
export async function invokeModule<A, P>(mod: ModuleDef<A, P>, args: A, io: InvokeIO): Promise<ItemRun> {
  const probe = await mod.probe(args, { conn: io.probeConn ?? io.conn, host: io.host, vars: io.vars, diff: io.diff });
  const fileDiff = (path: string, before: string, after: string) => maskedFileDiff(io.redactor, path, before, after);
  const decision: Decision = mod.decide(args, probe, { host: io.host, check: io.check, diff: io.diff, vars: io.vars, fileDiff });
  return carryOut(decision, io);
}

/** The tasks after this one in its list (from `from` on), whose probes may go ahead (runner/execute/ahead.ts). */
export interface NextTask {
  items: readonly PlanItem[];
  from: number;
  /** Block scope of these tasks (each adds its own vars). */
  scope: Vars;
}

/** At most this many probes go ahead in one batch. */
const MAX_BATCH = 64;

type Prepared =
  | { kind: 'done'; run: ItemRun }
  | { kind: 'go'; mod: ModuleDef; args: unknown; become: string | null; env: Record<string, string> | undefined; fingerprint: string; stateKey: string; recorded: boolean; timeoutMs: number };

/** Render, validate, prepare, consult the state: everything before the module touches the host. Pure but for reading controller files. */
async function prepareRun(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, vars: Vars, itemKey?: string): Promise<Prepared> {
  const mod = getModule(task.module);
  if (!mod) throw new InvariantError(`module '${task.module}' passed validation but is not registered`);
  const become = becomeUserOf(task, play, host.spec);
  const at = where(task);
  let args = renderValue(mod.normalize ? mod.normalize(task.args) : task.args, vars, at);
  if (mod.evaluate) args = mod.evaluate(args, (text) => checkCondition(text, vars, at));
  const invalid = validateModuleArgs(mod, args);
  if (invalid) return { kind: 'done', run: failed(`${task.module}: ${invalid} (${task.src.file}:${task.src.line})`) };
  const filesRead: Array<{ path: string; sha256: string }> = [];
  if (mod.prepare) args = await mod.prepare(args, prepareEnv(task, vars, filesRead));

  const env = taskEnv(task, vars);
  const fingerprint = sha256(JSON.stringify({ module: mod.name, args, filesRead, become, env }));
  const stateKey = itemKey === undefined ? task.id : `${task.id}[${itemKey}]`;
  const record = ctx.state && task.cache && host.identity && !ctx.opts.force ? ctx.state.lookup(host.identity, stateKey) : undefined;
  const recorded = record !== undefined && record.fingerprint === fingerprint;
  if (recorded && (!ctx.opts.verify || mod.verifiable?.(args) === false)) {
    return {
      kind: 'done',
      run: {
        outcome: { status: 'skipped', why: 'done-before', detail: `completed ${record.at}; inputs unchanged` },
        result: { ...record.result }, setVars: record.setVars, addHosts: record.addHosts,
      },
    };
  }
  const timeoutMs = (task.timeoutSec ?? ctx.opts.defaultTimeoutSec) * 1000;
  return { kind: 'go', mod, args, become, env, fingerprint, stateKey, recorded, timeoutMs };
}

interface Speculated {
  ahead: Ahead;
  /**
   * The run as rendered now, reused when the probe is: an eligible task reads nothing earlier tasks
   * change. Not for a module that reads controller files (copy src, template): a task on the
   * controller may rewrite them meanwhile.
   */
  prepared?: Prepared;
}

/** The first command of task's probe on host, if it may go ahead (ahead.ts says when); never throws. */
async function aheadFor(ctx: RunContext, play: PlanPlay, task: PlanTask, scope: Vars, host: HostRun): Promise<Speculated | undefined> {
  if (ctx.opts.check || !eligible(task, definedInPlay(play))) return undefined;
  try {
    const vars = hostTaskVars(ctx, play, host, task.vars ? { ...scope, ...task.vars } : scope);
    if (!conditionsHold(task.when, vars, where(task))) return undefined;
    const p = await prepareRun(ctx, play, task, host, vars);
    if (p.kind !== 'go') return undefined;
    const ahead = await firstProbeCommand(p.mod, p.args, host, { become: p.become, timeoutMs: p.timeoutMs, vars, diff: ctx.opts.diff });
    return ahead && { ahead, prepared: p.mod.prepare ? undefined : p };
  } catch {
    return undefined;
  }
}

/** The probes of the following tasks, up to the first one that may not go ahead (a task skipped or done before sends none). */
async function batchFor(ctx: RunContext, play: PlanPlay, next: NextTask, host: HostRun): Promise<Array<Speculated & { taskId: string }>> {
  const out: Array<Speculated & { taskId: string }> = [];
  for (let i = next.from; i < next.items.length && out.length < MAX_BATCH; i++) {
    const item = next.items[i]!;
    if (item.kind !== 'task' || !eligible(item, definedInPlay(play))) break;
    const s = await aheadFor(ctx, play, item, next.scope, host);
    if (s) out.push({ ...s, taskId: item.id });
  }
  return out;
}

const taskAt = (n: NextTask): PlanTask | undefined => {
  const t = n.items[n.from];
  return t?.kind === 'task' ? t : undefined;
};

/**
 * The probe's connection: one answering its first command from what was sent ahead for this task; or,
 * on a warm streak, one sending the probes of the following tasks in one batch with it.
 */
async function probeConnection(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, pre: HostAhead | undefined, next: NextTask | undefined, wrap: (base: Connection) => Connection): Promise<Connection | undefined> {
  if (pre) return wrap(answeringFirst(host.conn!, pre));
  if (!next || !warmStreak(host) || delegated(task)) return undefined;
  const batch = await batchFor(ctx, play, next, host);
  if (!batch.length) return undefined;
  return wrap(carryingFirst(host.conn!, batch.map((b) => b.ahead), () => {
    host.aheads = batch.filter((b) => b.ahead.result).map((b) => ({ taskId: b.taskId, cmd: b.ahead.cmd, result: b.ahead.result!, valid: false, prepared: b.prepared }));
  }));
}

/** One run of a task's module on a host. Whatever a module throws becomes this host's failed result. */
export async function runModuleOnce(ctx: RunContext, play: PlanPlay, task: PlanTask, host: HostRun, vars: Vars, itemKey?: string, next?: NextTask): Promise<ItemRun> {
  const pre = takeAhead(host, task.id);
  const become = becomeUserOf(task, play, host.spec);
  let run: ItemRun;
  try {
    const p = pre?.prepared !== undefined && itemKey === undefined ? pre.prepared as Prepared : await prepareRun(ctx, play, task, host, vars, itemKey);
    if (p.kind === 'done') return p.run;
    const { mod, args, env, fingerprint, stateKey, recorded, timeoutMs } = p;
    const onOutput = ctx.opts.verbose ? (chunk: string, stream: 'stdout' | 'stderr') => ctx.emit({ kind: 'output', taskId: task.id, host: host.name, stream, chunk }) : undefined;
    const conn = connectionFor(mod, host, become, env, timeoutMs);
    const probeConn = host.conn ? await probeConnection(ctx, play, task, host, pre, next, (base) => connectionFor(mod, host, become, env, timeoutMs, base)) : undefined;
    const following = next && taskAt(next);
    let speculated: Speculated | undefined;
    const ahead = next && following ? async () => (speculated = await aheadFor(ctx, play, following, next.scope, host))?.ahead : undefined;
    const sentAhead = (a: Ahead) => {
      if (following && a.result) (host.aheads ??= []).push({ taskId: following.id, cmd: a.cmd, result: a.result, valid: false, prepared: speculated?.prepared });
    };
    run = await invokeModule(mod, args, { conn, probeConn, ahead, sentAhead, applying: () => applying(host), host: host.name, vars, check: ctx.opts.check, diff: ctx.opts.diff, timeoutMs, redactor: ctx.redactor, onOutput });
    if (recorded && ctx.opts.verify) run = verified(ctx, host, task, run);
    run = applyOverrides(task, vars, run);
    if (!ctx.state || !task.cache || !host.identity || ctx.opts.check) return run;
    return withRecord(ctx, task, host, run, { stateKey, fingerprint });
  } catch (err) {
    const f = taskFailure(err, { host: host.name, task, loginUser: host.spec.user, become });
    if (f.kind === 'rethrow') throw err;
    if (f.kind === 'unreachable') return { outcome: { status: 'unreachable', msg: f.msg }, result: { unreachable: true, msg: f.msg } };
    run = failed(f.msg);
  }
  // A failure from the module or a step still meets failed_when/changed_when, as in Ansible.
  return overridesOrFailure(task, vars, host, become, run);
}

function overridesOrFailure(task: PlanTask, vars: Vars, host: HostRun, become: string | null, run: ItemRun): ItemRun {
  try {
    return applyOverrides(task, vars, run);
  } catch (err) {
    const f = taskFailure(err, { host: host.name, task, loginUser: host.spec.user, become });
    if (f.kind === 'rethrow') throw err;
    return failed(f.msg);
  }
}

function withRecord(ctx: RunContext, task: PlanTask, host: HostRun, run: ItemRun, k: { stateKey: string; fingerprint: string }): ItemRun {
  const result = ctx.redactor.redactValue(run.result);
  const setVars = run.setVars && ctx.redactor.redactValue(run.setVars);
  const addHosts = run.addHosts && ctx.redactor.redactValue(run.addHosts);
  // A value holding a secret cannot be restored from the (masked) store: such a task runs every time.
  if (JSON.stringify([result, setVars, addHosts]) !== JSON.stringify([run.result, run.setVars, run.addHosts])) return run;
  const rec: DoneRecord = { identity: host.identity!, host: host.name, taskId: k.stateKey, role: task.role, fingerprint: k.fingerprint, result, setVars, at: new Date().toISOString() };
  if (addHosts) rec.addHosts = addHosts;
  return { ...run, record: rec };
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

function taskEnv(task: PlanTask, vars: Vars): Record<string, string> | undefined {
  return task.environment
    ? Object.fromEntries(Object.entries(renderValue(task.environment, vars, where(task)) as Vars).map(([k, v]) => [k, String(v)]))
    : undefined;
}

async function carryOut(decision: Decision, io: InvokeIO): Promise<ItemRun> {
  switch (decision.kind) {
    case 'noop':
      return { outcome: { status: 'ok', reason: decision.reason }, result: { msg: decision.reason, ...decision.result }, ...effects(decision) };
    case 'fail':
      return failed(decision.msg, decision.result);
    case 'change': {
      const diff = io.diff && decision.diff !== undefined ? maskDiffText(io.redactor, decision.diff) : undefined;
      if (io.check) return { outcome: { status: 'changed', summary: wouldDo(decision.summary), diff }, result: { ...decision.result }, ...effects(decision) };
      const ahead = io.ahead ? await io.ahead() : undefined;
      const applied = await applySteps(io.conn, decision.steps, { timeoutMs: io.timeoutMs, onOutput: io.onOutput, ahead, applying: io.applying });
      if (!applied.ok) return failed(applied.msg, { ...decision.result, ...applied.result });
      if (ahead?.result) io.sentAhead?.(ahead);
      return { outcome: { status: 'changed', summary: decision.summary, diff }, result: { ...decision.result, ...applied.result }, ...effects(decision) };
    }
  }
}

function effects(e: Effects): Effects {
  const out: Effects = {};
  if (e.setVars) out.setVars = e.setVars;
  if (e.addHosts) out.addHosts = e.addHosts;
  if (e.message !== undefined) out.message = e.message;
  return out;
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

function applyOverrides(task: PlanTask, vars: Vars, run: ItemRun): ItemRun {
  if (!task.failedWhen?.length && !task.changedWhen?.length) return run;
  if (run.outcome.status === 'unreachable' || run.outcome.status === 'skipped') return run;
  const at = where(task);
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

export function failed(msg: string, result?: Record<string, unknown>): ItemRun {
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
