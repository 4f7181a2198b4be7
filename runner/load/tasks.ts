// Task lists: blocks, static imports, the one module key and its arguments.
import * as path from 'node:path';
import type { SourcePos, Vars } from '../types.js';
import type { LoadCtx } from './context.js';
import type { RawBlock, RawItem, RawKeywords, RawTask } from './types.js';
import { positionOf, type YamlFile } from './yaml.js';
import { asObj, condList, isObj, strList } from './util.js';
import { didYouMean } from './suggest.js';
import { checkArgs, findControllerFile } from './args.js';
import { shortBuiltin, unsupportedReason } from './ansible-names.js';
import { NEW_TASK_KEYWORDS } from './exec-keywords.js';
import { LOOP_FORMS } from './loops.js';
import { checkLoop } from './loop-keys.js';
import { INHERITED_KW, parseTaskInclude, varsFileKeys } from './includes.js';
import { parseRoleInclude } from './role-includes.js';

/** Keywords a task may carry besides its module key. */
export const TASK_KEYWORDS = [
  'name', 'when', 'loop', 'with_items', 'register', 'notify', 'listen', 'become', 'become_user',
  'ignore_errors', 'changed_when', 'failed_when', 'tags', 'no_log', 'environment', 'timeout',
  'retries', 'until', 'delay', 'cache', 'vars', 'args', 'loop_control',
  ...LOOP_FORMS.filter((f) => f !== 'loop' && f !== 'items').map((f) => `with_${f}`),
  // execution keywords (execute/keywords.ts)
  'become_method', 'remote_user', 'connection', 'check_mode', 'diff', 'delegate_to', 'delegate_facts', 'run_once', 'any_errors_fatal', 'throttle', 'module_defaults',
] as const;
const BLOCK_KEYS = ['block', 'rescue', 'always'];
const BLOCK_KEYWORDS = ['name', 'when', 'tags', 'become', 'become_user', 'ignore_errors', 'no_log', 'environment', 'vars', 'cache', ...NEW_TASK_KEYWORDS];
const INCLUDE_KEYS = ['import_tasks', 'include_tasks', 'include'];
const LOOP_KEYWORDS = ['loop', 'loop_control', ...LOOP_FORMS.filter((f) => f !== 'loop').map((f) => `with_${f}`)];
/** include_tasks keywords: its own when/tags/vars, a loop, and args (file, apply). */
const INCLUDE_KEYWORDS = ['name', 'when', 'tags', 'vars', 'args', ...LOOP_KEYWORDS];
/** import_tasks: also the keywords it copies onto each task. */
const IMPORT_KEYWORDS = ['name', 'when', 'tags', 'vars', 'args', ...INHERITED_KW, ...LOOP_KEYWORDS]; // a loop: refused by name in includes.ts
const ALL_KEYWORDS = new Set<string>([...TASK_KEYWORDS, ...BLOCK_KEYS, ...INCLUDE_KEYS, 'import_role', 'include_role']);

/** Where a task list lives and what its tasks inherit. */
export interface ListScope {
  y: YamlFile;
  idPrefix: string;
  role?: string;
  /** Role dir or playbook dir: files/ and templates/ are looked up here. */
  baseDir: string;
  /** Directories an import path is resolved against, in order. */
  includeDirs: string[];
  /** Absolute paths of the files being imported, for cycle detection. */
  stack: string[];
  when: string[];
  tags: string[];
  vars: Vars;
  /** Keywords an import_tasks (or an include's apply) copies onto each task; the task's own win. */
  kw?: InheritedKw;
  /**
   * The list runs only where a condition holds (a block, import or include with `when`, a rescue, a
   * handler): an include in it that does not load fails the hosts that reach it, not the load.
   */
  conditional?: boolean;
}

export type InheritedKw = Partial<Pick<RawKeywords, (typeof INHERITED_KW)[number]>>;

type Path = Array<string | number>;

/** POSIX names only: the keys become `export NAME=...` in the host's shell. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkEnvironmentKeys(ctx: LoadCtx, y: YamlFile, at: Path, env: unknown): void {
  if (!isObj(env)) return;
  for (const k of Object.keys(env)) {
    if (ENV_NAME.test(k)) continue;
    ctx.diags.push({ ...positionOf(y, [...at, 'environment', k], 'key'), message: `environment key ${JSON.stringify(k)} is not a valid variable name: use letters, digits and _ (not starting with a digit)` });
  }
}

export async function parseTaskList(ctx: LoadCtx, scope: ListScope, listPath: Path): Promise<RawItem[]> {
  let list: unknown = scope.y.data;
  for (const seg of listPath) list = isObj(list) || Array.isArray(list) ? (list as Record<string, unknown>)[seg] : undefined;
  if (!Array.isArray(list)) return [];
  const out: RawItem[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    if (!isObj(t)) continue;
    const before = ctx.diags.length;
    const items = await parseItem(ctx, scope, [...listPath, i], t);
    out.push(...items);
    if (ctx.diags.length > before) noteLost(ctx, t, items.length === 0);
  }
  return out;
}

/**
 * What an item that had problems may define (register, set_fact keys) or be notified as (name,
 * listen): the compiler, which checks the rest in the same pass, must not call those undefined.
 * An include's or include_vars' names are unknown: then nothing is.
 */
function noteLost(ctx: LoadCtx, t: unknown, dropped: boolean): void {
  if (Array.isArray(t)) return t.forEach((x) => noteLost(ctx, x, dropped));
  if (!isObj(t)) return;
  const lost = (ctx.lost ??= { names: [], topics: [], any: false });
  if (typeof t['register'] === 'string') lost.names.push(t['register']);
  lost.topics.push(...strList(t['name']), ...strList(t['listen']));
  for (const [k, v] of Object.entries(t)) {
    const short = shortBuiltin(k);
    if (short === 'set_fact' && isObj(v)) lost.names.push(...Object.keys(v));
    // an include that loaded had its own items noted; one left out may have defined anything
    if (dropped && ['include_vars', 'include_tasks', 'import_tasks', 'include', 'include_role', 'import_role'].includes(short)) lost.any = true;
    if (BLOCK_KEYS.includes(k)) noteLost(ctx, v, dropped);
  }
}

async function parseItem(ctx: LoadCtx, scope: ListScope, at: Path, t: Record<string, unknown>): Promise<RawItem[]> {
  const y = scope.y;
  const keyPos = (k: string): SourcePos => positionOf(y, [...at, k], 'key');
  const src = positionOf(y, at);
  const pos: Record<string, SourcePos> = {};
  for (const k of Object.keys(t)) pos[k] = positionOf(y, [...at, k]);
  const common = {
    file: y.file,
    idPrefix: scope.idPrefix,
    src,
    pos,
    ...(scope.role !== undefined ? { role: scope.role } : {}),
    baseDir: scope.baseDir,
    kw: { ...scope.kw, ...t } as RawKeywords,
    inheritedWhen: scope.when,
    inheritedTags: scope.tags,
    inheritedVars: scope.vars,
  };
  const keys = Object.keys(t);
  checkEnvironmentKeys(ctx, y, at, t['environment']);
  checkLoop(ctx, y, at, t);
  const misplaced = (allowed: string[], what: string): void => {
    for (const k of keys) {
      if (allowed.includes(k)) continue;
      const message = ALL_KEYWORDS.has(k)
        ? `'${k}' is not allowed on ${what}`
        : unsupportedReason(k) ?? `unknown key '${k}' in ${what}${didYouMean(k, allowed)}`;
      ctx.diags.push({ ...keyPos(k), message });
    }
  };

  if (keys.some((k) => BLOCK_KEYS.includes(k))) {
    if (!('block' in t)) {
      ctx.diags.push({ ...src, message: "'rescue' and 'always' need a 'block' in the same task" });
      return [];
    }
    misplaced([...BLOCK_KEYWORDS, ...BLOCK_KEYS], 'a block');
    const block: RawBlock = {
      kind: 'block',
      ...common,
      block: await parseTaskList(ctx, t['when'] !== undefined ? { ...scope, conditional: true } : scope, [...at, 'block']),
      rescue: await parseTaskList(ctx, { ...scope, conditional: true }, [...at, 'rescue']),
      always: await parseTaskList(ctx, t['when'] !== undefined ? { ...scope, conditional: true } : scope, [...at, 'always']),
    };
    return [block];
  }

  const includeKey = keys.find((k) => INCLUDE_KEYS.includes(shortBuiltin(k)));
  if (includeKey) {
    const short = shortBuiltin(includeKey);
    misplaced([...(short === 'import_tasks' ? IMPORT_KEYWORDS : INCLUDE_KEYWORDS), includeKey], short);
    return parseTaskInclude(ctx, scope, at, t, includeKey, short, common, parseTaskList);
  }

  const roleKey = keys.find((k) => shortBuiltin(k) === 'import_role' || shortBuiltin(k) === 'include_role');
  if (roleKey) {
    const short = shortBuiltin(roleKey) as 'import_role' | 'include_role';
    misplaced([...(short === 'import_role' ? IMPORT_KEYWORDS : INCLUDE_KEYWORDS), roleKey], short);
    return parseRoleInclude(ctx, scope, at, t, roleKey, short, common, parseTaskList);
  }

  const unsupported = keys.filter((k) => !ALL_KEYWORDS.has(k) && !ctx.modules.getModule(k) && unsupportedReason(k));
  for (const k of unsupported) ctx.diags.push({ ...keyPos(k), message: unsupportedReason(k)! });
  if (unsupported.length) return [];
  const moduleKeys = keys.filter((k) => !ALL_KEYWORDS.has(k));
  const known = moduleKeys.filter((k) => ctx.modules.getModule(k));
  const unknown = moduleKeys.filter((k) => !ctx.modules.getModule(k));
  if (moduleKeys.length === 0) {
    const names = ctx.modules.moduleNames();
    ctx.diags.push({ ...src, message: `task has no module; expected one of: ${names.join(', ')}` });
    return [];
  }
  if (known.length >= 2 || (known.length === 0 && unknown.length >= 2)) {
    const two = known.length >= 2 ? known : unknown;
    ctx.diags.push({ ...keyPos(two[1]!), message: `task has two module keys: ${two[0]} and ${two[1]}` });
    return [];
  }
  if (known.length === 0) {
    const k = unknown[0]!;
    ctx.diags.push({ ...keyPos(k), message: `unknown module '${k}'${didYouMean(k, ctx.modules.moduleNames())}` });
    return [];
  }
  for (const k of unknown) {
    const hint = didYouMean(k, [...ALL_KEYWORDS]);
    ctx.diags.push({ ...keyPos(k), message: `unknown key '${k}' in task${hint}` });
  }
  if (unknown.length) return [];
  const moduleKey = known[0]!;
  const def = ctx.modules.getModule(moduleKey)!;
  const args = checkArgs(ctx, def, t[moduleKey], t['args'], (p, w) => positionOf(y, [...at, moduleKey, ...p], w));
  if (args === undefined) return [];
  const task: RawTask = { kind: 'task', ...common, module: def.name, args, argsPos: positionOf(y, [...at, moduleKey]) };
  const srcPos = positionOf(y, [...at, moduleKey, 'src']);
  const cf = await findControllerFile(ctx, def.name, args, scope, srcPos);
  if (cf) task.controllerFile = cf;
  if (def.name === 'include_vars') {
    const names = await varsFileKeys(ctx, scope, t, args, positionOf(y, [...at, moduleKey]));
    if (names) task.defines = names;
    else (ctx.lost ??= { names: [], topics: [], any: false }).any = true;
  }
  return [task];
}
