// One module invocation: render, validate, consult the state, probe, decide, apply.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Ahead, Connection } from '../connection/types.js';
import { applying, takeAhead } from './ahead.js';
import { pipelineFor, type NextTask } from './ahead-run.js';
import { InvariantError, RenderError } from '../errors.js';
import { getModule } from '../modules/registry.js';
import { walkControllerDir } from '../modules/controller-tree.js';
import type { Decision, Effects, ModuleDef, PrepareEnv } from '../modules/types.js';
import { renderFile, renderValue } from '../render/template.js';
import type { DoneRecord } from '../state/types.js';
import type { ConnectionSpec, Outcome, PlanPlay, PlanTask, Vars } from '../types.js';
import { validateModuleArgs } from './args.js';
import { applySteps } from './apply.js';
import { checkCondition, conditionFalse, conditionsHold } from './conditions.js';
import type { HostRun, RunContext } from './context.js';
import { taskFailure } from './failure.js';
import { connectionFor } from './module-conn.js';
import { ANSIBLE_MANAGED, where } from './vars.js';
import { moduleDefaultsFor, withModuleDefaults, type TaskKeywords } from './keywords.js';
import { taskTarget } from './conns.js';
import { maskDiffText, maskedFileDiff } from '../secrets/diff-mask.js';
import { asUnknown, unknownSummary, unknownValue } from '../predict/unknown.js';
import type { PredictView } from '../modules/types.js';
import { actorOf, failureOrUnknown, isOpaque, planName, predictChange, predictView, type Planned } from './plan-carry.js';
import type { Redactor } from '../secrets/redact.js';

export interface ItemRun extends Effects {
  outcome: Outcome;
  result: Record<string, unknown>;
  /** --check: the result keys a real run would add are unknown (see execute/plan-carry.ts). */
  unknownResult?: Planned['unknownResult'];
  /** What to record once the run is final (after until/retries); see commitRecord. */
  record?: DoneRecord;
  /** delegate_facts: the host that setVars belong to, when it is not the task's host. */
  factsFor?: string;
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
  /** --check: the host's predicted state and the task's name in it (execute/plan-carry.ts). */
  predict?: { view: PredictView; by: string };
  /** The probe's connection, when it differs (one answering from, or carrying, probes sent ahead: ahead-run.ts). */
  probeConn?: Connection;
  /** The next task's first probe command, asked for only when this run applies a change. */
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
  let probe: P = await mod.probe(args, { conn: io.probeConn ?? io.conn, host: io.host, vars: io.vars, diff: io.diff, check: io.check, predicted: io.check ? io.predict?.view : undefined });
  const plan = io.check ? io.predict : undefined;
  if (plan && mod.overlay) probe = mod.overlay(args, probe, plan.view);
  const fileDiff = (path: string, before: string, after: string) => maskedFileDiff(io.redactor, path, before, after);
  const decision: Decision = mod.decide(args, probe, { host: io.host, check: io.check, diff: io.diff, vars: io.vars, fileDiff });
  if (!plan) return carryOut(decision, io);
  if (decision.kind === 'fail') return { outcome: failureOrUnknown(mod, plan.view, decision.msg), result: { ...decision.result, msg: decision.msg } };
  const run = await carryOut(decision, io);
  if (decision.kind !== 'change') return run;
  const effects = predictChange(mod, args, probe, decision, plan.view, plan.by);
  if (!isOpaque(effects)) return run;
  return { ...run, unknownResult: { dependsOn: plan.by, known: { changed: true, failed: false, ...decision.result } } };
}

/** A run rendered, validated and looked up in the state, before the module touches the host. */
export type Prepared =
  | { kind: 'done'; run: ItemRun }
  | { kind: 'go'; mod: ModuleDef; args: unknown; target: { name: string; conn?: Connection; spec: ConnectionSpec }; delegate?: string;
    fingerprint: string; stateKey: string; recorded: boolean; probeRecorded: boolean; timeoutMs: number };

/**
 * Render, validate, prepare, consult the state. Reads only controller files (and connects to a
 * delegate_to target). `who.loginUser` follows the target, for the failure messages.
 */
export async function prepareRun(ctx: RunContext, task: PlanTask, host: HostRun, vars: Vars, kw: TaskKeywords, itemKey?: string, who = { loginUser: host.spec.user }): Promise<Prepared> {
  const mod = getModule(task.module);
  if (!mod) throw new InvariantError(`module '${task.module}' passed validation but is not registered`);
  const become = kw.become;
  const at = where(task);
  const written = withModuleDefaults(mod.normalize ? mod.normalize(task.args) : task.args, moduleDefaultsFor(kw.moduleDefaults, (k) => getModule(k)?.name === mod.name, at));
  let args = renderValue(written, vars, at);
  if (mod.evaluate) args = mod.evaluate(args, (text) => checkCondition(text, vars, at));
  if (args && typeof args === 'object') for (const k of mod.secretArgs ?? []) ctx.redactor.add((args as Record<string, unknown>)[k]);
  const invalid = validateModuleArgs(mod, args);
  if (invalid) return { kind: 'done', run: failed(`${task.module}: ${invalid} (${task.src.file}:${task.src.line})`) };
  const filesRead: Array<{ path: string; sha256: string }> = [];
  if (mod.prepare) args = await mod.prepare(args, prepareEnv(task, vars, filesRead));

  const env = kw.environment;
  const target = await taskTarget(ctx, mod, host, kw);
  who.loginUser = target.spec.user;
  const delegate = target.name === host.name ? undefined : target.name;
  const fingerprint = sha256(JSON.stringify({ module: mod.name, args, filesRead, become, env, delegate, user: kw.remoteUser, connection: kw.connection }));
  const stateKey = itemKey === undefined ? task.id : `${task.id}[${itemKey}]`;
  const record = ctx.state && task.cache && host.identity && !ctx.opts.force ? ctx.state.lookup(host.identity, stateKey) : undefined;
  const recorded = record !== undefined && record.fingerprint === fingerprint;
  // --check is read-only, so it probes recorded tasks too: the plan shows drift, not "done before"
  const probeRecorded = ctx.opts.verify || kw.check;
  if (recorded && (!probeRecorded || mod.verifiable?.(args) === false)) {
    return {
      kind: 'done',
      run: {
        outcome: { status: 'skipped', why: 'done-before', detail: `completed ${record.at}; inputs unchanged` },
        result: { ...record.result }, setVars: record.setVars, addHosts: record.addHosts,
      },
    };
  }
  const timeoutMs = (task.timeoutSec ?? ctx.opts.defaultTimeoutSec) * 1000;
  return { kind: 'go', mod, args, target, delegate, fingerprint, stateKey, recorded, probeRecorded, timeoutMs };
}

/** One run of a task's module on a host. Whatever a module throws becomes this host's failed result. */
export async function runModuleOnce(ctx: RunContext, task: PlanTask, host: HostRun, vars: Vars, kw: TaskKeywords, itemKey?: string, next?: NextTask): Promise<ItemRun> {
  const mod = getModule(task.module);
  if (!mod) throw new InvariantError(`module '${task.module}' passed validation but is not registered`);
  const become = kw.become;
  const who = { loginUser: host.spec.user };
  const pre = takeAhead(host, task.id);
  let run: ItemRun;
  try {
    const p = pre?.prepared !== undefined && itemKey === undefined ? pre.prepared as Prepared : await prepareRun(ctx, task, host, vars, kw, itemKey, who);
    if (p.kind === 'done') return p.run;
    const { args, target, delegate, fingerprint, stateKey, recorded, probeRecorded, timeoutMs } = p;
    who.loginUser = target.spec.user;
    const env = kw.environment;
    const onOutput = ctx.opts.verbose ? (chunk: string, stream: 'stdout' | 'stderr') => ctx.emit({ kind: 'output', taskId: task.id, host: host.name, stream, chunk }) : undefined;
    const conn = connectionFor(mod, target, become, env, timeoutMs);
    // pipelining (ahead-run.ts): only on the host's own connection
    const pipe = delegate === undefined && target.conn === host.conn ? await pipelineFor(ctx, host, pre, next, (base) => connectionFor(mod, { ...target, conn: base }, become, env, timeoutMs)) : undefined;
    // the predicted state is the host's own: a delegated task plans without it
    const plan = kw.check && !delegate ? predictView(host, actorOf(become ?? who.loginUser)) : undefined;
    const predict = plan ? { view: plan, by: planName(task) } : undefined;
    run = await invokeModule(mod, args, { conn, host: host.name, vars, check: kw.check, diff: kw.diff, timeoutMs, redactor: ctx.redactor, onOutput, predict, ...pipe, applying: () => applying(host) });
    if (kw.delegateFacts && delegate && ctx.inventory.hosts.has(delegate)) run.factsFor = delegate;
    if (recorded && probeRecorded) run = verified(ctx, host, task, run, kw.check);
    run = applyOverrides(task, vars, run);
    if (!ctx.state || !task.cache || !host.identity || ctx.opts.check || kw.check) return run;
    return withRecord(ctx, task, host, run, { stateKey, fingerprint });
  } catch (err) {
    const unknown = kw.check ? asUnknown(err) : undefined;
    if (unknown) return unknownRun(unknown.dependsOn, `reads ${unknown.what}`);
    const f = taskFailure(err, { host: host.name, task, loginUser: who.loginUser, become });
    if (f.kind === 'rethrow') throw err;
    if (f.kind === 'unreachable') return { outcome: { status: 'unreachable', msg: f.msg }, result: { unreachable: true, msg: f.msg } };
    const plan = kw.check && host.predicted ? predictView(host, actorOf(become ?? who.loginUser)) : undefined;
    if (plan) {
      const o = failureOrUnknown(mod, plan, f.msg);
      if (o.status === 'unknown') return { outcome: o, result: { msg: f.msg } };
    }
    run = failed(f.msg);
  }
  // A failure from the module or a step still meets failed_when/changed_when, as in Ansible.
  return overridesOrFailure(task, vars, host, become, run);
}

/** A run whose outcome only a real run would tell; `why` is the read that could not be answered. */
export function unknownRun(dependsOn: string, why?: string): ItemRun {
  return { outcome: { status: 'unknown', summary: unknownSummary(dependsOn, why), dependsOn }, result: {}, unknownResult: { dependsOn, known: {} } };
}


function overridesOrFailure(task: PlanTask, vars: Vars, host: HostRun, become: string | null, run: ItemRun): ItemRun {
  try {
    return applyOverrides(task, vars, run);
  } catch (err) {
    const unknown = asUnknown(err);
    if (unknown) return unknownRun(unknown.dependsOn, `reads ${unknown.what}`);
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
export function commitRecord(ctx: RunContext, play: PlanPlay, task: PlanTask, run: ItemRun, notify: readonly string[] = task.notify): void {
  if (!ctx.state || !run.record) return;
  if (run.outcome.status !== 'ok' && run.outcome.status !== 'changed') return;
  if (run.outcome.status === 'changed') {
    for (const h of play.handlers) {
      if (notify.some((n) => h.name === n || (h.listen ?? []).includes(n))) ctx.state.notify(run.record.identity, run.record.host, h.id);
    }
  }
  ctx.state.recordDone(run.record);
}

async function carryOut(decision: Decision, io: InvokeIO): Promise<ItemRun> {
  switch (decision.kind) {
    case 'noop':
      return { outcome: { status: 'ok', reason: decision.reason }, result: { msg: decision.reason, ...decision.result }, ...effects(decision) };
    case 'fail':
      // nothing ran: as Ansible's fail_json, the result says not changed (failed_when: false makes it ok)
      return failed(decision.msg, { ...decision.result, changed: false });
    case 'change': {
      const diff = io.diff && decision.diff !== undefined ? maskDiffText(io.redactor, decision.diff) : undefined;
      if (io.check) return { outcome: { status: 'changed', summary: wouldDo(decision.summary), diff }, result: { ...decision.result }, ...effects(decision) };
      const ahead = io.ahead ? await io.ahead() : undefined;
      const applied = await applySteps(io.conn, decision.steps, { timeoutMs: io.timeoutMs, onOutput: io.onOutput, ahead, applying: io.applying });
      if (!applied.ok) return failed(applied.msg, { ...decision.result, ...applied.result });
      if (ahead?.result) io.sentAhead?.(ahead);
      if (applied.unchanged !== undefined) return { outcome: { status: 'ok', reason: applied.unchanged }, result: { msg: applied.unchanged, ...decision.result, ...applied.result }, ...effects(decision) };
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

/**
 * Under --verify a recorded task that needed a change has drifted: say so, it was repaired. Under
 * --check (with or without --verify) nothing is repaired: the plan says it would be.
 */
function verified(ctx: RunContext, host: HostRun, task: PlanTask, run: ItemRun, check: boolean): ItemRun {
  if (check && run.outcome.status === 'changed') {
    const summary = run.outcome.summary.replace(/^would (change )?/, '');
    ctx.emit({ kind: 'warning', host: host.name, msg: `drift: '${task.name}' was recorded as done but the host no longer matches; a run would repair it` });
    return { ...run, outcome: { ...run.outcome, summary: `would repair: ${summary}` } };
  }
  if (check && run.outcome.status === 'ok') return { ...run, outcome: { status: 'ok', reason: `done before, still in place: ${run.outcome.reason}` } };
  if (run.outcome.status === 'changed') {
    ctx.emit({ kind: 'warning', host: host.name, msg: `drift: '${task.name}' was recorded as done but the host no longer matched; repaired` });
    return { ...run, outcome: { ...run.outcome, summary: `drift repaired: ${run.outcome.summary}` } };
  }
  if (run.outcome.status === 'ok') return { ...run, outcome: { status: 'ok', reason: `verified: ${run.outcome.reason}` } };
  return run;
}

function applyOverrides(task: PlanTask, vars: Vars, run: ItemRun): ItemRun {
  if (!task.failedWhen?.length && !task.changedWhen?.length) return run;
  if (run.outcome.status === 'unreachable' || run.outcome.status === 'skipped' || run.outcome.status === 'unknown') return run;
  const at = where(task);
  const own = run.unknownResult ? unknownValue(run.unknownResult.dependsOn, task.register ?? 'result', run.unknownResult.known) : { ...run.result };
  const scope = { ...vars, ...run.result, ...(task.register ? { [task.register]: own } : {}) };
  let outcome = run.outcome;
  if (task.failedWhen?.length) {
    const fails = conditionsHold(task.failedWhen, scope, at);
    if (fails && outcome.status !== 'failed') outcome = { status: 'failed', msg: `failed_when: ${task.failedWhen.join(' and ')}` };
    // the failure's own result says whether something ran: a command that exited non-zero did (changed,
    // as Ansible's command module says), a module that refused before acting did not (ok)
    if (!fails && outcome.status === 'failed') {
      outcome = run.result.changed === false
        ? { status: 'ok', reason: `failed_when is false: ${outcome.msg}` }
        : { status: 'changed', summary: 'command ran (failed_when is false)' };
    }
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
    async readControllerTree(kind, rel, follow) {
      const first = resolve(join(task.baseDir, kind, rel));
      const path = (await isDir(first)) ? first : resolve(task.baseDir, rel);
      if (!(await isDir(path))) return undefined;
      const entries = await walkControllerDir(path, follow);
      for (const e of entries) if (e.kind === 'file') filesRead.push({ path: `${rel.replace(/\/$/, '')}/${e.rel}`, sha256: sha256(e.bytes) });
      return entries;
    },
    // as Ansible's template action: ansible_managed exists for templates only (.hbs files too)
    renderTemplate: (text, source) => renderFile(text, source, { ...vars, ansible_managed: ANSIBLE_MANAGED }, `${source} (used by ${where(task)})`),
  };
}

const isDir = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);

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
