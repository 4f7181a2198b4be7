// The run's mutable bookkeeping, passed explicitly to every executor function.
import type { Connection } from '../connection/types.js';
import type { HostTally, RunEvent } from '../events.js';
import type { Redactor } from '../secrets/redact.js';
import type { ConnectionSpec, Inventory, InventoryHost, Plan, PlanTask, Vars } from '../types.js';
import type { StateSession } from '../state/types.js';
import type { IdentityClaims } from '../state/identity.js';
import type { HostAhead } from './ahead.js';
import type { PredictedState } from '../predict/model.js';
import type { AskVar } from './prompts.js';

export interface ExecuteOptions {
  check: boolean;
  diff: boolean;
  forks: number;
  verbose: boolean;
  /** Ignore the state records and rewrite them. */
  force: boolean;
  /** Probe recorded tasks anyway, report drift and repair it. */
  verify: boolean;
  /** Default limit for any one command, in seconds. */
  defaultTimeoutSec: number;
  /** How long to wait for another run's host-side lock (--state-wait); 0 fails the host at once. */
  hostLockWaitSec?: number;
  /** --check --detailed-exitcode: exit EXIT.changesPending when nothing would fail but something would change. */
  detailedExitcode?: boolean;
  /** --force-handlers: notified handlers run on hosts that failed, too. */
  forceHandlers?: boolean;
  /** --tags and --skip-tags as asked (ansible_run_tags, ansible_skip_tags). */
  runTags?: string[];
  skipTags?: string[];
}

/** 'halted': taken out of the play by any_errors_fatal, a failed run_once or max_fail_percentage (not a failure of its own). */
export type HostStatus = 'active' | 'failed' | 'unreachable' | 'halted';

export interface HostRun {
  name: string;
  /** How the current play reaches the host (its remote_user applied); `conn` is open to it. */
  spec: ConnectionSpec;
  /** The host's spec without any remote_user keyword (execute/conns.ts). */
  baseSpec?: ConnectionSpec;
  conn?: Connection;
  /** Machine-id + SSH host key + inventory name, hashed (state/identity.ts): a rebuilt host or a clone is a new host. */
  identity?: string;
  /** The host-side run lock, once taken (execute/host-identity.ts). */
  hostLock?: 'held' | 'unavailable';
  /** Gives the host lock back (settleHostLocks retakes locks in one order). */
  releaseHostLock?: () => void;
  /** Why the lock was busy at the first, non-waiting attempt; settled before any task runs. */
  hostLockBusy?: string;
  facts: Vars;
  factsGathered: boolean;
  /** register: results and set_fact values; they live for the whole run. */
  registered: Vars;
  /** Changed only through setStatus, which tells the play's cached magic variables (execute/vars.ts). */
  readonly status: HostStatus;
  tally: HostTally;
  /** --check: what the tasks so far would have left on the host (runner/predict/model.ts). */
  predicted?: PredictedState;
  /** Handler ids notified and not yet run, in this play. */
  notified: Set<string>;
  /** Probes of following tasks sent ahead, in task order (runner/execute/ahead.ts). */
  aheads?: HostAhead[];
  /** Whether a task has applied anything on this host in this run, and whether one found nothing to do. */
  applied?: boolean;
  sawNoop?: boolean;
}

export interface RunContext {
  plan: Plan;
  inventory: Inventory;
  opts: ExecuteOptions;
  emit: (event: RunEvent) => void;
  redactor: Redactor;
  hosts: Map<string, HostRun>;
  connect: (spec: ConnectionSpec) => Promise<Connection>;
  specFor?: (host: InventoryHost) => ConnectionSpec;
  state: StateSession | null;
  /** Set by SIGINT: no new task starts. */
  interrupted: boolean;
  /** The machines the run's hosts presented (see execute/host-identity.ts); made on first use. */
  identities?: IdentityClaims;
  /** --step: asked before each task; false skips it on every host. */
  confirmTask?: (task: PlanTask) => Promise<boolean>;
  /** The play's hosts and the current serial batch (ansible_play_hosts, ansible_play_batch). */
  playRun?: { all: string[]; batch: string[]; startedActive?: ReadonlySet<string> };
  /** Connections other than a host's own (delegate_to, remote_user), by target and user (execute/conns.ts). */
  pool?: Map<string, Promise<Connection>>;
  /** vars_prompt on the terminal, when there is one. */
  askVar?: AskVar;
  /** any_errors_fatal, a failed run_once or max_fail_percentage ended the play: no later play runs. */
  breakPlay?: boolean;
  /** Bumped by every setStatus: what was computed from the hosts' statuses (ansible_play_hosts) is stale. */
  statusEpoch?: number;
  /** The play-wide magic variables, for as long as no status changed (execute/vars.ts). */
  playMagicCache?: { epoch: number; play: object; playRun: object | undefined; vars: Vars };
}

/** The one way a host's status changes. */
export function setStatus(ctx: RunContext, h: HostRun, status: HostStatus): void {
  if (h.status === status) return;
  (h as { status: HostStatus }).status = status;
  ctx.statusEpoch = (ctx.statusEpoch ?? 0) + 1;
}

export function newTally(): HostTally {
  return { ok: 0, changed: 0, skipped: 0, failed: 0, unreachable: 0, rescued: 0, ignored: 0, doneBefore: 0, unknown: 0, ms: 0, execs: 0 };
}
