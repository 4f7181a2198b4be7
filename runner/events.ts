// One stream of typed events feeds every reporter. Reporters never reach into the executor.
import type { Outcome, SourcePos } from './types.js';

/** Counts per host; docs/recap.md says how they relate to Ansible's. */
export interface HostTally {
  /** Tasks that found the host as wanted, plus failures that ignore_errors let pass (as Ansible). */
  ok: number;
  changed: number;
  /** Tasks skipped by a condition, an empty loop or a tag; never done-before. */
  skipped: number;
  failed: number;
  unreachable: number;
  /** Hosts whose block failure a rescue section took over (that failure is not in failed). */
  rescued: number;
  /** Failures that ignore_errors let pass (also counted in ok). */
  ignored: number;
  /** Tasks not run because the state store says they completed before with the same inputs. */
  doneBefore: number;
  /** --check: tasks whose outcome only a real run would tell (docs/check-mode.md). */
  unknown: number;
  ms: number;
  /** Exec channels opened on the host's connection during the run (probes, steps, facts). */
  execs: number;
}

/** A --check run's plan, per host (docs/check-mode.md). */
export interface PlanCounts {
  /** Tasks that would change the host (drift repairs included). */
  change: number;
  /** Tasks that find the host as wanted (or recorded as done). */
  ok: number;
  /** Tasks whose outcome only a real run would tell. */
  unknown: number;
  /** Tasks that would fail. */
  fail: number;
  skipped: number;
  unreachable: number;
}

export interface PlanSummary {
  hosts: Record<string, PlanCounts>;
  total: PlanCounts;
}

export type RunEvent =
  | { kind: 'run_start'; playbook: string; check: boolean; hosts: string[] }
  | { kind: 'play_start'; play: string; src: SourcePos; hosts: string[] }
  | { kind: 'task_start'; taskId: string; name: string; role?: string; src: SourcePos; hosts: string[]; handler: boolean }
  | { kind: 'host_result'; taskId: string; task: string; host: string; outcome: Outcome; ms: number; item?: string; message?: string;
      /** A failed command's rc, stdout and stderr (absent under no_log). */
      failure?: { rc?: number; stdout?: string; stderr?: string } }
  | { kind: 'output'; taskId: string; host: string; stream: 'stdout' | 'stderr'; chunk: string }
  | { kind: 'host_unreachable'; host: string; msg: string; taskId?: string; task?: string }
  | { kind: 'task_end'; taskId: string }
  | { kind: 'play_end'; play: string }
  | { kind: 'warning'; msg: string; host?: string }
  /** --check only, just before the recap (which carries the same figures as `plan`). */
  | ({ kind: 'plan' } & PlanSummary)
  | { kind: 'recap'; hosts: Record<string, HostTally>; ms: number; plan?: PlanSummary }
  | { kind: 'run_end'; exitCode: number };

export type RunEventKind = RunEvent['kind'];

/** A sink of events. `close` flushes; reporters never throw into the executor. */
export interface Reporter {
  emit(event: RunEvent): void;
  close(): Promise<void>;
}
