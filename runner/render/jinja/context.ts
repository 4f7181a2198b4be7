// What an evaluation carries: scopes, the root vars, the budget, and the errors it throws.
import { charge, type RenderBudget } from '../limits.js';
import { varError, VarRefError } from '../var-errors.js';
import { Undef } from './py.js';
import type { LexOptions } from './lexer.js';

/** A value was used that is undefined; `name` is the path that led to it. */
export class UndefinedError extends Error {
  constructor(readonly undef: Undef) {
    super(undef.hint ?? `undefined variable '${undef.name}'`);
  }
}

/** A type error, a bad argument, an unsupported construct: the render fails with this message. */
export class EvalError extends Error {}

export class Scope {
  readonly own = new Map<string, unknown>();
  constructor(readonly parent: Scope | undefined, readonly root?: Record<string, unknown>) {}

  lookup(name: string): unknown {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.own.has(name)) return s.own.get(name);
      if (s.root && Object.hasOwn(s.root, name)) {
        const v = s.root[name];
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  set(name: string, value: unknown): void {
    this.own.set(name, value);
  }
}

export interface Ctx {
  scope: Scope;
  /** The vars object given to the render: VAR_ERRORS live on it. */
  vars: object;
  budget: RenderBudget;
  /** Macro calls in progress. */
  depth: number;
  /** Globals (range, lookup, namespace, omit...) consulted after the scopes. */
  globals: Record<string, unknown>;
  /** Where {% include %}/{% import %} find templates (template files only), and how they are lexed. */
  loader?: TemplateLoader;
  lexOptions?: LexOptions;
  /** The included/imported file being rendered (unset in the top template): errors name it. */
  file?: { display: string; parsed?: { tokens: Array<{ type: string; value: string }>; pos: Array<{ line: number; col: number }> } };
  /** Filter nodes whose last result was a float (floats.ts). */
  floats?: Map<unknown, boolean>;
  /** Controller lookups (file, env, template...): absent where no controller I/O is allowed. */
  lookups?: LookupHost;
}

/** Template files by the name a template gives them ({% include 'x.j2' %}). */
export interface TemplateLoader {
  load(name: string): { path: string; display: string; text: string } | undefined;
  /** The directories searched, for "not found" messages. */
  searched(): string[];
}

/** The controller side of lookups; synchronous, since rendering is. */
export interface LookupHost {
  /** A file by name, as Ansible's find_file_in_search_path: `<dir>/<kind>/<name>`, then `<dir>/<name>`, over role and playbook dirs. */
  find(name: string, kind: 'files' | 'templates' | 'vars'): string | undefined;
  /** A directory, searched the same way (fileglob). */
  findDir(name: string, kind: 'files'): string | undefined;
  readText(path: string): string;
  /** Names of the regular files in a directory. */
  listFiles(dir: string): string[];
  env(name: string): string | undefined;
  /** Runs a shell command on the controller, in the playbook dir (pipe, lines). */
  run(cmd: string): { code: number; stdout: string; stderr: string };
  /** Where a template found at `source` finds what it includes (template lookup). */
  loader(source: string): TemplateLoader;
}

/** The value, or the undefined-variable error (with the variable's own failure when it has one). */
export function need<T>(v: T, c: Ctx): Exclude<T, Undef> {
  if (v instanceof Undef) {
    const head = v.name.split(/[.[]/)[0] ?? v.name;
    const why = varError(c.vars, head);
    if (why !== undefined) throw new VarRefError(why);
    throw new UndefinedError(v);
  }
  return v as Exclude<T, Undef>;
}

export function chargeText<T>(c: Ctx, v: T): T {
  if (typeof v === 'string') charge(c.budget, v.length);
  else if (Array.isArray(v)) charge(c.budget, v.length);
  return v;
}
