// End to end: bin/play on real test hosts with the local store and with postgres, at 10 and 50 hosts:
// one first run (records everything) and reruns with everything recorded (one exec per host).
// PostgreSQL is started here as in the specs. Run under the hosts lock:
//   flock /tmp/play-hosts.lock node --import tsx bench/state-rerun.ts [reruns=3]
// Hosts: 127.0.70.2.. in /srv/testbed-pgbench (PLAY_PGBENCH_FIRST_IP / PLAY_PGBENCH_DIR).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPool } from './hosts.js';
import { startPostgres } from '../spec/support/postgres.js';

const ROOT = join(import.meta.dirname, '..');
const RERUNS = Number(process.argv[2] ?? 3);
const PLAYBOOK = join(ROOT, 'bench', 'playbooks', 'generic.yml');

function timed(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = spawn(join(ROOT, 'bin', 'play'), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ ms: performance.now() - t0, code: code ?? 1, out }));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const pool = await startPool(50, process.env.PLAY_PGBENCH_DIR ?? '/srv/testbed-pgbench', process.env.PLAY_PGBENCH_FIRST_IP ?? '127.0.70.2');
const pg = await startPostgres();
const rows: string[] = [];
try {
  for (const n of [10, 50]) {
    const inv = await pool.inventory(n);
    for (const kind of ['local', 'postgres'] as const) {
      await pool.reset(n);
      const state = kind === 'local' ? ['--state-dir', mkdtempSync(join(tmpdir(), 'play-rerun-'))] : ['--state', await pg.freshDatabase()];
      const args = [PLAYBOOK, '-i', inv, '--known-hosts', pool.knownHostsPath, '--json', '--forks', String(n), ...state];
      const first = await timed(args, pg.env);
      if (first.code !== 0) throw new Error(`first run (${kind}, ${n} hosts) exit ${first.code}: ${first.out.slice(-2000)}`);
      const again: number[] = [];
      for (let i = 0; i < RERUNS; i++) {
        const r = await timed(args, pg.env);
        if (r.code !== 0 || !r.out.includes('"doneBefore":30')) throw new Error(`rerun (${kind}, ${n} hosts) exit ${r.code}: ${r.out.slice(-2000)}`);
        again.push(r.ms);
      }
      rows.push(`| ${n} | ${kind} | ${first.ms.toFixed(0)} | ${median(again).toFixed(0)} | ${again.map((x) => x.toFixed(0)).join(', ')} |`);
      process.stdout.write(rows.at(-1)! + '\n');
    }
  }
} finally {
  await pg.stop();
  await pool.stop();
}
const md = [
  `# play rerun: local vs postgres state store, end to end (${new Date().toISOString()})`,
  '',
  `bin/play bench/playbooks/generic.yml (30 tasks), --forks = hosts; hosts reset before each backend's first run; median of ${RERUNS} reruns.`,
  '',
  '| hosts | backend | first run ms | rerun ms (median) | reruns ms |',
  '|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
const out = join(ROOT, 'bench', 'results', `state-rerun-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
writeFileSync(out, md);
process.stdout.write(`-> ${out}\n`);
