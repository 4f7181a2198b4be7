// Executes a compiled Plan. All I/O comes in through `io`; the exit code comes from the recap.
import type { Connection } from '../connection/types.js';
import type { HostTally, RunEvent } from '../events.js';
import type { Redactor } from '../secrets/redact.js';
import type { StateSession } from '../state/types.js';
import type { ConnectionSpec, InventoryHost, Plan, PlanTask } from '../types.js';
import type { ExecuteOptions, RunContext } from './context.js';
import { runPlay } from './play.js';
import { closePool } from './conns.js';
import { type AskVar } from './prompts.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { planSummary } from './plan-summary.js';

export interface ExecuteIO {
  connect: (spec: ConnectionSpec) => Promise<Connection>;
  /** A host's connection spec (the composition root adds the CLI defaults and ssh_config); default connectionSpec(). */
  specFor?: (host: InventoryHost) => ConnectionSpec;
  emit: (event: RunEvent) => void;
  redactor: Redactor;
  state: StateSession | null;
  /** Lets a SIGINT handler stop the run between tasks. */
  onContext?: (ctx: RunContext) => void;
  /** --step: asked before each task; false skips it. */
  confirmTask?: (task: PlanTask) => Promise<boolean>;
  /** vars_prompt on the terminal; absent where there is none (see execute/prompts.ts). */
  askVar?: AskVar;
}

export interface RunSummary {
  hosts: Record<string, HostTally>;
  exitCode: number;
  interrupted: boolean;
  ms: number;
}

export async function executePlan(plan: Plan, opts: ExecuteOptions, io: ExecuteIO): Promise<RunSummary> {
  const started = Date.now();
  const ctx: RunContext = {
    plan, inventory: plan.inventory, opts, emit: io.emit, redactor: io.redactor,
    hosts: new Map(), connect: io.connect, specFor: io.specFor, state: io.state, interrupted: false, confirmTask: io.confirmTask, askVar: io.askVar,
  };
  io.onContext?.(ctx);
  const allHosts = [...new Set(plan.plays.flatMap((p) => p.hosts))];
  io.emit({ kind: 'run_start', playbook: plan.playbook, check: opts.check, hosts: allHosts });
  // Only a broken invariant of play gets here (a host's failure is its result): the recap still
  // comes first, then the error goes on to the caller, which flushes the store.
  let internal: { err: unknown } | undefined;
  try {
    for (const play of plan.plays) {
      if (ctx.interrupted || ctx.breakPlay) break;
      await runPlay(ctx, play);
    }
  } catch (err) {
    internal = { err };
  } finally {
    const own = new Set([...ctx.hosts.values()].flatMap((h) => (h.conn ? [h.conn] : [])));
    await Promise.all([...own].map((c) => c.close().catch(() => undefined)));
    await closePool(ctx, own);
  }
  const hosts = Object.fromEntries([...ctx.hosts.values()].map((h) => [h.name, { ...h.tally, execs: h.conn?.execCount ?? 0 }]));
  const ms = Date.now() - started;
  const summary = opts.check ? planSummary(hosts) : undefined;
  if (summary) io.emit({ kind: 'plan', ...summary });
  io.emit(summary ? { kind: 'recap', hosts, ms, plan: summary } : { kind: 'recap', hosts, ms });
  const exitCode = internal ? EXIT.internal : exitCodeFor(hosts, ctx.interrupted, opts.check && opts.detailedExitcode === true);
  io.emit({ kind: 'run_end', exitCode });
  if (internal) throw internal.err;
  return { hosts, exitCode, interrupted: ctx.interrupted, ms };
}
