// loadProject: read the playbook and everything it names; every problem from every file, one LoadError.
import * as path from 'node:path';
import { LoadError } from '../errors.js';
import type { Diagnostic, SourcePos, Vars } from '../types.js';
import { checkVarGraph } from '../vars/check.js';
import { makeLoadCtx, type LoadCtx } from './context.js';
import { parseTaskList, type ListScope } from './tasks.js';
import { includeHandler, RoleLoader, roleRefAt, type RoleRef } from './roles.js';
import type { LoadedProject, ModuleSource, RawPlay, RawTask } from './types.js';
import { positionOf, type YamlFile } from './yaml.js';
import { asObj, isObj, strList } from './util.js';
import type { VaultContext } from '../secrets/vault.js';
import { execKeywords, varsPrompts } from './exec-keywords.js';

export interface LoadOptions {
  rolesPath?: string[];
  modules: ModuleSource;
  /** Base for relative paths in messages; defaults to process.cwd(). */
  cwd?: string;
  /** Opens vault-encrypted YAML (vars_files, role vars). */
  vault?: VaultContext;
}

export async function loadProject(playbookPath: string, opts: LoadOptions): Promise<LoadedProject> {
  const r = await loadProjectPartly(playbookPath, opts);
  throwIfAny(r.diagnostics);
  return r.project;
}

/**
 * Everything that loads, and every problem: the caller compiles what loaded to report its problems
 * in the same pass (project.lost says what the items left out may define).
 */
export async function loadProjectPartly(playbookPath: string, opts: LoadOptions): Promise<{ project: LoadedProject; diagnostics: Diagnostic[] }> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = path.resolve(cwd, playbookPath);
  const dir = path.dirname(abs);
  const ctx = makeLoadCtx(dir, opts.modules, cwd, opts.vault);
  const searchDirs = [path.join(dir, 'roles'), path.join(dir, '..', 'roles'), ...(opts.rolesPath ?? []).map((p) => path.resolve(cwd, p))];
  const roles = new RoleLoader(ctx, searchDirs);
  ctx.roles = roles;
  const plays = await loadPlaybookFile(ctx, roles, abs, [], undefined);
  const project: LoadedProject = { playbook: ctx.display(abs), baseDir: dir, plays, roles: await roles.loaded(), files: [...new Set(ctx.files)] };
  // a file that did not parse leaves its tasks out: any name may have been defined there
  if (ctx.diags.length || ctx.lost) project.lost = { names: [], topics: [], any: false, ...ctx.lost, ...(ctx.lost ? {} : { any: true }) };
  return { project, diagnostics: sortDiagnostics(ctx.diags) };
}

const IMPORT_PLAYBOOK = ['import_playbook', 'ansible.builtin.import_playbook', 'ansible.legacy.import_playbook'];

/** The plays of a playbook file, import_playbook entries replaced by the plays of the files they name. */
async function loadPlaybookFile(ctx: LoadCtx, roles: RoleLoader, abs: string, stack: string[], ref: { pos: SourcePos; what: string } | undefined): Promise<RawPlay[]> {
  const y = await ctx.readYaml(abs, 'playbook.schema.json', ref);
  const plays: RawPlay[] = [];
  if (!y || !Array.isArray(y.data)) return plays;
  for (let i = 0; i < y.data.length; i++) {
    const p = y.data[i];
    if (!isObj(p)) continue;
    const key = IMPORT_PLAYBOOK.find((k) => k in p);
    if (!key) {
      plays.push(await loadPlay(ctx, roles, y, i, p, abs));
      continue;
    }
    const rel = p[key];
    const pos = positionOf(y, [i, key]);
    if (typeof rel !== 'string') continue;
    if (rel.includes('{{')) {
      ctx.diags.push({ ...pos, message: `import_playbook needs a literal file name (it is read when loading), got '${rel}'` });
      continue;
    }
    const target = path.resolve(path.dirname(abs), rel);
    if ([...stack, abs].includes(target)) {
      ctx.diags.push({ ...pos, message: `import_playbook cycle: ${[...stack, abs, target].map((f) => ctx.display(f)).join(' -> ')}` });
      continue;
    }
    // the imported plays keep their own positions; the entry's tags and vars go onto each of them
    for (const play of await loadPlaybookFile(ctx, roles, target, [...stack, abs], { pos, what: 'import_playbook file' })) {
      plays.push({ ...play, tags: [...strList(p['tags']), ...play.tags], vars: { ...asObj(p['vars']), ...play.vars } });
    }
  }
  return plays;
}

/** Sorted by file and position, duplicates removed; throws one LoadError when there is anything. */
export function throwIfAny(diags: Diagnostic[]): void {
  if (diags.length === 0) return;
  throw new LoadError(sortDiagnostics(diags));
}

export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return [...diags]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col)
    .filter((d) => {
      const k = `${d.file}:${d.line}:${d.col}:${d.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
}

async function loadPlay(
  ctx: LoadCtx, roles: RoleLoader, y: YamlFile, i: number, p: Record<string, unknown>, playbookAbs: string,
): Promise<RawPlay> {
  const src = positionOf(y, [i]);
  const hosts = strList(p['hosts']);
  const dir = path.dirname(playbookAbs); // an imported playbook's own directory
  const scope = (_list: string): ListScope => ({
    y, idPrefix: path.basename(playbookAbs), baseDir: dir, includeDirs: [dir],
    stack: [playbookAbs], when: [], tags: [], vars: {},
  });
  const refs: RoleRef[] = [];
  if (Array.isArray(p['roles'])) {
    p['roles'].forEach((r, j) => {
      const ref = roleRefAt(y, [i, 'roles', j], r);
      if (ref) refs.push(ref);
    });
  }
  const varPos = new Map<string, SourcePos>();
  const play: RawPlay = {
    name: typeof p['name'] === 'string' ? p['name'] : hosts.join(','),
    src,
    file: y.file,
    pattern: hosts.join(','),
    hostsPos: positionOf(y, [i, 'hosts']),
    vars: asObj(p['vars']),
    varsFromFiles: await loadVarsFiles(ctx, y, i, p['vars_files'], varPos, dir),
    gatherFacts: p['gather_facts'] !== false,
    tags: strList(p['tags']),
    roles: await roles.expand(refs),
    preTasks: await parseTaskList(ctx, scope('pre_tasks'), [i, 'pre_tasks']),
    tasks: await parseTaskList(ctx, scope('tasks'), [i, 'tasks']),
    postTasks: await parseTaskList(ctx, scope('post_tasks'), [i, 'post_tasks']),
    handlers: [],
  };
  for (const h of await parseTaskList(ctx, { ...scope('handlers'), conditional: true }, [i, 'handlers'])) {
    if (h.kind === 'task') play.handlers.push(h as RawTask);
    else if (h.include) play.handlers.push(includeHandler(ctx, h));
    else ctx.diags.push({ ...h.src, message: 'a handler cannot be a block' });
  }
  for (const k of Object.keys(play.vars)) if (!varPos.has(k)) varPos.set(k, positionOf(y, [i, 'vars', k], 'key'));
  ctx.diags.push(...checkVarGraph({ ...play.vars, ...play.varsFromFiles }, (k) => varPos.get(k) ?? src));
  if (typeof p['become'] === 'boolean' || typeof p['become'] === 'string') play.become = p['become'];
  if (typeof p['become_user'] === 'string') play.becomeUser = p['become_user'];
  if (p['serial'] !== undefined && p['serial'] !== null) play.serial = p['serial'] as NonNullable<RawPlay['serial']>;
  const keywords = execKeywords(p);
  if (keywords) play.keywords = keywords;
  if (typeof p['max_fail_percentage'] === 'number') play.maxFailPercentage = p['max_fail_percentage'];
  if (typeof p['order'] === 'string') play.order = p['order'] as NonNullable<RawPlay['order']>;
  const prompts = varsPrompts(y, i, p['vars_prompt']);
  if (prompts.length) play.varsPrompt = prompts;
  return play;
}

/** `varPos` learns where each key is set (the last file that sets it). */
async function loadVarsFiles(ctx: LoadCtx, y: YamlFile, i: number, list: unknown, varPos: Map<string, SourcePos>, dir: string): Promise<Vars> {
  let out: Vars = {};
  if (!Array.isArray(list)) return out;
  for (let j = 0; j < list.length; j++) {
    const rel = list[j];
    if (typeof rel !== 'string') continue;
    const pos = positionOf(y, [i, 'vars_files', j]);
    if (rel.includes('{{')) {
      ctx.diags.push({ ...pos, message: `vars_files entry '${rel}' must be a literal path; it is read when loading` });
      continue;
    }
    const vf = await ctx.readYaml(path.resolve(dir, rel), 'role-vars.schema.json', { pos, what: 'vars file' });
    if (!vf) continue;
    out = { ...out, ...asObj(vf.data) };
    for (const k of Object.keys(asObj(vf.data))) varPos.set(k, positionOf(vf, [k], 'key'));
  }
  return out;
}
