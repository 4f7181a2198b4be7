// The postgres backend: one connection per run (its session holds the host locks, so they go when the
// run dies), records loaded per host in one round trip when the host is claimed, writes sent in call
// order and awaited at every task boundary (flush).
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { requireDependency } from '../../dependencies.js';
import { StateError } from '../../errors.js';
import { maskUrl, urlPassword, type ForgetFilter, type HostRow, type OpenBackendOptions, type RunEnd, type StateBackend } from '../backend.js';
import type { DoneRecord } from '../types.js';
import { Serial, WriteQueue, type Batch, type Notice } from './queue.js';
import { migrate } from './schema.js';
import * as sql from './sql.js';

type PgModule = typeof import('pg');

/** The driver, loaded at the first use (never for a local run). */
export function loadDriver(): PgModule {
  return requireDependency<PgModule>('pg');
}

/** Opens a connection; unreachable = StateError (exit 6), never a fallback to the local store. */
export async function connect(url: string, opts: Pick<OpenBackendOptions, 'env' | 'redactor'>): Promise<{ client: Client; mask: (s: string) => string }> {
  const env = opts.env ?? process.env;
  // Never argv: the URL only when it came from the environment (PLAY_STATE_URL), else play's secret
  // variable PLAY_SECRET_PGPASSWORD, PGPASSWORD, or ~/.pgpass (PGPASSFILE), in that order.
  const given = urlPassword(url) || env.PLAY_SECRET_PGPASSWORD || env.PGPASSWORD || undefined; // empty = not set
  const secrets = new Set<string>(given ? [given] : []);
  const mask = (s: string) => [...secrets].reduce((t, p) => t.split(p).join('***'), s);
  const remember = (p: string | undefined) => {
    if (p) { secrets.add(p); opts.redactor?.add(p); }
    return p;
  };
  remember(given);
  const pg = loadDriver();
  // query_timeout: a database that stops answering (a partition without a reset) fails the run
  // instead of hanging it; keepAlive notices a dead peer on an idle connection.
  const client = new pg.Client({ connectionString: url, application_name: 'play', connectionTimeoutMillis: 10_000, query_timeout: 120_000, keepAlive: true });
  // A function (set after construction: the connection string's absent password would override it), so
  // that no password found means a clean authentication error, not a driver crash.
  (client as unknown as { password: unknown }).password = async (params: { host: string; port: number; database: string; user: string }) =>
    remember(given ?? (await fromPgpass(params, env))) ?? '';
  try {
    await client.connect();
  } catch (err) {
    client.end().catch(() => undefined);
    throw new StateError(mask(`the state database ${maskUrl(url)} is unreachable (${why(err)}); play does not fall back to the local store: start the database or fix the URL, or pass --state local`));
  }
  return { client, mask };
}

export class PgBackend implements StateBackend {
  readonly kind = 'postgres' as const;
  private readonly records = new Map<string, Map<string, DoneRecord>>();
  private readonly pending = new Map<string, Set<string>>();
  private readonly held = new Set<string>();
  private readonly serial = new Serial();
  private readonly writes: WriteQueue;
  private unsent: Notice[] = [];
  private claims: Array<{ identity: string; done: (got: boolean) => void; failed: (err: unknown) => void }> = [];
  private lost: StateError | undefined;

  private constructor(private readonly client: Client, readonly where: string, private readonly runId: number | null,
    private readonly waitMs: number, private readonly mask: (s: string) => string) {
    // A dropped connection (database killed, network gone) surfaces here when no query is running.
    client.on('error', (err) => this.fail(err));
    this.writes = new WriteQueue(this.serial, (b) => this.sendBatch(b), (err) => this.fail(err));
  }

  static async open(url: string, opts: OpenBackendOptions): Promise<PgBackend> {
    const { client, mask } = await connect(url, opts);
    try {
      await migrate(client);
      const r = opts.run
        ? await client.query<{ id: string }>(sql.RUN_START_SQL, [opts.run.who, opts.run.from, opts.run.playbook, opts.run.tags ?? null,
          opts.run.skipTags ?? null, opts.run.limit ?? null, opts.run.shard ?? null, opts.run.check])
        : undefined;
      return new PgBackend(client, maskUrl(url), r ? Number(r.rows[0]!.id) : null, opts.waitMs, mask);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err instanceof StateError ? err : new StateError(mask(`the state database ${maskUrl(url)} could not be prepared: ${why(err)}`));
    }
  }

  /** Hosts claimed in the same tick share one round trip; a busy one is retried until the wait ends. */
  async claimHost(identity: string, _host?: string): Promise<boolean> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (this.held.has(identity)) return true;
      this.check();
      const got = await new Promise<boolean>((done, failed) => {
        if (this.claims.push({ identity, done, failed }) === 1) queueMicrotask(() => void this.sendClaims());
      });
      if (got) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((res) => setTimeout(res, Math.min(250, Math.max(10, deadline - Date.now()))));
    }
  }

  lookup(identity: string, taskId: string): DoneRecord | undefined {
    return this.records.get(identity)?.get(taskId);
  }

  recordDone(rec: DoneRecord): void {
    this.records.get(rec.identity)?.set(rec.taskId, rec);
    this.writes.push({
      kind: 'record', notices: this.takeUnsent(),
      rec: { identity: rec.identity, host: rec.host, taskId: rec.taskId, role: rec.role ?? null, fingerprint: rec.fingerprint,
        result: JSON.stringify(rec.result), setVars: rec.setVars === undefined ? null : JSON.stringify(rec.setVars), at: rec.at },
    });
  }

  /** Held back until the end of this tick: a record that follows at once carries it in its own item. */
  notify(identity: string, host: string, handlerId: string): void {
    const set = this.pending.get(identity) ?? new Set<string>();
    this.pending.set(identity, set);
    if (set.has(handlerId)) return;
    set.add(handlerId);
    if (this.unsent.length === 0) queueMicrotask(() => this.sendUnsent());
    this.unsent.push({ identity, handler_id: handlerId, host });
  }

  handled(identity: string, handlerId: string): void {
    this.sendUnsent();
    this.pending.get(identity)?.delete(handlerId);
    this.writes.push({ kind: 'handled', identity, handlerId });
  }

  pendingHandlers(identity: string): string[] {
    return [...(this.pending.get(identity) ?? [])];
  }

  /** Task boundary: everything written so far is committed before the next task starts, or the run stops. */
  async flush(): Promise<void> {
    this.sendUnsent();
    await this.writes.drain();
    this.check();
  }

  async forget(filter: ForgetFilter): Promise<number> {
    const params = [filter.host ?? null, filter.role ?? null, filter.taskId ?? null];
    return this.serial.run(async () => {
      await this.query('BEGIN');
      try {
        const n = (await this.query(sql.FORGET_RECORDS_SQL, params)).rowCount ?? 0;
        if (!filter.role && !filter.taskId) await this.query(sql.FORGET_PENDING_SQL, [params[0]]);
        await this.query('COMMIT');
        return n;
      } catch (err) {
        await this.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async show(host?: string): Promise<HostRow[]> {
    const r = await this.serial.run(() => this.query<{ host: string; identity: string; tasks: HostRow['tasks']; pending: string[] }>(sql.SHOW_SQL, [host ?? null]));
    return r.rows.map((x) => ({
      host: x.host, identity: x.identity, pendingHandlers: x.pending,
      tasks: x.tasks.map((t) => (t.role === null ? { id: t.id, at: t.at, run: t.run ?? undefined } : { ...t, run: t.run ?? undefined })),
    }));
  }

  /** Rows of the run history, newest first. */
  async runs(limit = 50): Promise<Array<Record<string, unknown>>> {
    return (await this.serial.run(() => this.query(sql.RUNS_SQL, [limit]))).rows;
  }

  /** The connection, for push and pull (their own transactions, no run in progress). */
  get connection(): Client {
    return this.client;
  }

  async close(end?: RunEnd): Promise<void> {
    try {
      await this.flush();
      if (this.runId !== null && end) await this.serial.run(() => this.query(sql.RUN_END_SQL, [this.runId, end.exitCode, JSON.stringify(end.hosts)]));
    } finally {
      await this.client.end().catch(() => undefined); // the session ends: every host lock goes with it
    }
  }

  async abandon(): Promise<void> {
    await this.writes.drain();
    await this.client.end().catch(() => undefined);
  }

  private async sendClaims(): Promise<void> {
    const batch = this.claims;
    this.claims = [];
    const ids = [...new Set(batch.map((c) => c.identity))];
    try {
      const r = await this.serial.run(() => this.query<ClaimRow>(sql.CLAIM_SQL, [ids, ids.map(lockKey)]));
      const fresh = new Set<string>();
      for (const row of r.rows) {
        if (!row.got || (this.held.has(row.identity) && !fresh.has(row.identity))) continue;
        if (!fresh.has(row.identity)) {
          fresh.add(row.identity);
          this.held.add(row.identity);
          this.records.set(row.identity, new Map());
          if (!this.pending.has(row.identity)) this.pending.set(row.identity, new Set());
        }
        if (row.task_id !== null) this.records.get(row.identity)!.set(row.task_id, toRecord(row));
        if (row.handler_id !== null) this.pending.get(row.identity)!.add(row.handler_id);
      }
      for (const c of batch) c.done(this.held.has(c.identity));
    } catch (err) {
      for (const c of batch) c.failed(err);
    }
  }

  private sendBatch(b: Batch): Promise<void> {
    const sent = b.kind === 'record'
      ? this.query(sql.WRITE_SQL, [JSON.stringify(b.notices), this.runId, JSON.stringify(b.records)])
      : this.query(sql.HANDLED_SQL, [JSON.stringify(b.done)]);
    return sent.then(() => undefined);
  }
  private sendUnsent(): void {
    const notices = this.takeUnsent();
    if (notices.length) this.writes.push({ kind: 'record', notices });
  }
  private takeUnsent(): Notice[] {
    const out = this.unsent;
    this.unsent = [];
    return out;
  }
  /** Callers go through this.serial: one query at a time on the connection. */
  private query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]) {
    if (this.lost) return Promise.reject(this.lost);
    return this.client.query<R>(text, params).catch((err: unknown) => {
      this.fail(err);
      throw this.lost ?? err;
    });
  }
  private fail(err: unknown): void {
    this.lost ??= new StateError(this.mask(`the state database ${this.where} failed mid-run (${why(err)}): no new task was started; everything recorded before is intact, run again when it is back`));
  }
  private check(): void {
    if (this.lost) throw this.lost;
  }
}

/** Advisory lock key of a host: the first 8 bytes of sha256 over its identity, as a signed bigint. */
export function lockKey(identity: string): string {
  return createHash('sha256').update(`play-host:${identity}`).digest().readBigInt64BE(0).toString();
}

type ClaimRow = {
  identity: string;
  got: boolean;
  task_id: string | null;
  host: string;
  role: string | null;
  fingerprint: string;
  result: string;
  set_vars: string | null;
  at: string;
  handler_id: string | null;
};

function toRecord(x: ClaimRow): DoneRecord {
  const rec: DoneRecord = { identity: x.identity, host: x.host, taskId: x.task_id!, fingerprint: x.fingerprint, result: JSON.parse(x.result) as Record<string, unknown>, at: x.at };
  if (x.role !== null) rec.role = x.role;
  if (x.set_vars !== null) rec.setVars = JSON.parse(x.set_vars) as Record<string, unknown>;
  return rec;
}

type PgpassFn = (conn: { host: string; port: number; database: string; user: string }, cb: (pw: string | undefined) => void) => void;

function fromPgpass(conn: { host: string; port: number; database: string; user: string }, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.PGPASSFILE) process.env.PGPASSFILE = env.PGPASSFILE;
  // pgpass skips the file whenever PGPASSWORD is set, even empty; libpq treats empty as unset
  if (process.env.PGPASSWORD === '') delete process.env.PGPASSWORD;
  const lookup = requireDependency<PgpassFn>('pgpass');
  return new Promise((resolve) => lookup(conn, resolve));
}

function why(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { code?: string };
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') return `connection refused: ${e.message}`;
  return e.message || String(err);
}
