// The postgres backend against a real PostgreSQL (started here, removed after), no SSH hosts:
// atomicity of a record with its notifications, locks across sessions, migrations, loss, push/pull.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { StateError } from '../../runner/errors.js';
import { PgBackend } from '../../runner/state/postgres/backend.js';
import { migrate, SCHEMA_VERSION } from '../../runner/state/postgres/schema.js';
import { pullToLocal, pushLocal } from '../../runner/state/postgres/transfer.js';
import { readSnapshot } from '../../runner/state/journal.js';
import { StateStore } from '../../runner/state/store.js';
import type { DoneRecord } from '../../runner/state/types.js';
import { usePostgres } from '../support/postgres.js';

const rec = (identity: string, taskId: string, extra: Partial<DoneRecord> = {}): DoneRecord =>
  ({ identity, host: `host-${identity}`, taskId, fingerprint: `fp-${taskId}`, result: { changed: true, msg: taskId }, at: new Date().toISOString(), ...extra });

describe('postgres state backend (real PostgreSQL)', function () {
  const server = usePostgres();
  let url = '';
  const open = (o: { waitMs?: number } = {}) => PgBackend.open(url, { waitMs: o.waitMs ?? 0, env: server.current.env });
  const rows = async (sql: string, params: unknown[] = []) => {
    const c = server.current.client(url);
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as Array<Record<string, unknown>>;
    } finally {
      await c.end();
    }
  };
  beforeEach(async () => {
    url = await server.current.freshDatabase();
  });

  it('records made by one controller are honoured by the next, with their pending handlers', async () => {
    const a = await open();
    expect(await a.claimHost('id-1', 'h1')).to.equal(true);
    a.notify('id-1', 'h1', 'play/restart');
    a.recordDone(rec('id-1', 'site.yml/config', { setVars: { flavour: 'vanilla' }, role: 'r' }));
    a.recordDone(rec('id-1', 'site.yml/loop[0]'));
    await a.close({ exitCode: 0, hosts: {} });
    const b = await open();
    expect(b.lookup('id-1', 'site.yml/config'), 'not loaded before the claim').to.equal(undefined);
    expect(await b.claimHost('id-1', 'h1')).to.equal(true);
    expect(b.lookup('id-1', 'site.yml/config')).to.deep.include({ host: 'host-id-1', role: 'r', setVars: { flavour: 'vanilla' }, result: { changed: true, msg: 'site.yml/config' } });
    expect(b.pendingHandlers('id-1')).to.deep.equal(['play/restart']);
    b.handled('id-1', 'play/restart');
    expect(await b.forget({ taskId: 'site.yml/loop' })).to.equal(1);
    await b.close();
    expect(await rows('SELECT handler_id FROM play_pending')).to.deep.equal([]);
    expect((await rows('SELECT task_id FROM play_records')).map((r) => r.task_id)).to.deep.equal(['site.yml/config']);
  });

  it('a record and the notifications it depends on commit in one transaction: both or neither', async () => {
    const a = await open();
    await a.claimHost('id-1', 'h1');
    // Make the next record fail inside the database: its notification must not be committed either.
    await rows(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
      CREATE TRIGGER refuse BEFORE INSERT ON play_records FOR EACH ROW EXECUTE FUNCTION refuse()`);
    a.notify('id-1', 'h1', 'play/restart');
    a.recordDone(rec('id-1', 'site.yml/config'));
    const err = await a.flush().then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(StateError);
    expect((err as Error).message).to.match(/failed mid-run \(refused by the test\): no new task was started/);
    await a.abandon();
    expect(await rows('SELECT * FROM play_pending'), 'the notification went with the record').to.deep.equal([]);
    expect(await rows('SELECT * FROM play_records')).to.deep.equal([]);
    await rows('DROP TRIGGER refuse ON play_records');
    const b = await open();
    await b.claimHost('id-1', 'h1');
    b.notify('id-1', 'h1', 'play/restart');
    b.recordDone(rec('id-1', 'site.yml/config'));
    await b.flush();
    await b.abandon(); // as if killed right after the task boundary: both are there
    expect((await rows('SELECT handler_id FROM play_pending')).map((r) => r.handler_id)).to.deep.equal(['play/restart']);
    expect((await rows('SELECT task_id FROM play_records')).map((r) => r.task_id)).to.deep.equal(['site.yml/config']);
  });

  it('a host lock: a second controller is refused, waits, and gets it when the holder\'s session dies', async () => {
    const a = await open();
    const b = await open();
    expect(await a.claimHost('id-1', 'h1')).to.equal(true);
    expect(await b.claimHost('id-1', 'h1'), 'held by a').to.equal(false);
    expect(await b.claimHost('id-2', 'h2'), 'another host is free').to.equal(true);
    const c = await open({ waitMs: 30_000 });
    const waiting = c.claimHost('id-1', 'h1');
    // a's session dies (as when its process is SIGKILLed): the server drops its advisory locks.
    const aPid = (a.connection as unknown as { processID: number }).processID;
    expect(await rows("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1", [aPid])).to.have.length(1);
    await rows('SELECT pg_terminate_backend($1)', [aPid]);
    expect(await waiting).to.equal(true);
    await a.abandon();
    await b.close();
    await c.close();
  });

  it('migrates a database at schema version 1: records kept, run history added', async () => {
    const c = server.current.client(url);
    await c.connect();
    expect(await migrate(c, 1)).to.equal(0);
    await c.query(`INSERT INTO play_records (identity, task_id, host, fingerprint, result, at) VALUES ('id-1', 'old/task', 'h1', 'fp', '{"msg":"old"}', '2026-01-01T00:00:00.000Z')`);
    await c.query(`INSERT INTO play_hosts VALUES ('h1', 'id-1')`);
    await c.end();
    const b = await PgBackend.open(url, { waitMs: 0, env: server.current.env, run: { who: 'ci', from: 'runner-1', playbook: 'site.yml', check: false } });
    expect((await rows('SELECT version FROM play_schema'))[0]!.version).to.equal(SCHEMA_VERSION);
    await b.claimHost('id-1', 'h1');
    expect(b.lookup('id-1', 'old/task')).to.deep.include({ fingerprint: 'fp', result: { msg: 'old' } });
    const shown = await b.show('h1');
    expect(shown[0]!.tasks).to.deep.equal([{ id: 'old/task', at: '2026-01-01T00:00:00.000Z', run: undefined }]);
    await b.close({ exitCode: 0, hosts: {} });
    expect((await rows('SELECT who, from_host, exit_code FROM play_runs'))).to.deep.equal([{ who: 'ci', from_host: 'runner-1', exit_code: 0 }]);
  });

  it('unreachable at start: a StateError naming the database, its password masked', async () => {
    const dead = url.replace(/:\d+\//, ':1/').replace('play@', 'play:hunter2-secret@');
    const err = await PgBackend.open(dead, { waitMs: 0 }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(StateError);
    expect((err as Error).message).to.match(/the state database postgres:\/\/play:\*\*\*@127\.0\.0\.1:1\/\S+ is unreachable .*does not fall back to the local store/);
    expect((err as Error).message).not.to.include('hunter2-secret');
  });

  it('the database killed mid-run: the next task boundary fails with a StateError; what was committed stays', async () => {
    const a = await open();
    await a.claimHost('id-1', 'h1');
    a.recordDone(rec('id-1', 'first'));
    await a.flush();
    await server.current.kill();
    try {
      a.recordDone(rec('id-1', 'second'));
      const err = await a.flush().then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(StateError);
      expect((err as Error).message).to.match(/failed mid-run .*everything recorded before is intact/);
      await a.abandon();
    } finally {
      await server.current.start();
    }
    expect((await rows('SELECT task_id FROM play_records')).map((r) => r.task_id)).to.deep.equal(['first']);
  });

  it('push then pull round-trips a local store', async () => {
    const src = mkdtempSync(join(tmpdir(), 'play-push-'));
    const store = await StateStore.open(src);
    store.notify('id-1', 'h1', 'play/restart');
    store.recordDone(rec('id-1', 'a', { host: 'h1', role: 'r', setVars: { x: 1 } }));
    store.recordDone(rec('id-2', 'b', { host: 'h2' }));
    store.close();
    const p = await open();
    expect(await pushLocal(src, p)).to.deep.equal({ records: 2, pending: 1 });
    await p.close();
    const dst = mkdtempSync(join(tmpdir(), 'play-pull-'));
    const q = await open();
    expect(await pullToLocal(q, dst)).to.deep.equal({ records: 2, pending: 1 });
    await q.close();
    expect(readSnapshot(dst)).to.deep.equal(readSnapshot(src));
  });
});
