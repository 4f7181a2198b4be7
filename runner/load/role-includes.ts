// import_role / include_role in a task list: the role's tasks (main or tasks_from) in place, as a
// block whose roleInclude brings the role's defaults, vars (or defaults_from / vars_from) and
// handlers into the play. import_role is a plain block; include_role is a dynamic include (its
// `when` holds once, its loop repeats it, apply's keywords go onto its tasks). Meta dependencies
// come first, each as its own role block.
import * as path from 'node:path';
import type { SourcePos, Vars } from '../types.js';
import type { LoadCtx } from './context.js';
import type { LoadedRole, RawBlock, RawItem } from './types.js';
import { parseKv } from './kv-args.js';
import { inheritedKw, readTaskFile, type ParseList } from './includes.js';
import { loopOf } from './loop-keys.js';
import { asObj, isObj, strList } from './util.js';
import { positionOf } from './yaml.js';
import { didYouMean } from './suggest.js';
import type { ListScope } from './tasks.js';

type Path = Array<string | number>;
type Common = Omit<RawBlock, 'kind' | 'block' | 'rescue' | 'always'>;

/** What the loader's role search gives a task list (project.ts sets it on the context). */
export interface RoleSource {
  load(name: string, ref: SourcePos): Promise<LoadedRole | undefined>;
}

const ROLE_ARGS = ['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'rolespec_validate'];
const APPLY_KEYS = ['tags', 'become', 'become_user', 'ignore_errors', 'no_log', 'environment'];

function roleArgs(v: unknown, extra: unknown): Record<string, unknown> | string {
  let a: Record<string, unknown> = {};
  if (typeof v === 'string') {
    const kv = parseKv(v);
    if (!kv.ok) return kv.msg;
    a = { ...kv.args, ...(kv.rawParams !== undefined ? { name: kv.rawParams } : {}) };
  } else if (isObj(v)) a = { ...v };
  return { ...asObj(extra), ...a };
}

/** A file of the role's `sub` dir named as tasks_from/vars_from do (with or without .yml). */
async function roleFile(ctx: LoadCtx, role: LoadedRole, sub: string, name: string): Promise<string | undefined> {
  for (const f of [name, `${name}.yml`, `${name}.yaml`]) {
    const abs = path.join(role.dir, sub, f);
    if ((await ctx.exists(abs)) === 'file') return abs;
  }
  return undefined;
}

export async function parseRoleInclude(
  ctx: LoadCtx, scope: ListScope, at: Path, t: Record<string, unknown>, key: string, short: 'import_role' | 'include_role', common: Common, parse: ParseList,
): Promise<RawItem[]> {
  const pos = positionOf(scope.y, [...at, key]);
  const dynamic = short === 'include_role';
  const a = roleArgs(t[key], t['args']);
  if (typeof a === 'string') {
    ctx.diags.push({ ...pos, message: `${key}: ${a}` });
    return [];
  }
  const allowed = [...ROLE_ARGS, ...(dynamic ? ['apply'] : [])];
  for (const k of Object.keys(a)) {
    if (!allowed.includes(k)) ctx.diags.push({ ...positionOf(scope.y, [...at, key, k], 'key'), message: `${key}: unknown argument '${k}'${didYouMean(k, allowed)}` });
  }
  const name = a['name'];
  if (typeof name !== 'string' || !name) {
    ctx.diags.push({ ...pos, message: `${key} needs the role's name (name: <role>)` });
    return [];
  }
  if (name.includes('{{')) {
    ctx.diags.push({ ...pos, message: `${key} with a templated role name is not supported by play: name the role` });
    return [];
  }
  if (a['handlers_from'] !== undefined && typeof a['handlers_from'] !== 'string') ctx.diags.push({ ...positionOf(scope.y, [...at, key, 'handlers_from']), message: `${key}: handlers_from must be a file name` });
  if (!dynamic && loopOf(t)) ctx.diags.push({ ...pos, message: 'import_role cannot loop (it is read when loading); use include_role' });
  const apply = asObj(a['apply']);
  for (const k of Object.keys(apply)) {
    if (!APPLY_KEYS.includes(k)) ctx.diags.push({ ...positionOf(scope.y, [...at, key, 'apply', k], 'key'), message: `apply: '${k}' is not supported by play; apply takes ${APPLY_KEYS.join(', ')}` });
  }
  if (!ctx.roles) return [];
  // include_role: apply's keywords go onto the role's tasks; import_role: its own keywords do
  const inherit = dynamic ? { when: [], tags: strList(apply['tags']), vars: {}, kw: inheritedKw(apply) } : { when: [], tags: [], vars: {}, kw: inheritedKw(t) };
  const items = await roleBlocks(ctx, scope, name, a, pos, parse, inherit, []);
  if (!items) return [];
  const block: RawBlock = { ...common, kind: 'block', block: items, rescue: [], always: [] };
  if (dynamic) block.include = { action: 'include_role', file: name, templated: false, dirs: [], applyTags: strList(apply['tags']) };
  return [block];
}

type Inherit = Parameters<typeof readTaskFile>[3];

/** The role's dependencies' blocks, then its own, for one use; undefined when the role is not found. */
async function roleBlocks(
  ctx: LoadCtx, scope: ListScope, name: string, a: Record<string, unknown>, pos: SourcePos, parse: ParseList, inherit: Inherit, chain: string[], params: Vars = {},
): Promise<RawItem[] | undefined> {
  if (chain.includes(name)) {
    ctx.diags.push({ ...pos, message: `circular role dependency: ${[...chain, name].join(' -> ')}` });
    return undefined;
  }
  const role = await ctx.roles!.load(name, pos);
  if (!role) return undefined;
  const out: RawItem[] = [];
  for (const dep of role.dependencies) {
    const items = await roleBlocks(ctx, scope, dep.name, {}, dep.src, parse, inherit, [...chain, name], dep.params);
    if (items) out.push(...items);
  }
  let tasks: RawItem[] = role.tasks;
  const roleScope: ListScope = { y: scope.y, idPrefix: name, role: name, baseDir: role.dir, includeDirs: [path.join(role.dir, 'tasks')], stack: [], when: [], tags: [], vars: {} };
  if (typeof a['tasks_from'] === 'string' || Object.keys(inherit.kw).length || inherit.tags.length) {
    const file = typeof a['tasks_from'] === 'string' ? await roleFile(ctx, role, 'tasks', a['tasks_from']) : await roleFile(ctx, role, 'tasks', 'main');
    if (!file) {
      if (typeof a['tasks_from'] === 'string') ctx.diags.push({ ...pos, message: `tasks_from: role '${name}' has no tasks/${a['tasks_from']}` });
      tasks = [];
    } else tasks = (await readTaskFile(ctx, roleScope, file, inherit, parse)) ?? [];
  }
  const ri: RawBlock['roleInclude'] = { name };
  for (const [arg, sub, field] of [['vars_from', 'vars', 'vars'], ['defaults_from', 'defaults', 'defaults']] as const) {
    const v = a[arg];
    if (typeof v !== 'string') continue;
    const file = await roleFile(ctx, role, sub, v);
    if (!file) {
      ctx.diags.push({ ...pos, message: `${arg}: role '${name}' has no ${sub}/${v}` });
      continue;
    }
    ri[field] = asObj((await ctx.readYaml(file, 'role-vars.schema.json'))?.data) as Vars;
  }
  const hf = a['handlers_from'];
  if (typeof hf === 'string') {
    const file = await roleFile(ctx, role, 'handlers', hf);
    if (!file) ctx.diags.push({ ...pos, message: `handlers_from: role '${name}' has no handlers/${hf}` });
    else {
      const items = (await readTaskFile(ctx, roleScope, file, { when: [], tags: [], vars: {}, kw: {} }, parse)) ?? [];
      ri.handlers = [];
      for (const h of items) {
        if (h.kind === 'task') ri.handlers.push(h);
        else ctx.diags.push({ ...h.src, message: 'a handler cannot be a block' });
      }
    }
  }
  out.push({ ...depBlock(pos, role, name, tasks, params), roleInclude: ri });
  return out;
}

function depBlock(src: SourcePos, role: LoadedRole, name: string, items: RawItem[], params: Vars): RawBlock {
  return {
    kind: 'block', file: src.file, idPrefix: name, src, pos: {}, role: name, baseDir: role.dir,
    kw: Object.keys(params).length ? { name: `role ${name}`, vars: params } : { name: `role ${name}` },
    inheritedWhen: [], inheritedTags: [], inheritedVars: {}, block: items, rescue: [], always: [], roleInclude: { name },
  };
}
