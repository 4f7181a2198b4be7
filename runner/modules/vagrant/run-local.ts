// Runs a program on the controller (no shell), for the vagrant modules' probe and 'call' steps.
import { spawn } from 'node:child_process';

export interface LocalResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LocalOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** A function that runs argv[0] with argv[1..]; tests pass a fake. */
export type LocalRunner = (argv: readonly string[], opts?: LocalOptions) => Promise<LocalResult>;

/**
 * Spawns argv with stdin closed, collects output. A timeout kills the process group and gives
 * code 124. Children that outlive the command (vagrant-libvirt's `ssh -L` port forwards) do not
 * hold our pipes: they write to their own log files.
 */
export const runLocal: LocalRunner = (argv, opts = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGTERM');
          } catch {
            /* already gone */
          }
        }, opts.timeoutMs)
      : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (timedOut) resolve({ code: 124, stdout, stderr: `${stderr}\ntimed out after ${opts.timeoutMs} ms` });
      else resolve({ code: code ?? 1, stdout, stderr });
    });
  });

/** The last lines of a command's output, for error messages. */
export function tail(text: string, n = 8): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
