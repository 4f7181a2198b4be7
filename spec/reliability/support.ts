// Helpers for the reliability specs: run the built CLI with peak-RSS capture, count TCP connections,
// list open fds, grep bytes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, parseEvents, ROOT, type PlayRun } from '../support/play.js';

export interface MeasuredRun extends PlayRun {
  /** Peak RSS in KiB: VmHWM (the kernel's high-water mark), sampled; only growth in the last 20 ms escapes it. */
  peakRssKb: number;
  /** Open fds of the child, sampled while it ran (max). */
  maxFds: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onSpawn?: (pid: number) => void;
  /** Kill the child with this signal once `when` resolves. */
  signal?: { name: NodeJS.Signals; when: (pid: number) => Promise<void> };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `play-rel-${prefix}-`));
}

/** Runs `bin/play ...args` (it execs Node from the start-up snapshot), sampling /proc/<pid>/status every 20 ms. */
export function runCli(args: string[], o: RunOptions = {}): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { cwd: o.cwd ?? ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid!;
    o.onSpawn?.(pid);
    let hwm = 0;
    let maxFds = 0;
    const sample = setInterval(() => {
      hwm = Math.max(hwm, vmHwmKb(pid));
      maxFds = Math.max(maxFds, fdCount(pid));
    }, 20);
    if (o.signal) void o.signal.when(pid).then(() => child.kill(o.signal!.name), () => undefined);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearInterval(sample);
      const events = args.includes('--json') ? parseEvents(stdout) : [];
      resolve({ code: code ?? (sig === 'SIGKILL' ? 137 : sig === 'SIGINT' ? 130 : 1), stdout, stderr, events, peakRssKb: hwm, maxFds });
    });
  });
}

export function vmHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function fdCount(pid: number | 'self'): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** fd targets of a process (sockets, files), for before/after comparisons. */
export function fdTargets(pid: number | 'self'): string[] {
  const out: string[] = [];
  for (const fd of (() => { try { return readdirSync(`/proc/${pid}/fd`); } catch { return []; } })()) {
    try { out.push(readlinkSync(`/proc/${pid}/fd/${fd}`)); } catch { /* closed meanwhile */ }
  }
  return out;
}

/** A TCP listener that accepts and drops every connection, counting them: "was any host contacted?" */
export interface ConnCounter {
  count: number;
  close(): Promise<void>;
}

export async function connectionCounter(host: string, port: number): Promise<ConnCounter> {
  const sockets = new Set<Socket>();
  const c = { count: 0, close: async () => undefined } as ConnCounter;
  const server: Server = createServer((s) => {
    c.count++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.destroy();
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, host, () => res());
  });
  c.close = () => new Promise<void>((res) => {
    sockets.forEach((s) => s.destroy());
    server.close(() => res());
  });
  return c;
}

/** Every regular file under dir (recursively). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  return out;
}

/** Where `needle` occurs among the given byte sources ("label" for each hit). */
export function leaks(needle: string, sources: Record<string, Buffer | string>): string[] {
  const n = Buffer.from(needle);
  return Object.entries(sources).filter(([, b]) => (typeof b === 'string' ? Buffer.from(b) : b).includes(n)).map(([k]) => k);
}

/**
 * What a run wrote, as byte sources for `leaks`: its stdout and stderr, every file of its state dir and
 * every file on each host's overlay. Throws when the state dir is empty (a leak check over nothing).
 */
export function writtenByRun(run: { stdout: string; stderr: string }, stateDir: string, upperDirs: string[]): Record<string, Buffer | string> {
  const sources: Record<string, Buffer | string> = { stdout: run.stdout, stderr: run.stderr };
  const stateFiles = filesUnder(stateDir);
  if (stateFiles.length === 0) throw new Error(`the state store at ${stateDir} was not written`);
  for (const f of stateFiles) sources[f] = readFileSync(f);
  for (const d of upperDirs) for (const f of filesUnder(d)) sources[f] = readFileSync(f);
  return sources;
}
