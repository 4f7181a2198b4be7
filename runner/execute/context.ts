// The run's mutable bookkeeping, passed explicitly to every executor function.
import type { Connection } from '../connection/types.js';
import type { HostTally, RunEvent } from '../events.js';
import type { Redactor } from '../secrets/redact.js';
import type { ConnectionSpec, Inventory, InventoryHost, Plan, PlanTask, Vars } from '../types.js';
import type { StateSession } from '../state/types.js';
import type { IdentityClaims } from '../state/identity.js';
import type { HostAhead } from './ahead.js';

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
  /** --force-handlers: notified handlers run on hosts that failed, too. */
  forceHandlers?: boolean;
}

export type HostStatus = 'active' | 'failed' | 'unreachable';

export interface HostRun {
  name: string;
  spec: ConnectionSpec;
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
  status: HostStatus;
  tally: HostTally;
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
}

export function newTally(): HostTally {
  return { ok: 0, changed: 0, skipped: 0, failed: 0, unreachable: 0, rescued: 0, ignored: 0, doneBefore: 0, ms: 0, execs: 0 };
}
