// The state schema in PostgreSQL, created or migrated on first use. Each migration runs in its own
// transaction, under a transaction-level advisory lock, so two controllers starting on an empty
// database cannot both apply it; a failed migration leaves the previous version intact.
import type { Client } from 'pg';
import { StateError } from '../../errors.js';

/** Key of the advisory lock that serialises migrations (host locks use sha256 keys, see backend.ts). */
const MIGRATION_LOCK = 7_000_019;

/** Migration N brings the schema from version N-1 to N. Never edit one that shipped: add the next. */
export const MIGRATIONS: readonly string[] = [
  // 1: records, pending notifications, host names
  `CREATE TABLE play_records (
     identity text NOT NULL,
     task_id text NOT NULL,
     host text NOT NULL,
     role text,
     fingerprint text NOT NULL,
     result text NOT NULL,
     set_vars text,
     at text NOT NULL,
     PRIMARY KEY (identity, task_id)
   );
   CREATE TABLE play_pending (
     identity text NOT NULL,
     handler_id text NOT NULL,
     host text NOT NULL,
     PRIMARY KEY (identity, handler_id)
   );
   CREATE TABLE play_hosts (
     host text PRIMARY KEY,
     identity text NOT NULL
   );`,
  // 2: run history; each record and notification names the run that made it
  `CREATE TABLE play_runs (
     id bigserial PRIMARY KEY,
     who text NOT NULL,
     from_host text NOT NULL,
     started_at timestamptz NOT NULL DEFAULT now(),
     ended_at timestamptz,
     playbook text NOT NULL,
     tags text[],
     skip_tags text[],
     limit_pattern text,
     shard text,
     check_mode boolean NOT NULL DEFAULT false,
     exit_code integer,
     recap jsonb
   );
   ALTER TABLE play_records ADD COLUMN run_id bigint REFERENCES play_runs (id) ON DELETE SET NULL;
   ALTER TABLE play_pending ADD COLUMN run_id bigint REFERENCES play_runs (id) ON DELETE SET NULL;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema to `target` (default: the newest). Returns the version found before. */
export async function migrate(client: Client, target = SCHEMA_VERSION): Promise<number> {
  // The common case, a current schema, costs one round trip.
  const found = await currentVersion(client).catch((err: { code?: string }) => {
    if (err.code === '42P01') return null; // undefined_table: a new database
    throw err;
  });
  if (found === target) return found;
  if (found === null) await inTransaction(client, 'CREATE TABLE IF NOT EXISTS play_schema (version integer NOT NULL)');
  const before = found ?? (await currentVersion(client));
  if (before > SCHEMA_VERSION) {
    throw new StateError(`the state database has schema version ${before}, newer than this play knows (${SCHEMA_VERSION}); upgrade play`);
  }
  for (let v = before + 1; v <= target; v++) {
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      // Another controller may have migrated while we waited for the lock.
      if ((await currentVersion(client)) >= v) {
        await client.query('COMMIT');
        continue;
      }
      await client.query(MIGRATIONS[v - 1]!);
      await client.query('DELETE FROM play_schema');
      await client.query('INSERT INTO play_schema (version) VALUES ($1)', [v]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  return before;
}

async function inTransaction(client: Client, sql: string): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function currentVersion(client: Client): Promise<number> {
  const r = await client.query<{ version: number }>('SELECT max(version) AS version FROM play_schema');
  return r.rows[0]?.version ?? 0;
}
