// `play state push` (local -> postgres) and `pull` (postgres -> local). Where both sides hold a record of
// the same task on the same identity, the newer one (by `at`) wins; pending handlers are unioned.
import { StateStore } from '../store.js';
import type { DoneRecord } from '../types.js';
import type { PgBackend } from './backend.js';
import { hostname, userInfo } from 'node:os';

export interface Moved {
  records: number;
  pending: number;
}

const PUSH_RECORDS = `INSERT INTO play_records (identity, host, task_id, role, fingerprint, result, set_vars, at, run_id)
SELECT x.identity, x.host, x."taskId", x.role, x.fingerprint, x.result, x."setVars", x.at, $2::bigint
FROM jsonb_to_recordset($1::jsonb) AS x(identity text, host text, "taskId" text, role text, fingerprint text, result text, "setVars" text, at text)
ON CONFLICT (identity, task_id) DO UPDATE SET host = excluded.host, role = excluded.role, fingerprint = excluded.fingerprint,
  result = excluded.result, set_vars = excluded.set_vars, at = excluded.at, run_id = excluded.run_id
WHERE play_records.at < excluded.at`;

const PUSH_PENDING = `INSERT INTO play_pending (identity, handler_id, host, run_id)
SELECT x.identity, x.handler_id, x.host, $2::bigint FROM jsonb_to_recordset($1::jsonb) AS x(identity text, handler_id text, host text)
ON CONFLICT (identity, handler_id) DO NOTHING`;

const PUSH_HOSTS = `INSERT INTO play_hosts (host, identity)
SELECT x.host, x.identity FROM jsonb_to_recordset($1::jsonb) AS x(host text, identity text)
ON CONFLICT (host) DO UPDATE SET identity = excluded.identity`;

/** One transaction: the whole local store arrives, or nothing does. */
export async function pushLocal(dir: string, pg: PgBackend): Promise<Moved> {
  const store = await StateStore.open(dir); // its lock: no local run writes while we read
  const snap = store.snapshot();
  store.abandon();
  const records = Object.values(snap.done).flatMap((tasks) => Object.values(tasks)).map((r) => ({
    ...r, result: JSON.stringify(r.result), setVars: r.setVars === undefined ? null : JSON.stringify(r.setVars),
  }));
  const hostOf = new Map(Object.entries(snap.hosts).map(([h, id]) => [id, h]));
  const pending = Object.entries(snap.pending).flatMap(([identity, ids]) => ids.map((handler_id) => ({ identity, handler_id, host: hostOf.get(identity) ?? identity })));
  const hosts = Object.entries(snap.hosts).map(([host, identity]) => ({ host, identity }));
  const c = pg.connection;
  await c.query('BEGIN');
  try {
    const run = await c.query<{ id: string }>(`INSERT INTO play_runs (who, from_host, playbook, ended_at, exit_code) VALUES ($1, $2, $3, now(), 0) RETURNING id`,
      [whoAmI(), hostname(), `(state push from ${dir})`]);
    const runId = run.rows[0]!.id;
    await c.query(PUSH_HOSTS, [JSON.stringify(hosts)]);
    await c.query(PUSH_RECORDS, [JSON.stringify(records), runId]);
    await c.query(PUSH_PENDING, [JSON.stringify(pending), runId]);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return { records: records.length, pending: pending.length };
}

/** Through the local store's own API (journal, then compaction), under its lock. */
export async function pullToLocal(pg: PgBackend, dir: string): Promise<Moved> {
  const c = pg.connection;
  const recs = await c.query<{ identity: string; host: string; task_id: string; role: string | null; fingerprint: string; result: string; set_vars: string | null; at: string }>(
    'SELECT identity, host, task_id, role, fingerprint, result, set_vars, at FROM play_records ORDER BY identity, task_id');
  const pend = await c.query<{ identity: string; handler_id: string; host: string }>('SELECT identity, handler_id, host FROM play_pending ORDER BY identity, handler_id');
  const hosts = await c.query<{ host: string; identity: string }>('SELECT host, identity FROM play_hosts');
  const nameOf = new Map(hosts.rows.map((h) => [h.identity, h.host]));
  const store = await StateStore.open(dir);
  let records = 0;
  try {
    for (const r of recs.rows) {
      const rec: DoneRecord = { identity: r.identity, host: nameOf.get(r.identity) ?? r.host, taskId: r.task_id, fingerprint: r.fingerprint, result: JSON.parse(r.result) as Record<string, unknown>, at: r.at };
      if (r.role !== null) rec.role = r.role;
      if (r.set_vars !== null) rec.setVars = JSON.parse(r.set_vars) as Record<string, unknown>;
      const mine = store.lookup(rec.identity, rec.taskId);
      if (mine && mine.at >= rec.at) continue;
      store.recordDone(rec);
      records++;
    }
    for (const p of pend.rows) store.notify(p.identity, nameOf.get(p.identity) ?? p.host, p.handler_id);
  } catch (err) {
    store.abandon();
    throw err;
  }
  store.close();
  return { records, pending: pend.rows.length };
}

function whoAmI(): string {
  try {
    return process.env.USER || userInfo().username;
  } catch {
    return 'unknown';
  }
}
