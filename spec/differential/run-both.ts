// The differential suite's I/O half: the same playbook under ansible-playbook (first host) and
// play (second host), both fresh from the overlay, phase by phase; after each phase the two
// hosts' upper dirs are snapshotted with bench/compare.ts.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { snapshot, type Snapshot } from '../../bench/compare.js';
import type { Testbed } from '../../testbed/testbed.js';
import { parseEvents, play } from '../support/play.js';
import { ansibleStatuses, playbookFor, playStatuses, type DiffMatrix, type Phase, type StatusTable } from './matrix.js';

const run = promisify(execFile);
const CALLBACKS = join(dirname(fileURLToPath(import.meta.url)), 'ansible');

export interface PhaseResult {
  phase: Phase;
  ansible: StatusTable;
  play: StatusTable;
  ansibleTree: Snapshot;
  playTree: Snapshot;
  /** Raw output, for failure messages. */
  ansibleOut: string;
  playOut: string;
}

const flags = (phase: Phase): string[] => (phase === 'check' ? ['--check', '--diff'] : []);

/** ansible-playbook on one host; stdout holds diff_statuses.py's `DIFF` and `STATS` lines. `args` go before the playbook. */
export async function runAnsible(tb: Testbed, pb: string, host: string, phase: Phase, args: string[] = []): Promise<string> {
  const env = {
    ...process.env, ANSIBLE_STDOUT_CALLBACK: 'diff_statuses', ANSIBLE_CALLBACK_PLUGINS: CALLBACKS,
    ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_PIPELINING: 'True', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
  };
  // a failed task makes ansible-playbook exit 2; the statuses say what failed
  const r = await run('ansible-playbook', ['-i', tb.inventoryPath, '-l', host, ...flags(phase), ...args, pb], { env, maxBuffer: 64 << 20 })
    .catch((e: { stdout?: string; stderr?: string; code?: number }) => {
      if (e.code === 2 && e.stdout) return { stdout: e.stdout, stderr: e.stderr ?? '' };
      throw new Error(`ansible-playbook failed (${e.code}):\n${e.stdout}\n${e.stderr}`);
    });
  return r.stdout;
}

export interface BothRuns {
  /** The two hosts' trees after the matrix's setup, before any phase. */
  fresh: { ansible: Snapshot; play: Snapshot };
  phases: PhaseResult[];
}

/** Runs every phase; the caller compares. hosts[0] is Ansible's, hosts[1] play's. */
export async function runBoth(tb: Testbed, m: DiffMatrix, dir: string): Promise<BothRuns> {
  const [ah, ph] = tb.hosts;
  if (!ah || !ph) throw new Error('the differential suite needs two test hosts');
  mkdirSync(dir, { recursive: true });
  const pb = join(dir, `${m.module}.yml`);
  writeFileSync(pb, playbookFor(m));
  for (const [rel, text] of Object.entries(m.files ?? {})) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  if (m.setup) for (const h of [ah, ph]) await h.exec(m.setup);
  const fresh = { ansible: await snapshot(ah.upperDir), play: await snapshot(ph.upperDir) };
  const out: PhaseResult[] = [];
  for (const phase of ['check', 'first', 'second'] as const) {
    const ansibleOut = await runAnsible(tb, pb, ah.name, phase);
    const p = await play([pb, '-i', tb.inventoryPath, '--known-hosts', tb.knownHostsPath, '-l', ph.name, '--no-state', '--json', ...flags(phase)]);
    out.push({
      phase, ansibleOut, playOut: `${p.stdout}\n${p.stderr}`,
      ansible: ansibleStatuses(ansibleOut, ah.name), play: playStatuses(parseEvents(p.stdout) as never, ph.name),
      ansibleTree: await snapshot(ah.upperDir), playTree: await snapshot(ph.upperDir),
    });
  }
  return { fresh, phases: out };
}
