// Helpers for the real-VM tests: free loopback ports, ssh into the VM, the play CLI, cleanup.
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { virsh } from '../../testbed/vagrant/libvirt.js';
import { runLocal } from '../../runner/modules/vagrant/run-local.js';

const run = promisify(execFile);
export const REPO = join(import.meta.dirname, '..', '..');

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a command in the VM with the system ssh client (independent of the runner). */
export async function sshVm(port: number, key: string, cmd: string): Promise<string> {
  const { stdout } = await run('ssh', [
    '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
    '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-i', key, '-p', String(port), 'vagrant@127.0.0.1', cmd,
  ], { timeout: 60_000 });
  return stdout.trim();
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `node --import tsx runner/bin.ts PLAYBOOK -i INVENTORY ...` in the repo. */
export function playCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'runner', 'bin.ts'), ...args], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** Sum of `changed=N` over the recap lines of a run's output. */
export function recapChanged(out: string): number {
  const counts = [...out.matchAll(/\bchanged=(\d+)/g)].map((m) => Number(m[1]));
  if (counts.length === 0) throw new Error(`no recap (changed=N) in output:\n${out.slice(-3000)}`);
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Destroys every machine of the given Vagrant projects, then any libvirt domain or volume whose
 * name starts with `prefix` (what vagrant-libvirt names after the project directory).
 */
export async function destroyAll(projects: string[], env: NodeJS.ProcessEnv, prefix: string): Promise<string[]> {
  const done: string[] = [];
  for (const dir of projects) {
    const has = await fs.access(join(dir, '.vagrant')).then(() => true, () => false);
    if (!has) continue;
    const r = await runLocal(['vagrant', 'destroy', '-f', '--no-color'], { cwd: dir, env, timeoutMs: 600_000 });
    done.push(`vagrant destroy in ${dir}: ${r.code}`);
  }
  const domains = (await virsh('list', '--all', '--name').catch(() => '')).split('\n').map((s) => s.trim());
  for (const d of domains.filter((n) => n.startsWith(prefix))) {
    await virsh('destroy', d).catch(() => '');
    await virsh('undefine', d, '--nvram').catch(() => virsh('undefine', d).catch(() => ''));
    done.push(`domain ${d}`);
  }
  const vols = (await virsh('vol-list', 'default').catch(() => '')).split('\n').slice(2);
  for (const v of vols.map((l) => l.trim().split(/\s+/)[0] ?? '').filter((n) => n.startsWith(prefix))) {
    await virsh('vol-delete', '--pool', 'default', v).catch(() => '');
    done.push(`volume ${v}`);
  }
  return done;
}

/** Elapsed seconds, one decimal, for the timing log. */
export const secs = (ms: number): string => (ms / 1000).toFixed(1);
