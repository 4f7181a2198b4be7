// The differential suite's pure half: a matrix of cases becomes one playbook that both tools run,
// and the statuses each tool reports become comparable tables. Ansible is the oracle.
import { stringify } from 'yaml';

export type Phase = 'check' | 'first' | 'second';
export const PHASES: readonly Phase[] = ['check', 'first', 'second'];
export type Status = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'unknown';

export interface DiffCase {
  /** Unique within its matrix; task names are `<name> [i]`. */
  name: string;
  tasks: Record<string, unknown>[];
  /** Paths (relative to "/") this case owns: their trees are compared between the tools. */
  roots: string[];
  /** A deliberate, documented difference: phase -> why play's status may differ (docs/ansible-differences.md). */
  differs?: Partial<Record<Phase, string>>;
}

export interface DiffMatrix {
  module: string;
  /** Shell run on both fresh hosts before anything (same seed for both tools). */
  setup?: string;
  /** Files the playbook refers to, relative to its directory (e.g. templates), by path. */
  files?: Record<string, string>;
  cases: DiffCase[];
  /** How long the three phases may take (ms; default 600000): apt's are slow on a loaded machine. */
  timeoutMs?: number;
  /** A service on the controller's loopback both runs use (an HTTP server): started before the phases, stopped after; its vars become the play's vars. */
  serve?: () => Promise<{ vars: Record<string, unknown>; stop: () => Promise<void> }>;
  /** Paths (relative to "/") neither tool controls byte for byte (e.g. git's index and reflogs, which hold times): left out of every comparison. */
  noise?: RegExp[];
}

export const taskName = (c: DiffCase, i: number): string => `${c.name} [${i}]`;

/** One play; each case is a block whose rescue swallows its failure, so later cases still run. */
export function playbookFor(m: DiffMatrix, vars?: Record<string, unknown>): string {
  const tasks = m.cases.map((c) => ({
    name: `case ${c.name}`,
    block: c.tasks.map((t, i) => ({ name: taskName(c, i), ...t })),
    rescue: [{ name: `${c.name} rescued`, debug: { msg: 'case failed' } }],
  }));
  return stringify([{ name: m.module, hosts: 'all', gather_facts: false, ...(vars ? { vars } : {}), tasks }], { lineWidth: 0 });
}

export type StatusTable = Map<string, Status>;

/** Ansible's statuses from diff_statuses.py's `DIFF {...}` lines, for one host. */
export function ansibleStatuses(stdout: string, host: string): StatusTable {
  const out: StatusTable = new Map();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('DIFF ')) continue;
    const r = JSON.parse(line.slice(5)) as { host: string; task: string; status: Status };
    if (r.host === host) out.set(r.task, r.status);
  }
  return out;
}

interface PlayHostResult { kind: string; host?: string; task?: string; item?: string; outcome?: { status: Status } }

/** play's statuses from its --json events (per task, not per loop item), for one host. */
export function playStatuses(events: PlayHostResult[], host: string): StatusTable {
  const out: StatusTable = new Map();
  for (const e of events) {
    if (e.kind === 'host_result' && e.host === host && e.item === undefined && e.task && e.outcome) out.set(e.task, e.outcome.status);
  }
  return out;
}

/**
 * Lines `task: ansible X | play Y` for every task of the case whose statuses differ. Under --check,
 * play's `unknown` stands for Ansible's changed or failed (docs/check-mode.md: after a task whose
 * effects the plan cannot follow, a failure it might have prevented is unknown, not a prediction),
 * and the rescue that Ansible's failure ran is then not expected of play.
 */
export function statusDiff(c: DiffCase, ansible: StatusTable, play: StatusTable, phase: Phase = 'first'): string[] {
  const tasks = c.tasks.map((_, i) => taskName(c, i));
  const rescue = `${c.name} rescued`;
  const unknownFor = (n: string) => phase === 'check' && play.get(n) === 'unknown' && ['changed', 'failed'].includes(ansible.get(n) ?? '');
  const excused = new Set(tasks.filter(unknownFor));
  const unknownFailure = tasks.some((n) => excused.has(n) && ansible.get(n) === 'failed');
  return [...tasks, rescue]
    .filter((n) => ansible.get(n) !== play.get(n) && !excused.has(n) && !(n === rescue && unknownFailure && play.get(n) === undefined))
    .map((n) => `${n}: ansible ${ansible.get(n) ?? '(none)'} | play ${play.get(n) ?? '(none)'}`);
}
