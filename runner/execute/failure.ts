// The failure boundary: whatever goes wrong while one task runs on one host becomes that host's result.
import { ConnectionError, InvariantError, RenderError } from '../errors.js';
import type { TaskCommon } from '../types.js';

export interface FailureScope {
  host: string;
  task: Pick<TaskCommon, 'name' | 'src'>;
  /** The user the connection logs in as. */
  loginUser: string;
  /** The become user, or null without become. */
  become: string | null;
}

export type TaskFailure =
  | { kind: 'failed'; msg: string }
  | { kind: 'unreachable'; msg: string }
  /** A broken invariant of play: not a host's result. */
  | { kind: 'rethrow' };

/** Classifies an error thrown while a task ran on a host, with a message naming the host, the task's file:line and the cause. */
export function taskFailure(err: unknown, s: FailureScope): TaskFailure {
  if (err instanceof InvariantError) return { kind: 'rethrow' };
  if (err instanceof ConnectionError) return { kind: 'unreachable', msg: err.message };
  if (err instanceof RenderError) return { kind: 'failed', msg: err.message };
  return { kind: 'failed', msg: failureMessage(err, s) };
}

export function failureMessage(err: unknown, s: FailureScope): string {
  const raw = err instanceof Error ? err.message : String(err);
  const what = (raw.startsWith(`${s.host}: `) ? raw.slice(s.host.length + 2) : raw).trim() || (err instanceof Error ? err.name : 'error');
  return `${s.host}: ${what}${hint(what, s)} (task '${s.task.name}' at ${s.task.src.file}:${s.task.src.line})`;
}

function hint(what: string, s: FailureScope): string {
  if (/a password is required|a terminal is required/.test(what) && !/wants a password/.test(what)) {
    return `; sudo on ${s.host} wants a password for ${s.become ?? 'root'} (play runs sudo -n and never prompts)`;
  }
  if (/Permission denied|EACCES|Operation not permitted|Read-only file system/i.test(what)) {
    return s.become === null
      ? `; denied to login user ${s.loginUser}, without become (set become: true, or use a path ${s.loginUser} may write)`
      : `; denied to ${s.become} under become`;
  }
  return '';
}
