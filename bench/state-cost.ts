// Bookkeeping cost of the state store at 100 hosts x 200 tasks, with no host involved:
// record 20,000 done records (flushed at each task boundary, i.e. every 100 records, as the runner does),
// close (compact), reopen and look every record up. Prints µs per record per phase and the file sizes.
// Run: node --import tsx bench/state-cost.ts [hosts] [tasks]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { StateStore } from '../runner/state/store.js';
import type { DoneRecord } from '../runner/state/types.js';

const HOSTS = Number(process.argv[2] ?? 100);
const TASKS = Number(process.argv[3] ?? 200);
const N = HOSTS * TASKS;

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const identity = (h: number) => hex(`host-${h}`).slice(0, 32);
const taskId = (t: number) => (t % 4 === 0 ? `site.yml/task number ${t}` : `datadog-agent/configure part ${t}`);

/** A payload like a copy/template/command result: dest, checksum, a little output. */
function record(h: number, t: number): DoneRecord {
  const cmd = t % 3 === 0;
  return {
    identity: identity(h), host: `web-${String(h).padStart(3, '0')}.example.internal`, taskId: taskId(t),
    role: t % 4 === 0 ? undefined : 'datadog-agent', fingerprint: hex(`${h}/${t}`),
    result: cmd
      ? { cmd: `/usr/bin/datadog-agent configcheck --task ${t}`, rc: 0, stdout: 'ok: 3 checks loaded\n'.repeat(3), stderr: '', stdout_lines: ['ok: 3 checks loaded', 'ok: 3 checks loaded', 'ok: 3 checks loaded'], stderr_lines: [] }
      : { dest: `/etc/datadog-agent/conf.d/check_${t}.d/conf.yaml`, checksum: hex(`c${t}`), size: 1200 + t },
    setVars: t % 50 === 0 ? { agent_version: '7.52.0', checks: [`check_${t}`] } : undefined,
    at: new Date().toISOString(),
  };
}

function us(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'play-state-bench-'));
const size = (f: string) => {
  try {
    return statSync(join(dir, f)).size;
  } catch {
    return 0;
  }
};
try {
  const recs: DoneRecord[] = [];
  for (let t = 0; t < TASKS; t++) for (let h = 0; h < HOSTS; h++) recs.push(record(h, t));

  const store = await StateStore.open(dir);
  let recordUs = 0;
  let flushUs = 0;
  // Task boundary = one task over every host: HOSTS records, then one fdatasync.
  for (let t = 0; t < TASKS; t++) {
    recordUs += us(() => {
      for (let h = 0; h < HOSTS; h++) store.recordDone(recs[t * HOSTS + h]!);
    });
    flushUs += us(() => store.flush());
  }
  const journalBytes = size('journal.jsonl');
  const compactUs = us(() => store.close());
  const snapshotBytes = size('state.json');

  let reopened: StateStore | undefined;
  const t0 = process.hrtime.bigint();
  reopened = await StateStore.open(dir);
  const openUs = Number(process.hrtime.bigint() - t0) / 1000;
  let found = 0;
  const lookupUs = us(() => {
    for (const r of recs) if (reopened!.lookup(r.identity, r.taskId)?.fingerprint === r.fingerprint) found++;
  });
  reopened.abandon();
  if (found !== N) throw new Error(`lookup found ${found} of ${N} records`);

  const per = (x: number) => (x / N).toFixed(2).padStart(8);
  process.stdout.write([
    `state store bookkeeping, ${HOSTS} hosts x ${TASKS} tasks = ${N} records (${TASKS} flushes)`,
    `  record   ${per(recordUs)} µs/record  (${(recordUs / 1000).toFixed(1)} ms)`,
    `  flush    ${per(flushUs)} µs/record  (${(flushUs / 1000).toFixed(1)} ms, ${(flushUs / TASKS / 1000).toFixed(2)} ms per task boundary)`,
    `  compact  ${per(compactUs)} µs/record  (${(compactUs / 1000).toFixed(1)} ms)`,
    `  load     ${per(openUs)} µs/record  (${(openUs / 1000).toFixed(1)} ms, reopen + parse)`,
    `  lookup   ${per(lookupUs)} µs/record  (${(lookupUs / 1000).toFixed(1)} ms)`,
    `  journal.jsonl before compaction ${(journalBytes / 1024).toFixed(0)} KiB, state.json ${(snapshotBytes / 1024).toFixed(0)} KiB (${(snapshotBytes / N).toFixed(0)} B/record)`,
    `  store dir ${dir} (removed)`,
    '',
  ].join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
