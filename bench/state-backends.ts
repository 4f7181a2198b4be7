// The state store's cost per task, local vs postgres, through the backend interface the executor uses:
// open, claim every host, then per task and host a lookup and (first run) a record of ~480 bytes, a
// notification every 10th task, a flush at every task boundary, close. The rerun finds everything
// recorded (lookups only). PostgreSQL is started here (as in the specs) on 127.0.0.1; no SSH hosts.
// usage: node --import tsx bench/state-backends.ts [tasks=30] [runs=5]   (writes bench/results/state-backends-*.md)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateBackend, StateLocation } from '../runner/state/backend.js';
import { openBackend } from '../runner/state/open-backend.js';
import { mapLimit } from '../runner/execute/pool.js';
import { startPostgres } from '../spec/support/postgres.js';

const TASKS = Number(process.argv[2] ?? 30);
const RUNS = Number(process.argv[3] ?? 5);
const RESULT = { changed: true, msg: 'x'.repeat(300), dest: '/etc/app/app.conf', mode: '0644', owner: 'root', group: 'root', checksum: 'a'.repeat(40) };

interface Timing {
  total: number;
  /** open + close: connection, schema check, history row, compaction */
  fixed: number;
}

async function oneRun(loc: StateLocation, hosts: number, rerun: boolean, env: NodeJS.ProcessEnv): Promise<Timing> {
  const t0 = performance.now();
  const b: StateBackend = await openBackend(loc, { waitMs: 0, env, run: { who: 'bench', from: 'bench', playbook: 'bench.yml', check: false } });
  const opened = performance.now();
  const ids = Array.from({ length: hosts }, (_, i) => `machine-${String(i).padStart(4, '0')}`);
  await mapLimit(ids, 50, async (id, i) => {
    if (!(await b.claimHost(id, `h${i}`))) throw new Error(`${id} busy`);
  });
  let hits = 0;
  for (let t = 0; t < TASKS; t++) {
    const taskId = `bench.yml/task ${t}`;
    for (let i = 0; i < hosts; i++) {
      const id = ids[i]!;
      if (b.lookup(id, taskId)) {
        hits++;
        continue;
      }
      if (t % 10 === 0) b.notify(id, `h${i}`, 'bench.yml/handler');
      b.recordDone({ identity: id, host: `h${i}`, taskId, fingerprint: `${t}`.padStart(64, '0'), result: RESULT, at: new Date().toISOString() });
    }
    await b.flush();
  }
  if (!rerun) for (let i = 0; i < hosts; i++) b.handled(ids[i]!, 'bench.yml/handler'); // the handler ran
  await b.flush();
  const closing = performance.now();
  await b.close({ exitCode: 0, hosts: {} });
  if (rerun && hits !== hosts * TASKS) throw new Error(`rerun found ${hits} of ${hosts * TASKS} records`);
  const end = performance.now();
  return { total: end - t0, fixed: opened - t0 + (end - closing) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const pg = await startPostgres();
const rows: string[] = [];
try {
  for (const hosts of [10, 50]) {
    for (const kind of ['local', 'postgres'] as const) {
      const first: Timing[] = [];
      const again: Timing[] = [];
      for (let r = 0; r <= RUNS; r++) {
        const dir = mkdtempSync(join(tmpdir(), 'play-bench-state-'));
        const loc: StateLocation = kind === 'local' ? { kind, dir } : { kind, url: await pg.freshDatabase() };
        const a = await oneRun(loc, hosts, false, pg.env);
        const b = await oneRun(loc, hosts, true, pg.env);
        if (r > 0) { first.push(a); again.push(b); } // run 0 warms up (JIT, page cache)
        rmSync(dir, { recursive: true, force: true });
      }
      const cell = (ts: Timing[]) => {
        const total = median(ts.map((t) => t.total));
        const fixed = median(ts.map((t) => t.fixed));
        const perTask = median(ts.map((t) => ((t.total - t.fixed) * 1000) / (hosts * TASKS)));
        return `${total.toFixed(1)} | ${fixed.toFixed(1)} | ${perTask.toFixed(1)} | ${((total * 1000) / (hosts * TASKS)).toFixed(1)}`;
      };
      rows.push(`| ${hosts} | ${kind} | ${cell(first)} | ${cell(again)} |`);
      process.stdout.write(rows.at(-1)! + '\n');
    }
  }
} finally {
  await pg.stop();
}
const md = [
  `# State store cost per task: local vs postgres (${TASKS} tasks per host, median of ${RUNS} runs, ${new Date().toISOString()})`,
  '',
  'Whole store lifetime (open, claim hosts, lookups, records, flush at each task boundary, close); postgres on 127.0.0.1 (TCP), fsync off.',
  '',
  'Per task = per (task, host). "open+close" = connect/auth, schema check and history row (postgres) or lock, load and compaction (local);',
  '"between" = lookups, records, notifications and flushes only; "all in" = total / (hosts × tasks).',
  '',
  '| hosts | backend | first run ms | open+close ms | between µs/task | all in µs/task | rerun ms | open+close ms | between µs/task | all in µs/task |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
const out = join('bench', 'results', `state-backends-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
writeFileSync(out, md);
process.stdout.write(`-> ${out}\n`);
