// The module contract: an args schema, a read-only probe of the host,
// and a pure decision. The executor is the only one that applies steps.
import type { Connection } from '../connection/types.js';
import type { Vars } from '../types.js';

/** Controller-side helpers for modules that read the role's files (copy src, template). */
export interface PrepareEnv {
  /** Reads roles/<role>/<kind>/<rel> (or next to the playbook); the file joins the task's fingerprint. */
  readControllerFile(kind: 'files' | 'templates', rel: string): Promise<Buffer>;
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
}

export interface DecideContext {
  host: string;
  check: boolean;
  diff: boolean;
  vars: Vars;
  /** Makes a file's diff with the secret-masking rules applied (runner/secrets/diff-mask.ts). */
  fileDiff?: (path: string, before: string, after: string) => string;
}

export type Step =
  /** Run a shell command on the host. A code outside okCodes (default [0]) fails the task. */
  | { kind: 'exec'; describe: string; cmd: string; stdin?: string | Buffer; okCodes?: number[] }
  /** Write a file on the host atomically; `owner` ("user:group") is set before it replaces path. */
  | { kind: 'put'; describe: string; path: string; content: Buffer; mode?: number; owner?: string }
  /** A controller-side action (HTTP API calls). Its return value merges into the task result. */
  | { kind: 'call'; describe: string; run: () => Promise<Record<string, unknown> | void> };

export type Decision =
  /** Nothing to do. `reason` says why, in words a user understands. */
  | { kind: 'noop'; reason: string; result?: Record<string, unknown>; setVars?: Vars }
  /** Steps that bring the host to the desired state. `diff` is a unified diff when asked for. */
  | { kind: 'change'; summary: string; steps: Step[]; diff?: string; result?: Record<string, unknown> }
  | { kind: 'fail'; msg: string; result?: Record<string, unknown> };

export interface ModuleDef<A = any, P = any> {
  /** Ansible's short name, e.g. "copy"; "ansible.builtin.copy" resolves to it. */
  name: string;
  /** JSON Schema of the arguments after normalize(); additionalProperties: false. */
  schema: Record<string, unknown>;
  /** Turns the written form into args, e.g. `command: ls -l` into {cmd: "ls -l"}. */
  normalize?(raw: unknown): unknown;
  /** True for modules that never touch a host (debug, set_fact, assert, fail, API modules). */
  controllerOnly?: boolean;
  /** Controller-side preparation: read role files, render templates. */
  prepare?(args: A, env: PrepareEnv): Promise<A>;
  /** Read-only look at the host. Must not change anything. */
  probe(args: A, ctx: ProbeContext): Promise<P>;
  /** Pure: what must change, or why nothing must. */
  decide(args: A, probe: P, ctx: DecideContext): Decision;
}

/** Helper so each module file gets its args and probe types checked. */
export function defineModule<A, P>(def: ModuleDef<A, P>): ModuleDef<A, P> {
  return def;
}
