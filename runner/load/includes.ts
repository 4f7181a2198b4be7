// import_tasks / include_tasks (and the old `include`): static imports are read into the list, their
// keywords copied onto each task; a dynamic include becomes a block marked `include` (its `when`
// holds once, its loop repeats it). A templated file name is loaded as every candidate file the
// name may render to (each a child block with its includeFile), and picked per host at run time.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { SourcePos } from '../types.js';
import type { LoadCtx } from './context.js';
import type { RawBlock, RawItem } from './types.js';
import { parseKv } from './kv-args.js';
import { loopOf } from './loop-keys.js';
import { asObj, condList, isObj, strList } from './util.js';
import { positionOf } from './yaml.js';
import { didYouMean } from './suggest.js';
import type { InheritedKw, ListScope } from './tasks.js';

type Path = Array<string | number>;
export type ParseList = (ctx: LoadCtx, scope: ListScope, listPath: Path) => Promise<RawItem[]>;

/** What `apply:` may carry onto the included tasks. */
const APPLY_KEYS = ['tags', 'become', 'become_user', 'ignore_errors', 'no_log', 'environment'];
/** Keywords an import copies onto each imported task (its when, tags and vars are inherited apart). */
export const INHERITED_KW = ['become', 'become_user', 'ignore_errors', 'no_log', 'environment'] as const;
const MAX_CANDIDATES = 64;

export interface IncludeArgs {
  file?: string;
  apply: Record<string, unknown>;
  bad?: string;
}

/** `include_tasks: x.yml`, `file=x.yml`, `{file: x.yml, apply: {...}}`, plus the task's `args:`. */
export function includeArgs(v: unknown, extra: unknown, apply: boolean): IncludeArgs {
  let a: Record<string, unknown> = {};
  if (typeof v === 'string') {
    const kv = parseKv(v);
    if (!kv.ok) return { apply: {}, bad: kv.msg };
    a = { ...kv.args, ...(kv.rawParams !== undefined ? { _raw_params: kv.rawParams } : {}) };
    if (kv.rawParams === undefined && Object.keys(kv.args).length === 0) a = { _raw_params: v };
  } else if (isObj(v)) a = { ...v };
  a = { ...asObj(extra), ...a };
  const allowed = ['file', '_raw_params', ...(apply ? ['apply'] : [])];
  const unknown = Object.keys(a).find((k) => !allowed.includes(k));
  if (unknown) return { apply: {}, bad: `unknown argument '${unknown}'${didYouMean(unknown, allowed.filter((k) => k !== '_raw_params'))}` };
  const file = a['file'] ?? a['_raw_params'];
  return { ...(typeof file === 'string' ? { file } : {}), apply: asObj(a['apply']) };
}

/** `{{ ... }}` parts become wildcards: the files a templated name may render to. */
export function templateRegex(name: string): RegExp {
  const parts = name.split(/(\{\{.*?\}\})/s);
  const body = parts.map((p) => (p.startsWith('{{') ? '.*' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/**
 * The names a templated include may render to: with `include_tasks: "{{ item }}"` over a literal
 * list (loop / with_items / with_first_found terms), those terms; otherwise the name itself.
 */
export function candidatePatterns(file: string, kw: Record<string, unknown>, loopVar: string): string[] {
  const m = /^\s*\{\{\s*([A-Za-z_]\w*)\s*\}\}\s*$/.exec(file);
  const loop = loopOf(kw);
  if (!m || m[1] !== loopVar || !loop || !Array.isArray(loop.value)) return [file];
  const out: string[] = [];
  for (const t of loop.value) {
    if (typeof t === 'string') out.push(t);
    else if (isObj(t) && loop.form === 'first_found') {
      const files = strList(t['files']);
      const paths = strList(t['paths']);
      if (paths.length) for (const p of paths) for (const f of files) out.push(path.join(p, f));
      else out.push(...files);
    } else return [file];
  }
  return out.length ? out : [file];
}

/** Task files under `dir` (a few levels deep), as paths relative to it. */
async function taskFilesUnder(dir: string, depth = 3): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string, left: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && left > 0) await walk(path.join(d, e.name), r, left - 1);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(r);
    }
  };
  await walk(dir, '', depth);
  return out.sort();
}

/** Absolute candidate files for a templated name, in search order, without the ones being imported. */
export async function findCandidates(patterns: string[], dirs: string[], stack: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const pattern of patterns) {
    if (path.isAbsolute(pattern)) continue;
    const re = templateRegex(pattern.replace(/^\.\//, ''));
    for (const d of dirs) {
      for (const rel of await taskFilesUnder(d)) {
        const abs = path.join(d, rel);
        if (re.test(rel) && !stack.includes(abs) && !found.includes(abs)) found.push(abs);
      }
    }
  }
  return found.slice(0, MAX_CANDIDATES);
}

/** The file a literal name names, or a diagnostic; cycles are refused. */
export async function resolveTaskFile(ctx: LoadCtx, key: string, rel: string, scope: ListScope, at: SourcePos): Promise<string | undefined> {
  for (const dir of scope.includeDirs) {
    const cand = path.resolve(dir, rel);
    if ((await ctx.exists(cand)) !== 'file') continue;
    if (scope.stack.includes(cand)) {
      const cycle = [...scope.stack.slice(scope.stack.indexOf(cand)), cand].map((p) => ctx.display(p));
      ctx.diags.push({ ...at, message: `${key} cycle: ${cycle.join(' -> ')}` });
      return undefined;
    }
    return cand;
  }
  // As Ansible's path_dwim_relative: in a role, last the role's own directory (handlers/x.yml from handlers/main.yml)
  const roleDir = scope.role !== undefined && !path.isAbsolute(rel) ? path.resolve(scope.baseDir, rel) : undefined;
  if (roleDir && !scope.includeDirs.some((d) => path.resolve(d, rel) === roleDir) && (await ctx.exists(roleDir)) === 'file') {
    if (!scope.stack.includes(roleDir)) return roleDir;
  }
  const looked = [...scope.includeDirs.map((d) => path.resolve(d, rel)), ...(roleDir ? [roleDir] : [])].map((p) => ctx.display(p)).join(', ');
  ctx.diags.push({ ...at, message: `${key} file '${rel}' not found; looked in ${looked}` });
  return undefined;
}

/** The items of one task file, read in the scope an include or import gives it. */
export async function readTaskFile(
  ctx: LoadCtx, scope: ListScope, abs: string, inherit: { when: string[]; tags: string[]; vars: Record<string, unknown>; kw: InheritedKw }, parse: ParseList,
): Promise<RawItem[] | undefined> {
  const y = await ctx.readYaml(abs, 'tasks.schema.json');
  if (!y) return undefined;
  const dir = path.dirname(abs);
  const child: ListScope = {
    y,
    idPrefix: scope.role ?? path.relative(ctx.playbookDir, abs).split(path.sep).join('/'),
    ...(scope.role !== undefined ? { role: scope.role } : {}),
    baseDir: scope.baseDir,
    includeDirs: [dir, ...scope.includeDirs.filter((d) => d !== dir)],
    stack: [...scope.stack, abs],
    ...(scope.conditional || inherit.when.length > 0 ? { conditional: true } : {}),
    when: [...scope.when, ...inherit.when],
    tags: [...scope.tags, ...inherit.tags],
    vars: { ...scope.vars, ...inherit.vars },
    kw: { ...scope.kw, ...inherit.kw },
  };
  return parse(ctx, child, []);
}

/** What the tasks of an include that does not load would define or be notified as: the checks of the rest must not call those undefined. */
function noteDeferred(ctx: LoadCtx, items: RawItem[]): void {
  const lost = (ctx.lost ??= { names: [], topics: [], any: false });
  for (const it of items) {
    if (it.kw.register) lost.names.push(it.kw.register);
    lost.topics.push(...strList(it.kw.name));
    if (it.kind === 'block') noteDeferred(ctx, [...it.block, ...it.rescue, ...it.always]);
    else {
      lost.topics.push(...strList(it.kw.listen));
      lost.names.push(...(it.defines ?? []), ...(ctx.modules.getModule(it.module)?.definesVars?.(it.args) ?? []));
    }
  }
}

/** The keywords of `from` that an import (or apply) copies onto its tasks. */
export function inheritedKw(from: Record<string, unknown>): InheritedKw {
  const out: Record<string, unknown> = {};
  for (const k of INHERITED_KW) if (from[k] !== undefined) out[k] = from[k];
  return out as InheritedKw;
}

/** import_tasks / include_tasks / include, at `at` in `scope`. `common` is the raw block every include shares. */
export async function parseTaskInclude(
  ctx: LoadCtx, scope: ListScope, at: Path, t: Record<string, unknown>, key: string, short: string,
  common: Omit<RawBlock, 'kind' | 'block' | 'rescue' | 'always'>, parse: ParseList,
): Promise<RawItem[]> {
  const dynamic = short !== 'import_tasks';
  const valuePos = positionOf(scope.y, [...at, key]);
  const a = includeArgs(t[key], t['args'], dynamic);
  if (a.bad) {
    ctx.diags.push({ ...valuePos, message: `${key}: ${a.bad}` });
    return [];
  }
  if (a.file === undefined) {
    ctx.diags.push({ ...valuePos, message: `${key} needs a file name` });
    return [];
  }
  const loop = loopOf(t);
  if (!dynamic && loop) {
    ctx.diags.push({ ...positionOf(scope.y, [...at, loop.key], 'key'), message: `import_tasks cannot loop (it is read when loading); use include_tasks with '${loop.key}'` });
    return [];
  }
  for (const k of Object.keys(a.apply)) {
    if (!APPLY_KEYS.includes(k)) ctx.diags.push({ ...positionOf(scope.y, [...at, key, 'apply', k], 'key'), message: `apply: '${k}' is not supported by play; apply takes ${APPLY_KEYS.join(', ')}` });
  }
  const own = { when: condList(t['when']), tags: strList(t['tags']), vars: asObj(t['vars']) };
  if (!dynamic) {
    if (a.file.includes('{{')) {
      ctx.diags.push({ ...valuePos, message: `import_tasks needs a literal file name (it is read when loading); use include_tasks for '${a.file}'` });
      return [];
    }
    const abs = await resolveTaskFile(ctx, key, a.file, scope, valuePos);
    if (!abs) return [];
    return (await readTaskFile(ctx, scope, abs, { ...own, kw: inheritedKw(t) }, parse)) ?? [];
  }
  // Dynamic: the include's when/tags/vars are the block's own; apply's keywords go onto its tasks.
  const inner = { when: [], tags: strList(a.apply['tags']), vars: {}, kw: inheritedKw(a.apply) };
  const blockScope: ListScope = { ...scope, when: [], tags: [], vars: {} };
  const templated = a.file.includes('{{');
  const block: RawBlock = {
    ...common, kind: 'block', block: [], rescue: [], always: [],
    include: { action: 'include_tasks', file: a.file, templated, dirs: scope.includeDirs, applyTags: inner.tags },
  };
  if (!templated) {
    const abs = await resolveTaskFile(ctx, key, a.file, scope, valuePos);
    if (!abs) return [];
    // As in Ansible, an include's file is read when a host reaches it: under a condition, its problems
    // fail the hosts that reach it (agent-win.yml's win_* modules on a Debian host never load), not
    // the load. One that every host reaches is checked now, with the rest.
    const deferred = scope.conditional === true || own.when.length > 0 || scope.when.length > 0;
    const innerScope: ListScope = deferred ? { ...blockScope, conditional: true } : blockScope;
    const before = ctx.diags.length;
    const items = await readTaskFile(ctx, innerScope, abs, inner, parse);
    const errors = deferred ? ctx.diags.splice(before).map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`) : [];
    block.block = errors.length ? [] : items ?? [];
    if (errors.length) {
      block.includeFile = abs;
      block.includeErrors = errors;
      noteDeferred(ctx, items ?? []);
    }
    return [block];
  }
  const lc = asObj(t['loop_control']);
  const patterns = candidatePatterns(a.file, t, typeof lc['loop_var'] === 'string' ? lc['loop_var'] : 'item');
  const files = await findCandidates(patterns, scope.includeDirs, scope.stack);
  if (files.length === 0) {
    const where = scope.includeDirs.map((d) => ctx.display(d)).join(', ');
    ctx.diags.push({ ...valuePos, message: `${key}: no task file in ${where} matches '${a.file}' (a templated name is loaded as the files it may render to)` });
    return [];
  }
  for (const abs of files) {
    // A candidate's problems matter only on a host that picks it (setup-Solaris.yml on a Debian host
    // never loads in Ansible): they are kept with it, not reported now.
    const before = ctx.diags.length;
    const items = await readTaskFile(ctx, { ...blockScope, conditional: true }, abs, inner, parse);
    const errors = ctx.diags.splice(before).map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
    const candidate: RawBlock = { ...common, kw: { name: `${common.kw.name ?? key} (${path.basename(abs)})` }, kind: 'block', block: errors.length ? [] : items ?? [], rescue: [], always: [], includeFile: abs, inheritedWhen: [], inheritedTags: [], inheritedVars: {} };
    if (errors.length) candidate.includeErrors = errors;
    block.block.push(candidate);
  }
  return [block];
}

/**
 * include_vars: the variable names its file (or, for a templated name, every file it may render to)
 * defines, so that later tasks may use them; a literal file that is missing is a diagnostic. Looked
 * up as the task will at run time: the role's (or playbook's) vars/, then the role itself.
 */
export async function varsFileKeys(ctx: LoadCtx, scope: ListScope, t: Record<string, unknown>, args: unknown, at: SourcePos): Promise<string[] | undefined> {
  const a = asObj(args);
  const file = a['file'];
  if (typeof file !== 'string') return undefined;
  const dirs = [path.join(scope.baseDir, 'vars'), scope.baseDir];
  let files: string[];
  if (file.includes('{{')) {
    const lc = asObj(t['loop_control']);
    files = [];
    for (const pattern of candidatePatterns(file, t, typeof lc['loop_var'] === 'string' ? lc['loop_var'] : 'item')) {
      // a name without a literal directory is looked for in vars/ only: the role's own task files are no candidates
      const literalDir = pattern.split('{{')[0]!.includes('/');
      for (const f of await findCandidates([pattern], literalDir ? dirs : dirs.slice(0, 1), [])) if (!files.includes(f)) files.push(f);
    }
  } else {
    const abs = path.isAbsolute(file) ? [file] : dirs.map((d) => path.resolve(d, file));
    let found: string | undefined;
    for (const p of abs) if ((await ctx.exists(p)) === 'file') { found = p; break; }
    if (!found) {
      ctx.diags.push({ ...at, message: `include_vars file '${file}' not found; looked in ${abs.map((p) => ctx.display(p)).join(', ')}` });
      return undefined;
    }
    files = [found];
  }
  const keys = new Set<string>();
  for (const f of files) {
    const y = await ctx.readYaml(f, 'role-vars.schema.json');
    for (const k of Object.keys(asObj(y?.data))) keys.add(k);
  }
  const name = a['name'];
  return typeof name === 'string' ? [name] : [...keys];
}
