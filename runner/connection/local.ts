// Local transport: `sh -c` on this machine; put via temp file + chmod + rename in the same directory.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';
import { type Connection, type ExecOptions, type ExecResult, timedOutResult } from './types.js';

const runFile = promisify(execFile);

export function openLocal(host: string): Connection {
  let execCount = 0;
  return {
    host,
    get execCount() {
      return execCount;
    },
    exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
      execCount++;
      return runLocal(cmd, opts);
    },
    put: putLocal,
    async close() { /* nothing held open */ },
  };
}

function runLocal(cmd: string, opts: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    // detached: the command leads its own process group, so a timeout kills all of it
    const child = spawn('sh', ['-c', cmd], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const feed = (which: 'stdout' | 'stderr', buf: Buffer[]) => {
      const dec = new StringDecoder('utf8');
      return (chunk: Buffer) => {
        buf.push(chunk);
        const s = opts.onOutput ? dec.write(chunk) : '';
        if (s) opts.onOutput!(s, which);
      };
    };
    child.stdout.on('data', feed('stdout', out));
    child.stderr.on('data', feed('stderr', err));
    child.stdin.on('error', () => undefined); // EPIPE when the command ignores stdin
    let timedOut = false;
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, opts.timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) return resolve(timedOutResult(stdout, stderr, opts.timeoutMs));
      const sig = signal ? (constants.signals as Record<string, number>)[signal] ?? 0 : 0;
      resolve({ code: code ?? 128 + sig, stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}

async function putLocal(path: string, content: Buffer, mode?: number, owner?: string): Promise<void> {
  const m = mode ?? (await fs.stat(path).then((s) => s.mode & 0o7777, () => 0o644));
  const tmp = `${path}.play-tmp-${randomBytes(6).toString('hex')}`;
  try {
    await fs.writeFile(tmp, content, { mode: m });
    if (owner !== undefined) await runFile('chown', ['--', owner, tmp]);
    await fs.chmod(tmp, m);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
