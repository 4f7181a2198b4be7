// The module contract: an args schema, a read-only probe of the host,
// and a pure decision. The executor is the only one that applies steps.
import type { Connection } from '../connection/types.js';
import type { Vars } from '../types.js';
import type { PredictedEffect } from '../predict/model.js';
import type { PredictView } from '../predict/files.js';

export type { PredictView } from '../predict/files.js';
export type { PredictedEffect } from '../predict/model.js';
import type { TreeEntry } from './controller-tree.js';

/** Controller-side helpers for modules that read the role's files (copy src, template). */
export interface PrepareEnv {
  /** Reads roles/<role>/<kind>/<rel> (or next to the playbook); the file joins the task's fingerprint. */
  readControllerFile(kind: 'files' | 'templates' | 'vars', rel: string): Promise<Buffer>;
  /**
   * A directory on the controller (same lookup as readControllerFile) walked as copy sends it;
   * undefined when rel is not a directory. `follow` dereferences symlinks (copy's local_follow).
   */
  readControllerTree?(kind: 'files', rel: string, follow: boolean): Promise<TreeEntry[] | undefined>;
  /** Renders Handlebars text with the task's variables; `source` names the file in errors. */
  renderTemplate(text: string, source: string): string;
  vars: Vars;
}

export interface ProbeContext {
  conn: Connection;
  host: string;
  vars: Vars;
  /** True when the decision should include content diffs. */
  diff: boolean;
  /**
   * True under --check. A probe that must ask a server what a real run would fetch (get_url's
   * HEAD, as Ansible's check mode does) asks only then: a real run learns it by downloading. A probe
   * may also look further, read-only, to feed the predicted state (apt's install plan).
   */
  check?: boolean;
  /** --check: the predicted state, so a probe can skip what the model already knows. */
  predicted?: PredictView;
}

export interface DecideContext {
  host: string;
  check: boolean;
  diff: boolean;
  vars: Vars;
  /** Makes a file's diff with the secret-masking rules applied (runner/secrets/diff-mask.ts). */
  fileDiff?: (path: string, before: string, after: string) => string;
}

/** What a step's command printed, for its `interpret` hook. */
export interface ExecOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A step's own reading of its output, for steps whose effect is only known once they ran (a download
 * whose bytes match the file already there). `unchanged` says why nothing changed; `fail` fails the task.
 */
export interface StepReport {
  result?: Record<string, unknown>;
  unchanged?: string;
  fail?: string;
}

/**
 * On an exec step: the command is the module's own and starts only core file utilities (mkdir, chmod,
 * chown, ln, rm, mv, cp, cat, touch, mktemp) that end before it does, so no process it starts outlives
 * it holding its stdout or stderr: it runs in a plain frame, without the cut frame's two `sed` relays
 * (runner/connection/shell-frame.ts). Never for anything that runs a user's command, a package's
 * scripts or a service (they may leave a child writing to the streams).
 */
export type Contained = 'core-utils';

export type Step =
  /**
   * Run a shell command on the host. A code outside okCodes (default [0]) fails the task. With
   * `interpret`, that hook reads the output instead: its result replaces rc/stdout/stderr, and when
   * every step of a decision reports `unchanged`, the task is ok rather than changed.
   */
  | { kind: 'exec'; describe: string; cmd: string; stdin?: string | Buffer; okCodes?: number[]; interpret?: (out: ExecOutput) => StepReport; contained?: Contained }
  /** Write a file on the host atomically; `owner` ("user:group") is set before it replaces path. */
  | { kind: 'put'; describe: string; path: string; content: Buffer; mode?: number; owner?: string }
  /** A controller-side action (HTTP API calls). Its return value merges into the task result. */
  | { kind: 'call'; describe: string; run: () => Promise<Record<string, unknown> | void> };

/** A host that joins the run's inventory for the following plays (add_host, vagrant_inventory). */
export interface AddHost {
  name: string;
  groups?: string[];
  vars?: Vars;
}

/**
 * What a decision hands the executor besides its outcome, typed so the executor never reads
 * magic keys out of `result`: facts to set on the host, hosts to add, and a message to show.
 */
export interface Effects {
  /** Host variables that live for the rest of the run (set_fact). */
  setVars?: Vars;
  /** Hosts to add to the inventory once the task has run. */
  addHosts?: AddHost[];
  /** Text the reporter prints under the result (debug). */
  message?: string;
}

export type Decision =
  /** Nothing to do. `reason` says why, in words a user understands. */
  | ({ kind: 'noop'; reason: string; result?: Record<string, unknown> } & Effects)
  /** Steps that bring the host to the desired state. `diff` is a unified diff when asked for. */
  | ({ kind: 'change'; summary: string; steps: Step[]; diff?: string; result?: Record<string, unknown> } & Effects)
  | { kind: 'fail'; msg: string; result?: Record<string, unknown> };

export type ChangeDecision = Extract<Decision, { kind: 'change' }>;

/** Flow control the executor carries out instead of running the module on hosts (meta). */
export type FlowControl = { kind: 'flush_handlers' } | { kind: 'noop' };

export interface ModuleDef<A = any, P = any> {
  /** Ansible's short name, e.g. "copy"; "ansible.builtin.copy" resolves to it. */
  name: string;
  /** JSON Schema of the arguments after normalize(); additionalProperties: false. */
  schema: Record<string, unknown>;
  /** Args whose values are secrets (Ansible's no_log options): masked wherever the run writes. */
  secretArgs?: readonly string[];
  /** Turns the written form into args, e.g. `command: ls -l` into {cmd: "ls -l"}. */
  normalize?(raw: unknown): unknown;
  /** True for modules that never touch a host (debug, set_fact, assert, fail, API modules). */
  controllerOnly?: boolean;
  /** Flow control (meta): the executor acts on it, once per task, instead of running probe/decide. */
  flow?(args: A): FlowControl;
  /** Evaluates conditions the rendered args carry (assert's `that`), before the schema check. */
  evaluate?(args: A, holds: (condition: string) => boolean): A;
  /**
   * Whether probe+decide can tell that a recorded run still holds (default true). Commands are
   * actions, not states: without creates/removes `--verify` cannot check them, so they stay done.
   */
  verifiable?(args: A): boolean;
  /** Compile time, from the written args: the conditions it evaluates (assert's that), checked as when: is. */
  conditionsOf?(rawArgs: unknown): string[];
  /** Compile time, from the written args: variables this task defines for later tasks (set_fact). */
  definesVars?(rawArgs: unknown): string[];
  /** Compile time, from the written args: groups this task adds hosts to at run time (add_host). */
  addsToGroups?(rawArgs: unknown): string[];
  /** Controller-side preparation: read role files, render templates. */
  prepare?(args: A, env: PrepareEnv): Promise<A>;
  /** Read-only look at the host. Must not change anything. */
  probe(args: A, ctx: ProbeContext): Promise<P>;
  /**
   * --check: the probe as the earlier tasks would have left the host (runner/predict/). Without it
   * the probe is trusted as it is.
   */
  overlay?(args: A, probe: P, view: PredictView): P;
  /**
   * --check: what the change would leave on the host, for later tasks' overlays. Without it the
   * change is opaque: the model cannot follow it, and a later failure may be its missing effect.
   */
  predict?(args: A, probe: P, decision: ChangeDecision, view: PredictView): PredictedEffect[];
  /** Pure: what must change, or why nothing must. */
  decide(args: A, probe: P, ctx: DecideContext): Decision;
}

/** Helper so each module file gets its args and probe types checked. */
export function defineModule<A, P>(def: ModuleDef<A, P>): ModuleDef<A, P> {
  return def;
}
