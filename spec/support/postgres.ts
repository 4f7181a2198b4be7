// A real PostgreSQL (Debian's package) for the state specs: initdb into a temporary directory as the
// `postgres` user (initdb refuses root), listening only on 127.0.0.1 at a free port, with a throwaway
// password made per run (scram-sha-256), removed after. `kill()` stops it the hard way (immediate).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  /** postgres://play@127.0.0.1:PORT/DB, no password in it */
  url: string;
  password: string;
  /** env for a play process: PGPASSWORD */
  env: NodeJS.ProcessEnv;
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** An unconnected client for one of its databases' URLs, with the password. */
  client(url: string): pg.Client;
  /** A fresh, empty database on the same server; returns its URL. */
  freshDatabase(): Promise<string>;
  /** Stops the server at once (pg_ctl -m immediate: no checkpoint, sessions cut off). */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql; see .ci/install)');
  return join(base, versions[0]!, 'bin');
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'play-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  chownSync(dir, uid, gid);
  chownSync(pwfile, uid, gid);
  const asPostgres = (cmd: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { cwd: dir });
  await asPostgres('initdb', ['-D', data, '-U', 'play', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync']);
  rmSync(pwfile);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off`;
  const start = async () => { await asPostgres('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']); };
  const stopWith = async (mode: string) => { await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']).catch(() => undefined); };
  await start();
  const urlOf = (db: string) => `postgres://play@127.0.0.1:${port}/${db}`;
  const query = async (sql: string, params?: unknown[], db = 'play') => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'play', database: db, password });
    await c.connect();
    try {
      return await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
  await query('CREATE DATABASE play', undefined, 'postgres');
  let n = 0;
  return {
    url: urlOf('play'), password, env: { PGPASSWORD: password },
    query: (sql, params) => query(sql, params),
    client: (url) => new pg.Client({ host: '127.0.0.1', port, user: 'play', database: new URL(url).pathname.slice(1), password }),
    freshDatabase: async () => {
      const db = `play_${process.pid}_${++n}`;
      await query(`CREATE DATABASE ${db}`, undefined, 'postgres');
      return urlOf(db);
    },
    kill: () => stopWith('immediate'),
    start,
    stop: async () => {
      await stopWith('fast');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Mocha helper: a server for the describe() block, started in before() and removed in after(). */
export function usePostgres(): { current: TestPostgres } {
  const handle = {} as { current: TestPostgres };
  before(async function () {
    this.timeout(60000);
    handle.current = await startPostgres();
  });
  after(async function () {
    this.timeout(30000);
    await handle.current?.stop();
  });
  return handle;
}
