// Execution keywords of a task on one host: play < blocks < task, each rendered with the task's vars
// (Ansible templates keywords the same way it templates args). Pure.
import { RenderError } from '../errors.js';
import { renderValue } from '../render/template.js';
import type { ConnectionSpec, ExecKeywords, PlanPlay, TaskCommon, Vars } from '../types.js';

/** What a task's keywords come to on one host, rendered. */
export interface TaskKeywords {
  /** The become user, or null without become. */
  become: string | null;
  /** remote_user keyword: the login user where the host names none itself (ansible_user wins). */
  remoteUser?: string;
  /** connection keyword: how to reach the host where it names no ansible_connection itself. */
  connection?: 'local' | 'ssh';
  check: boolean;
  diff: boolean;
  noLog: boolean;
  ignoreErrors: boolean;
  environment?: Record<string, string>;
  delegateTo?: string;
  delegateFacts: boolean;
  runOnce: boolean;
  anyErrorsFatal: boolean;
  /** module_defaults maps, outermost first; later ones win key by key. */
  moduleDefaults: Vars[];
}

/** The levels a task inherits keywords from: the play, then its enclosing blocks, outermost first. */
export interface KeywordChain {
  play: PlanPlay;
  blocks: readonly TaskCommon[];
}

/** The keyword layer of a play. */
export function playLayer(play: PlanPlay): ExecKeywords {
  return defined({ become: play.become, become_user: play.becomeUser, ...play.keywords });
}

/** The keyword layer of a block or task: `keywords` as written, or the typed fields of a plan built by hand. */
export function itemLayer(t: TaskCommon): ExecKeywords {
  return t.keywords ?? defined({
    become: t.become, become_user: t.becomeUser, environment: t.environment,
    no_log: t.noLog === false ? undefined : t.noLog, ignore_errors: t.ignoreErrors === false ? undefined : t.ignoreErrors,
  });
}

type Merged = { kw: ExecKeywords; moduleDefaults: unknown[] };
const merged = new WeakMap<TaskCommon, { play: PlanPlay; blocks: readonly TaskCommon[]; out: Merged }>();

/**
 * Merges the layers (inner wins), module_defaults kept as a list. The same for every host of a task:
 * kept per task and chain (the hosts of a task share its chain), and never changed by its readers.
 */
export function mergedLayers(chain: KeywordChain, task: TaskCommon): Merged {
  const c = merged.get(task);
  if (c && c.play === chain.play && c.blocks === chain.blocks) return c.out;
  const out = mergeLayers(chain, task);
  merged.set(task, { play: chain.play, blocks: chain.blocks, out });
  return out;
}

function mergeLayers(chain: KeywordChain, task: TaskCommon): Merged {
  const layers = [playLayer(chain.play), ...chain.blocks.map(itemLayer), itemLayer(task)];
  const kw: ExecKeywords = {};
  const moduleDefaults: unknown[] = [];
  for (const l of layers) {
    Object.assign(kw, l);
    if (l.module_defaults !== undefined) moduleDefaults.push(...(Array.isArray(l.module_defaults) ? l.module_defaults : [l.module_defaults]));
  }
  return { kw, moduleDefaults };
}

export interface RunDefaults {
  check: boolean;
  diff: boolean;
}

/**
 * Renders a task's keywords with its vars on one host. `spec` brings the host's ansible_become /
 * -b defaults, below every keyword. Throws RenderError (the host's failed result) on a bad value.
 */
export function taskKeywords(chain: KeywordChain, task: TaskCommon, vars: Vars, spec: Pick<ConnectionSpec, 'become' | 'becomeUser'>, run: RunDefaults, at: string): TaskKeywords {
  const { kw, moduleDefaults } = mergedLayers(chain, task);
  const r = (key: keyof ExecKeywords) => (kw[key] === undefined ? undefined : renderValue(kw[key], vars, `${at}: ${key}`));
  const bool = (key: keyof ExecKeywords, dflt: boolean) => {
    const v = r(key);
    return v === undefined ? dflt : toBool(v, key, at);
  };
  const str = (key: keyof ExecKeywords) => {
    const v = r(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'object') throw new RenderError(`${key}: expected a string, got ${Array.isArray(v) ? 'a list' : 'a dict'}`, at);
    return String(v);
  };
  const method = str('become_method');
  if (method !== undefined && method !== 'sudo') throw new RenderError(`become_method '${method}' is not supported; play becomes with sudo`, at);
  const become = bool('become', spec.become ?? false) ? (str('become_user') ?? spec.becomeUser ?? 'root') : null;
  const out: TaskKeywords = {
    become,
    check: bool('check_mode', run.check),
    diff: bool('diff', run.diff),
    noLog: bool('no_log', false),
    ignoreErrors: bool('ignore_errors', false),
    delegateFacts: bool('delegate_facts', false),
    runOnce: bool('run_once', false),
    anyErrorsFatal: bool('any_errors_fatal', false),
    moduleDefaults: moduleDefaults.map((m, i) => {
      const v = renderValue(m, vars, `${at}: module_defaults`);
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new RenderError(`module_defaults entry ${i + 1}: expected a dict of module names`, at);
      return v as Vars;
    }),
  };
  const remoteUser = str('remote_user');
  if (remoteUser !== undefined) out.remoteUser = remoteUser;
  const connection = connectionOf(str('connection'), at);
  if (connection !== undefined) out.connection = connection;
  const delegateTo = str('delegate_to');
  if (delegateTo !== undefined) out.delegateTo = delegateTo;
  const env = r('environment');
  if (env !== undefined && env !== null) {
    if (typeof env !== 'object' || Array.isArray(env)) throw new RenderError('environment: expected a dict', at);
    out.environment = Object.fromEntries(Object.entries(env as Vars).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return out;
}

/** throttle (0: no limit), rendered with the first host's vars like run_once. */
export function throttleOf(chain: KeywordChain, task: TaskCommon, vars: () => Vars, at: string): number {
  const { kw } = mergedLayers(chain, task);
  if (kw.throttle === undefined) return 0;
  const n = Number(renderValue(kw.throttle, vars(), `${at}: throttle`));
  if (!Number.isInteger(n) || n < 0) throw new RenderError(`throttle: expected a whole number, got ${String(kw.throttle)}`, at);
  return n;
}

/** Just run_once, rendered with the vars of the batch's first host (Ansible decides it once per task). */
export function runOnceOf(chain: KeywordChain, task: TaskCommon, vars: () => Vars, at: string): boolean {
  const { kw } = mergedLayers(chain, task);
  if (kw.run_once === undefined) return false;
  return toBool(renderValue(kw.run_once, vars(), `${at}: run_once`), 'run_once', at);
}

/** The connection keyword: local, or ssh (which smart and paramiko mean here); others are refused. */
export function connectionOf(v: string | undefined, at: string): 'local' | 'ssh' | undefined {
  if (v === undefined) return undefined;
  if (v === 'local') return 'local';
  if (v === 'ssh' || v === 'smart' || v === 'paramiko') return 'ssh';
  throw new RenderError(`connection '${v}' is not supported; play connects over ssh or local`, at);
}

/** Ansible's boolean(): true/yes/on/1/y/t and their opposites; anything else is an error. */
export function toBool(v: unknown, key: string, at: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return v !== 0;
  const s = String(v).trim().toLowerCase();
  if (['true', 'yes', 'on', '1', 'y', 't', '1.0'].includes(s)) return true;
  if (['false', 'no', 'off', '0', 'n', 'f', '0.0', ''].includes(s)) return false;
  throw new RenderError(`${key}: '${String(v)}' is not a valid boolean`, at);
}

/**
 * Module defaults for `module` from the maps (outermost first): a key is a module name or FQCN,
 * matched through `sameModule`. `group/...` keys (action groups) are refused.
 */
export function moduleDefaultsFor(maps: readonly Vars[], sameModule: (key: string) => boolean, at: string): Vars {
  const out: Vars = {};
  for (const m of maps) {
    for (const [key, args] of Object.entries(m)) {
      if (key.startsWith('group/')) throw new RenderError(`module_defaults: action groups ('${key}') are not supported; name the modules`, at);
      if (!sameModule(key)) continue;
      if (!args || typeof args !== 'object' || Array.isArray(args)) throw new RenderError(`module_defaults: '${key}' must map to a dict of arguments`, at);
      Object.assign(out, args);
    }
  }
  return out;
}

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

/** What encloses a task: block and task vars so far, the blocks (outermost first), and whether a rescue waits. */
export interface Scope {
  vars: Vars;
  blocks: readonly TaskCommon[];
  /** A failure here goes to a rescue (the innermost block with one is in its block section). */
  rescuable: boolean;
  /** The innermost section: a block's tasks (or the play's), its rescue, or its always. */
  section: 'block' | 'rescue' | 'always';
}

export const ROOT_SCOPE: Scope = { vars: {}, blocks: [], rescuable: false, section: 'block' };

/** Task args over module_defaults (a free-form or empty module value counts as no args). */
export function withModuleDefaults(written: unknown, defaults: Vars): unknown {
  if (Object.keys(defaults).length === 0) return written;
  if (written === null || written === undefined) return { ...defaults };
  if (typeof written !== 'object' || Array.isArray(written)) return written;
  return { ...defaults, ...(written as Vars) };
}
