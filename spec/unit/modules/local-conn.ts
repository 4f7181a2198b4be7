// Test helper: a Connection on this machine (`sh -c` + fs). Steps go through the executor's own applySteps.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { Connection, ExecOptions, ExecResult } from '../../../runner/connection/types.js';

export function localConn(host = 'local'): Connection & { cmds: string[] } {
  let count = 0;
  const cmds: string[] = [];
  return {
    host,
    cmds,
    get execCount() {
      return count;
    },
    exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
      count++;
      cmds.push(cmd);
      return new Promise((resolve, reject) => {
        const child = spawn('sh', ['-c', cmd], { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        child.stdin.on('error', () => undefined);
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
        child.stdin.end(opts.stdin ?? '');
      });
    },
    async put(path: string, content: Buffer, mode?: number): Promise<void> {
      const tmp = `${path}.tmp-${process.pid}`;
      await fs.writeFile(tmp, content);
      if (mode !== undefined) await fs.chmod(tmp, mode);
      await fs.rename(tmp, path);
    },
    async close() {},
  };
}
