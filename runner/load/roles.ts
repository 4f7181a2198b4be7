// Roles: find them on the search path, read their main.yml files, expand meta dependencies.
import * as path from 'node:path';
import { readdir } from 'node:fs/promises';
import type { SourcePos, Vars } from '../types.js';
import type { LoadCtx } from './context.js';
import type { LoadedRole, RawBlock, RawTask, RoleUse } from './types.js';
import { parseTaskList, type ListScope } from './tasks.js';
import { positionOf, type YamlFile } from './yaml.js';
import { asObj, condList, isObj, strList } from './util.js';
import { didYouMean } from './suggest.js';
import { compileLoose } from './validate.js';
import { checkVarGraph } from '../vars/check.js';

export interface RoleRef {
  name: string;
  params: Vars;
  tags: string[];
  when: string[];
  src: SourcePos;
}

/** A role entry as written in a play's roles: or a meta dependencies: list. */
export function roleRefAt(y: YamlFile, at: Array<string | number>, v: unknown): RoleRef | undefined {
  const src = positionOf(y, at);
  if (typeof v === 'string') return { name: v, params: {}, tags: [], when: [], src };
  if (!isObj(v) || typeof v['role'] !== 'string') return undefined;
  return { name: v['role'], params: asObj(v['vars']), tags: strList(v['tags']), when: condList(v['when']), src };
}

export class RoleLoader {
  private readonly cache = new Map<string, Promise<LoadedRole | undefined>>();
  constructor(private readonly ctx: LoadCtx, private readonly searchDirs: string[]) {}

  /** Every role loaded so far, by name. */
  async loaded(): Promise<Map<string, LoadedRole>> {
    const out = new Map<string, LoadedRole>();
    for (const [name, p] of this.cache) {
      const r = await p;
      if (r) out.set(name, r);
    }
    return out;
  }

  load(name: string, ref: SourcePos): Promise<LoadedRole | undefined> {
    let p = this.cache.get(name);
    if (!p) {
      p = this.read(name, ref);
      this.cache.set(name, p);
    }
    return p;
  }

  /** Roles of a play, dependencies first, each once; a dependency cycle is a diagnostic. */
  async expand(refs: RoleRef[]): Promise<RoleUse[]> {
    const uses: RoleUse[] = [];
    const used = new Set<string>();
    const visit = async (ref: RoleRef, stack: string[]): Promise<void> => {
      if (stack.includes(ref.name)) {
        const cycle = [...stack.slice(stack.indexOf(ref.name)), ref.name].join(' -> ');
        this.ctx.diags.push({ ...ref.src, message: `circular role dependency: ${cycle}` });
        return;
      }
      if (used.has(ref.name)) return;
      const role = await this.load(ref.name, ref.src);
      if (!role) return;
      for (const dep of role.dependencies) {
        await visit({ ...dep, tags: [...ref.tags, ...dep.tags], when: [...ref.when, ...dep.when] }, [...stack, ref.name]);
      }
      if (used.has(ref.name)) return;
      used.add(ref.name);
      uses.push({ name: ref.name, params: ref.params, tags: ref.tags, when: ref.when, src: ref.src });
    };
    for (const ref of refs) await visit(ref, []);
    return uses;
  }

  private async read(name: string, ref: SourcePos): Promise<LoadedRole | undefined> {
    const ctx = this.ctx;
    let dir: string | undefined;
    for (const d of this.searchDirs) {
      if ((await ctx.exists(path.join(d, name))) === 'dir') {
        dir = path.join(d, name);
        break;
      }
    }
    if (!dir) {
      const known = (await Promise.all(this.searchDirs.map((d) => readdir(d).catch(() => [] as string[])))).flat();
      const looked = this.searchDirs.map((d) => ctx.display(d)).join(', ');
      ctx.diags.push({ ...ref, message: `unknown role '${name}'${didYouMean(name, known)} (referenced at ${ref.file}:${ref.line}); looked in ${looked}` });
      return undefined;
    }
    const role: LoadedRole = { name, dir, defaults: {}, vars: {}, tasks: [], handlers: [], dependencies: [], files: [] };
    const before = ctx.files.length;
    const main = async (sub: string, schema: 'tasks.schema.json' | 'role-vars.schema.json' | 'role-meta.schema.json') => {
      for (const f of ['main.yml', 'main.yaml']) {
        const abs = path.join(dir, sub, f);
        if ((await ctx.exists(abs)) === 'file') return ctx.readYaml(abs, schema);
      }
      return undefined;
    };
    const scope = (y: YamlFile): ListScope => ({
      y, idPrefix: name, role: name, baseDir: dir, includeDirs: [path.join(dir, 'tasks')],
      stack: [], when: [], tags: [], vars: {},
    });
    const tasksY = await main('tasks', 'tasks.schema.json');
    if (tasksY) role.tasks = await parseTaskList(ctx, { ...scope(tasksY), stack: [path.join(dir, 'tasks', 'main.yml')] }, []);
    const handlersY = await main('handlers', 'tasks.schema.json');
    if (handlersY) {
      for (const h of await parseTaskList(ctx, { ...scope(handlersY), conditional: true }, [])) {
        if (h.kind === 'task') role.handlers.push(h as RawTask);
        else if (h.include) role.handlers.push(includeHandler(ctx, h));
        else ctx.diags.push({ ...h.src, message: 'a handler cannot be a block' });
      }
    }
    const defaultsY = await main('defaults', 'role-vars.schema.json');
    const varsY = await main('vars', 'role-vars.schema.json');
    role.defaults = asObj(defaultsY?.data);
    role.vars = asObj(varsY?.data);
    const at = (k: string) => (varsY && Object.hasOwn(role.vars, k) ? positionOf(varsY, [k], 'key') : defaultsY ? positionOf(defaultsY, [k], 'key') : { file: ctx.display(dir), line: 1, col: 1 });
    ctx.diags.push(...checkVarGraph({ ...role.defaults, ...role.vars }, at));
    const metaY = await main('meta', 'role-meta.schema.json');
    const deps = metaY && isObj(metaY.data) && Array.isArray(metaY.data['dependencies']) ? metaY.data['dependencies'] : [];
    deps.forEach((d, i) => {
      const r = roleRefAt(metaY!, ['dependencies', i], d);
      if (r) role.dependencies.push(r);
    });
    await this.readVarsSchema(role);
    role.files = ctx.files.slice(before).filter((f) => f.startsWith(dir));
    return role;
  }

  private async readVarsSchema(role: LoadedRole): Promise<void> {
    const ctx = this.ctx;
    const abs = path.join(role.dir, 'meta', 'vars.schema.json');
    if ((await ctx.exists(abs)) !== 'file') return;
    const text = await ctx.readText(abs);
    const file = ctx.display(abs);
    try {
      const schema = JSON.parse(text ?? '') as unknown;
      if (!isObj(schema)) throw new Error('expected a JSON object');
      const v = compileLoose(schema);
      if (v instanceof Error) throw v;
      role.varsSchema = { file, schema };
    } catch (err) {
      ctx.diags.push({ file, line: 1, col: 1, message: `role variables schema is invalid: ${(err as Error).message}` });
    }
  }
}

/**
 * A handler that is an include (the official DataDog role's `restart datadog-agent-win`): its name
 * and listen topics are the handler's, and a host it is notified on fails with what play lacks
 * (a handler that is never notified, as on a Debian host, costs nothing).
 */
export function includeHandler(ctx: LoadCtx, h: RawBlock): RawTask {
  const fail = ctx.modules.getModule('fail');
  const msg = `a handler that is ${h.include!.action} '${h.include!.file}' is not supported by play yet`;
  const { block: _b, rescue: _r, always: _a, include: _i, includeFile: _f, includeErrors: _e, roleInclude: _ri, ...common } = h;
  return { ...common, kind: 'task', module: fail?.name ?? 'fail', args: { msg }, argsPos: h.src };
}
