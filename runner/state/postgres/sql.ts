// The statements of the postgres backend. A record and the notifications it depends on are one
// statement (data-modifying CTEs), hence one transaction: both are committed, or neither.

/** Notifications as a JSON array of {identity, handler_id, host}; $2 = run id. */
const PENDING_CTE = `n AS (
  INSERT INTO play_pending (identity, handler_id, host, run_id)
  SELECT x.identity, x.handler_id, x.host, $2::bigint FROM jsonb_to_recordset($1::jsonb) AS x(identity text, handler_id text, host text)
  ON CONFLICT (identity, handler_id) DO NOTHING
)`;

/** $1 notifications, $2 run id, $3 records: all of a batch in one statement (one transaction). */
export const WRITE_SQL = `WITH ${PENDING_CTE}, recs AS (
  SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(identity text, host text, "taskId" text, role text, fingerprint text, result text, "setVars" text, at text)
), h AS (
  INSERT INTO play_hosts (host, identity)
  SELECT DISTINCT ON (host) host, identity FROM (
    SELECT host, identity FROM recs
    UNION ALL SELECT x.host, x.identity FROM jsonb_to_recordset($1::jsonb) AS x(identity text, handler_id text, host text)
  ) u
  ON CONFLICT (host) DO UPDATE SET identity = excluded.identity
)
INSERT INTO play_records (identity, host, task_id, role, fingerprint, result, set_vars, at, run_id)
SELECT identity, host, "taskId", role, fingerprint, result, "setVars", at, $2::bigint FROM recs
ON CONFLICT (identity, task_id) DO UPDATE SET host = excluded.host, role = excluded.role, fingerprint = excluded.fingerprint,
  result = excluded.result, set_vars = excluded.set_vars, at = excluded.at, run_id = excluded.run_id`;

/** $1 = [{identity, handler_id}] */
export const HANDLED_SQL = `DELETE FROM play_pending p USING jsonb_to_recordset($1::jsonb) AS x(identity text, handler_id text)
WHERE p.identity = x.identity AND p.handler_id = x.handler_id`;

/**
 * Takes the locks of several hosts and, for each one it got, loads all its records and pending handlers:
 * one round trip for every host claimed in the same tick. Plain rows (one per record, one per pending
 * handler, one for a host with neither or not got), not JSON: cheaper to build and to parse. The CTE
 * calls a volatile function and is MATERIALIZED: evaluated once per host, never inlined.
 */
export const CLAIM_SQL = `WITH req AS MATERIALIZED (
  SELECT r.identity, pg_try_advisory_lock(r.key) AS got FROM unnest($1::text[], $2::bigint[]) AS r(identity, key)
)
SELECT req.identity, req.got, r.task_id, r.host, r.role, r.fingerprint, r.result, r.set_vars, r.at, NULL::text AS handler_id
FROM req LEFT JOIN play_records r ON req.got AND r.identity = req.identity
UNION ALL
SELECT p.identity, true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, p.handler_id
FROM req JOIN play_pending p ON req.got AND p.identity = req.identity`;

export const RUN_START_SQL = `INSERT INTO play_runs (who, from_host, playbook, tags, skip_tags, limit_pattern, shard, check_mode)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`;

export const RUN_END_SQL = 'UPDATE play_runs SET ended_at = now(), exit_code = $2, recap = $3::jsonb WHERE id = $1';

/** Every host with its records (and the run that made each) and pending handlers; $1 = one host or null. */
export const SHOW_SQL = `SELECT h.host, h.identity,
  (SELECT coalesce(json_agg(json_build_object('id', r.task_id, 'role', r.role, 'at', r.at, 'run', CASE WHEN u.id IS NULL THEN NULL ELSE
     json_build_object('id', u.id, 'who', u.who, 'from', u.from_host, 'playbook', u.playbook) END) ORDER BY r.at, r.task_id), '[]'::json)
   FROM play_records r LEFT JOIN play_runs u ON u.id = r.run_id WHERE r.identity = h.identity) AS tasks,
  (SELECT coalesce(json_agg(p.handler_id ORDER BY p.handler_id), '[]'::json) FROM play_pending p WHERE p.identity = h.identity) AS pending
FROM play_hosts h WHERE $1::text IS NULL OR h.host = $1 ORDER BY h.host`;

export const RUNS_SQL = `SELECT id, who, from_host, started_at, ended_at, playbook, tags, skip_tags, limit_pattern, shard, check_mode, exit_code, recap
FROM play_runs ORDER BY id DESC LIMIT $1`;

/** $1 host (or null: all), $2 role, $3 task id (also its loop items). */
export const FORGET_RECORDS_SQL = `DELETE FROM play_records WHERE ($1::text IS NULL OR identity = (SELECT identity FROM play_hosts WHERE host = $1))
  AND ($2::text IS NULL OR role = $2) AND ($3::text IS NULL OR task_id = $3 OR starts_with(task_id, $3 || '['))`;

export const FORGET_PENDING_SQL = 'DELETE FROM play_pending WHERE $1::text IS NULL OR identity = (SELECT identity FROM play_hosts WHERE host = $1)';
