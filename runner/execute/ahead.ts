// Pipelining: the next task's read-only probe travels in the same write as this task's apply, so a
// task that changes something costs one round trip instead of two. The remote shell runs the two in
// order, so the probe sees the applied state. Its result is used only when
//   - the apply succeeded (every step, and the task's final outcome is ok or changed),
//   - the very next module run on the host is that task (nothing ran in between), and
//   - that run's probe, rendered again for real, sends exactly the same command first.
// The last check makes it safe whatever the next task's arguments depend on; the static rules below
// (eligible) only keep the speculation cheap and free of side effects: no loops, retries, environment
// files, delegation, lookups, and nothing that reads results or facts of earlier tasks.
import type { Ahead, Connection, ExecOptions, ExecResult } from '../connection/types.js';
import { SHELL_ENDED } from '../connection/shell-session.js';
import { getModule } from '../modules/registry.js';
import type { ModuleDef } from '../modules/types.js';
import type { Outcome, PlanItem, PlanPlay, PlanTask } from '../types.js';
import type { HostRun } from './context.js';
import { connectionFor } from './module-conn.js';

/** A probe sent ahead on one host, waiting for the task it belongs to. */
export interface HostAhead {
  taskId: string;
  cmd: string;
  result: Promise<ExecResult>;
  /** Set once the task that carried it finished ok or changed (an apply or a failure since drops it). */
  valid: boolean;
  /** The task's rendered, validated run, kept when nothing in it can have changed since (see module-run.ts). */
  prepared?: unknown;
}

/** Names whose values earlier tasks change (or that read other hosts): a task that reads them is not probed ahead. */
const MOVING = /\b(hostvars|groups|play_hosts|ansible_play_hosts|ansible_play_batch|ansible_facts|ansible_[a-z_]+|lookup|query|q)\b/;
const DELEGATION = ['delegate_to', 'delegateTo', 'run_once', 'runOnce'];

const eligibleMemo = new WeakMap<PlanTask, boolean>();

/** Static: whether a task may be probed ahead, given the names earlier tasks define (register, set_fact). */
export function eligible(task: PlanTask, defined: ReadonlySet<string>): boolean {
  let ok = eligibleMemo.get(task);
  if (ok !== undefined) return ok;
  const mod = getModule(task.module);
  const text = expressions(task);
  const names = text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  ok = mod !== undefined && !mod.controllerOnly && mod.flow === undefined && task.loop === undefined && !task.until?.length
    && task.environment === undefined && !delegated(task) && !MOVING.test(text) && !names.some((n) => defined.has(n));
  eligibleMemo.set(task, ok);
  return ok;
}

/** The expression text of a task's args, vars and conditions: what is inside {{ }} and {% %}, and `when`. */
function expressions(task: PlanTask): string {
  const json = JSON.stringify([task.args, task.vars ?? null]);
  const inside = [...json.matchAll(/\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g)].map((m) => m[1] ?? m[2] ?? '');
  return [...inside, ...task.when].join('\n');
}

/** Any delegation keyword, whatever shape the plan gives it (a delegated task acts on another host's connection). */
export function delegated(task: PlanTask): boolean {
  const t = task as unknown as Record<string, unknown>;
  const nested = [t, t['keywords'], t['exec']].filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
  return nested.some((o) => DELEGATION.some((k) => o[k] !== undefined && o[k] !== false));
}

const definedMemo = new WeakMap<PlanPlay, Set<string>>();

/** Names the play's tasks and handlers define for later ones: register names and set_fact keys. */
export function definedInPlay(play: PlanPlay): Set<string> {
  let out = definedMemo.get(play);
  if (out) return out;
  out = new Set<string>();
  const walk = (items: readonly PlanItem[]) => {
    for (const t of items) {
      if (t.kind === 'block') {
        walk([...t.block, ...t.rescue, ...t.always]);
        continue;
      }
      if (t.register) out!.add(t.register);
      for (const n of getModule(t.module)?.definesVars?.(t.args) ?? []) out!.add(n);
    }
  };
  walk([...play.tasks, ...play.handlers]);
  definedMemo.set(play, out);
  return out;
}

/** What the capturing connection rejects with: a plain value, since an Error would capture a stack each time (it cost). */
const CAPTURED = Object.freeze({ captured: true });

/**
 * The first command mod's probe would send for args, found by running the probe against a connection
 * that records it and stops there. undefined when the probe sends nothing, or something a pipelined
 * frame cannot carry (stdin, a put).
 */
export async function firstProbeCommand<A>(mod: ModuleDef<A>, args: A, host: HostRun, o: { become: string | null; timeoutMs: number; vars: Record<string, unknown>; diff: boolean }): Promise<Ahead | undefined> {
  if (o.become !== null && host.spec.becomePassword !== undefined) return undefined; // sudo asks first
  let seen: { cmd: string; opts: ExecOptions | undefined } | undefined;
  const capture: Connection = {
    host: host.name,
    execCount: 0,
    exec: (cmd, opts) => {
      seen ??= { cmd, opts };
      return Promise.reject(CAPTURED);
    },
    put: () => Promise.reject(CAPTURED),
    close: async () => undefined,
  };
  const conn = connectionFor(mod, { name: host.name, conn: capture, spec: host.spec }, o.become, undefined, o.timeoutMs);
  try {
    await mod.probe(args, { conn, host: host.name, vars: o.vars, diff: o.diff, check: false });
  } catch {
    /* stopped at its first command, or failed: either way it is over */
  }
  if (!seen || seen.opts?.stdin !== undefined || seen.opts?.isolate) return undefined;
  return { host: host.name, cmd: seen.cmd, timeoutMs: seen.opts?.timeoutMs };
}

/** Before any apply on the host: probes sent ahead earlier ran before it, so none of them holds any more. */
export function applying(host: HostRun): void {
  host.aheads = [];
  host.applied = true;
}

/**
 * After a task on the host. A failure (ignored or not) drops everything sent ahead: a failed apply may
 * have changed the host halfway. Otherwise the probe the task's apply carried becomes usable.
 */
export function settleAhead(host: HostRun, outcome: Outcome): void {
  if (outcome.status === 'failed' || outcome.status === 'unreachable') {
    host.aheads = [];
    return;
  }
  if (outcome.status === 'ok') host.sawNoop = true;
  for (const a of host.aheads ?? []) a.valid = true;
}

/**
 * Takes what was sent ahead for this task; entries of tasks before it (skipped here) go. A task with no
 * entry leaves the others: its probe only reads, and an apply drops them all (applying).
 */
export function takeAhead(host: HostRun, taskId: string): HostAhead | undefined {
  const list = host.aheads ?? [];
  const at = list.findIndex((a) => a.taskId === taskId);
  if (at < 0) return undefined;
  const a = list[at]!;
  host.aheads = list.slice(at + 1);
  return a.valid ? a : undefined;
}

/** Whether probes of following tasks may go ahead in one batch: nothing applied yet, and a task found nothing to do. */
export function warmStreak(host: HostRun): boolean {
  return host.applied !== true && host.sawNoop === true && !host.aheads?.length;
}

/** conn, with the probes in batch sent ahead with its first command (when that command can carry them). */
export function carryingFirst(conn: Connection, batch: readonly Ahead[], sent: () => void): Connection {
  let first = true;
  const out: Connection = {
    host: conn.host,
    get execCount() {
      return conn.execCount;
    },
    exec: (cmd, opts) => {
      const carry = first && opts?.stdin === undefined && !opts?.isolate && !opts?.ahead?.length;
      first = false;
      if (!carry) return conn.exec(cmd, opts);
      return conn.exec(cmd, { ...opts, ahead: batch }).then((r) => {
        sent();
        return r;
      });
    },
    put: (path, content, mode, owner, po) => {
      first = false;
      return conn.put(path, content, mode, owner, po);
    },
    close: () => conn.close(),
  };
  if (conn.hold) out.hold = (cmd) => conn.hold!(cmd);
  return out;
}

/** conn, with its first command answered by the probe sent ahead when it is the same command. */
export function answeringFirst(conn: Connection, pre: HostAhead): Connection {
  let first = true;
  const isFirst = () => {
    const was = first;
    first = false;
    return was;
  };
  const out: Connection = {
    host: conn.host,
    get execCount() {
      return conn.execCount;
    },
    exec: (cmd, opts) => {
      if (!(isFirst() && cmd === pre.cmd && opts?.stdin === undefined && !opts?.isolate && !opts?.ahead?.length)) return conn.exec(cmd, opts);
      // the shell it went to ended (the connection lives on): run it again, as it would have run without pipelining
      return pre.result.then((r) => (r.code === 255 && r.stderr.endsWith(SHELL_ENDED) ? conn.exec(cmd, opts) : r));
    },
    put: (path, content, mode, owner, po) => {
      isFirst();
      return conn.put(path, content, mode, owner, po);
    },
    close: () => conn.close(),
  };
  if (conn.hold) out.hold = (cmd) => conn.hold!(cmd);
  return out;
}
