// The state store behind one small interface: `local` (the .play/ journal, zero setup) or `postgres`
// (shared by a team or a fleet). The executor sees a StateSession; the composition root opens a backend.
import type { HostTally } from '../events.js';
import type { Redactor } from '../secrets/redact.js';
import { UsageError } from '../errors.js';
import type { DoneRecord, StateSession } from './types.js';

export type StateLocation = { kind: 'local'; dir: string } | { kind: 'postgres'; url: string };

/** Who ran what, for the run history (postgres keeps it; local does not). */
export interface RunInfo {
  who: string;
  from: string;
  playbook: string;
  tags?: string[];
  skipTags?: string[];
  limit?: string;
  shard?: string;
  check: boolean;
}

export interface RunEnd {
  exitCode: number;
  hosts: Record<string, HostTally>;
}

/** What `play state show` prints per host; a postgres store also names the run that did each task. */
export interface HostRow {
  host: string;
  identity: string;
  tasks: Array<{ id: string; role?: string; at: string; run?: RunRef }>;
  pendingHandlers: string[];
}

export interface RunRef {
  id: number;
  who: string;
  from: string;
  playbook: string;
}

export interface ForgetFilter {
  host?: string;
  role?: string;
  taskId?: string;
}

export interface StateBackend extends StateSession {
  readonly kind: StateLocation['kind'];
  /** Where it lives, safe to print (a URL's password is masked). */
  readonly where: string;
  /**
   * Before working on a host: take its lock and load its records and pending handlers (one round trip).
   * false = another controller holds it (after waiting as long as the backend was opened to wait).
   */
  claimHost(identity: string, host: string): Promise<boolean>;
  forget(filter: ForgetFilter): Promise<number>;
  show(host?: string): Promise<HostRow[]>;
  /** Makes everything durable, ends the run's history entry, releases every lock. */
  close(end?: RunEnd): Promise<void>;
  /** After a failure: releases the locks and keeps what was written, trying nothing more. */
  abandon(): Promise<void>;
}

export interface OpenBackendOptions {
  /** Wait this long for a lock held by another run, then refuse (local) or report the host busy (postgres). */
  waitMs: number;
  redactor?: Redactor;
  env?: NodeJS.ProcessEnv;
  /** Present for a playbook run: recorded in the run history. */
  run?: RunInfo;
}

/**
 * Where the store is: `--state` (a postgres:// URL, or `local`), else env PLAY_STATE_URL, else the local
 * directory. A password written into the URL on the command line would sit in argv: refused.
 */
export function resolveStateLocation(flag: string | undefined, env: NodeJS.ProcessEnv, localDir: string): StateLocation {
  const chosen = flag ?? (env.PLAY_STATE_URL || undefined);
  if (chosen === undefined || chosen === 'local') return { kind: 'local', dir: localDir };
  if (!/^postgres(ql)?:\/\//.test(chosen)) {
    throw new UsageError(`${flag !== undefined ? '--state' : 'PLAY_STATE_URL'} expects 'local' or a postgres://user@host:port/database URL, got '${maskUrl(chosen)}'`);
  }
  if (flag !== undefined && urlPassword(chosen)) {
    throw new UsageError(`--state ${maskUrl(chosen)}: a password on the command line is visible to every user (argv); put it in PGPASSWORD, PLAY_SECRET_PGPASSWORD or ~/.pgpass`);
  }
  return { kind: 'postgres', url: chosen };
}

/** The URL with any password replaced by ***, for every message. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@');
}

export function urlPassword(url: string): string | undefined {
  const m = /^[a-z]+:\/\/[^:@/?#]*:([^@/?#]*)@/i.exec(url);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

/** Groups records by identity, for the batch load and for push/pull. */
export function byIdentity(records: Iterable<DoneRecord>): Map<string, DoneRecord[]> {
  const out = new Map<string, DoneRecord[]>();
  for (const r of records) {
    const list = out.get(r.identity);
    if (list) list.push(r);
    else out.set(r.identity, [r]);
  }
  return out;
}
