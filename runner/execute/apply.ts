// The only writer: applies a decision's steps through the host connection.
import type { Ahead, Connection } from '../connection/types.js';
import type { Step } from '../modules/types.js';
import { assertNever } from '../errors.js';

export type ApplyResult =
  /** `unchanged`: every step reported that it changed nothing, and why (the last reason). */
  | { ok: true; result: Record<string, unknown>; unchanged?: string }
  | { ok: false; msg: string; result: Record<string, unknown> };

export interface ApplyOptions {
  timeoutMs: number;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** The next task's probe: it travels with the last step and runs right after it (runner/execute/ahead.ts). */
  ahead?: Ahead;
  /** Called before the first step: what was sent ahead before this apply no longer holds. */
  applying?: () => void;
}

export async function applySteps(conn: Connection, steps: readonly Step[], opts: ApplyOptions): Promise<ApplyResult> {
  let result: Record<string, unknown> = {};
  let unchanged: string | undefined;
  let allUnchanged = steps.length > 0;
  if (steps.length) opts.applying?.();
  for (const [i, step] of steps.entries()) {
    const ahead = i === steps.length - 1 && opts.ahead ? [opts.ahead] : undefined;
    switch (step.kind) {
      case 'exec': {
        // a contained step (the module's own core utilities) leaves no child on the streams: no cut frame
        const r = await conn.exec(step.cmd, { stdin: step.stdin, timeoutMs: opts.timeoutMs, onOutput: opts.onOutput, isolate: step.contained === undefined, ahead });
        if (step.interpret) {
          const rep = step.interpret(r);
          result = { ...result, ...rep.result };
          if (rep.fail !== undefined) return { ok: false, msg: rep.fail, result };
          if (rep.unchanged === undefined) allUnchanged = false;
          else unchanged = rep.unchanged;
          break;
        }
        allUnchanged = false;
        result = { ...result, ...execResult(r.code, r.stdout, r.stderr) };
        const okCodes = step.okCodes ?? [0];
        if (!okCodes.includes(r.code)) {
          const why = r.code === 124 && /timed out/.test(r.stderr) ? 'timed out' : `exited ${r.code}`;
          const tail = lastLines(withoutEvalFrame(r.stderr || r.stdout), 5);
          return { ok: false, msg: `${step.describe} ${why}${tail ? `: ${tail}` : ''}`, result };
        }
        break;
      }
      case 'put':
        allUnchanged = false;
        await conn.put(step.path, step.content, step.mode, step.owner, { ahead });
        break;
      case 'call': {
        allUnchanged = false;
        const out = await step.run();
        if (out) result = { ...result, ...out };
        break;
      }
      default:
        assertNever(step, 'step');
    }
  }
  return allUnchanged && unchanged !== undefined ? { ok: true, result, unchanged } : { ok: true, result };
}

export function execResult(code: number, stdout: string, stderr: string): Record<string, unknown> {
  const out = stdout.replace(/\n$/, '');
  const err = stderr.replace(/\n$/, '');
  return { rc: code, stdout: out, stderr: err, stdout_lines: out ? out.split('\n') : [], stderr_lines: err ? err.split('\n') : [] };
}

/**
 * The session runs each command through `eval` (its text never reaches a process's argv), so the
 * shell names eval in its errors ("sh: 1: eval: Syntax error", "bash: eval: line 1: ..."). A message
 * speaks of the user's command: the frame's word is dropped.
 */
export function withoutEvalFrame(text: string): string {
  return text.replace(/^((?:\S+: )?(?:line )?\d+: |\S+: )eval: /gm, '$1');
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
