// Runs the built CLI as a user would (bin/play: from the start-up snapshot), and parses its --json events.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { RunEvent } from '../../runner/events.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'bin', 'play');
/** The plain bundle, which bin/play runs when it cannot start from the snapshot. */
export const BUNDLE = join(ROOT, 'dist', 'play.mjs');

export interface PlayRun {
  code: number;
  stdout: string;
  stderr: string;
  events: RunEvent[];
}

export function play(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void } = {}): Promise<PlayRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) opts.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const events = args.includes('--json') ? parseEvents(stdout) : [];
      resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 1), stdout, stderr, events });
    });
  });
}

export function parseEvents(stdout: string): RunEvent[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunEvent);
}

type HostResult = Extract<RunEvent, { kind: 'host_result' }>;

export function results(run: PlayRun, filter: { host?: string; task?: string } = {}): HostResult[] {
  return run.events.filter((e): e is HostResult => e.kind === 'host_result' && (!filter.host || e.host === filter.host) && (!filter.task || e.task === filter.task));
}

export function statuses(run: PlayRun, host: string): Record<string, string> {
  return Object.fromEntries(results(run, { host }).map((r) => [r.task, r.outcome.status === 'skipped' ? `skipped:${r.outcome.why}` : r.outcome.status]));
}

export function recap(run: PlayRun): Record<string, { ok: number; changed: number; skipped: number; failed: number; unreachable: number; doneBefore: number }> {
  const e = run.events.find((x) => x.kind === 'recap');
  if (!e || e.kind !== 'recap') throw new Error(`no recap in output:\n${run.stdout}\n${run.stderr}`);
  return e.hosts;
}
