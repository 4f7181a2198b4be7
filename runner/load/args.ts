// Module arguments: normalize, schema-check (template strings exempt), and find literal src files.
import * as path from 'node:path';
import type { ModuleDef } from '../modules/types.js';
import type { SourcePos } from '../types.js';
import type { LoadCtx } from './context.js';
import type { ControllerFile } from './types.js';
import { compileLoose, errorsToDiagnostics, isTemplate } from './validate.js';
import { isObj } from './util.js';
import { parseKv, typeBySchema } from './kv-args.js';
import { FREE_FORM_ACTIONS } from './ansible-names.js';
import { templateIncludes } from './template-deps.js';

type PosFn = (path: Array<string | number>, which: 'key' | 'value') => SourcePos;

/** Normalized args, or undefined when normalize() threw. Schema problems are recorded as diagnostics. */
export function checkArgs(ctx: LoadCtx, def: ModuleDef, raw: unknown, extra: unknown, pos: PosFn): unknown {
  let args: unknown;
  try {
    // A string is `k=v` pairs unless Ansible takes the module's free form (FREE_FORM_ACTIONS).
    args = def.normalize && !(typeof raw === 'string' && !FREE_FORM_ACTIONS.has(def.name)) ? def.normalize(raw) : raw;
  } catch (err) {
    ctx.diags.push({ ...pos([], 'value'), message: `bad arguments for module ${def.name}: ${(err as Error).message}` });
    return undefined;
  }
  if (typeof args === 'string') {
    // Not a free-form module (command, shell, debug...): `path=/x state=directory`, as Ansible splits it.
    const kv = parseKv(args);
    if (!kv.ok) {
      ctx.diags.push({ ...pos([], 'value'), message: `bad arguments for module ${def.name}: ${kv.msg}` });
      return undefined;
    }
    if (kv.rawParams !== undefined) {
      ctx.diags.push({ ...pos([], 'value'), message: `module ${def.name} takes key=value arguments; '${kv.rawParams}' is not one` });
      return undefined;
    }
    args = typeBySchema(kv.args, def.schema);
    try {
      if (def.normalize) args = def.normalize(args);
    } catch (err) {
      ctx.diags.push({ ...pos([], 'value'), message: `bad arguments for module ${def.name}: ${(err as Error).message}` });
      return undefined;
    }
  }
  if (args === null || args === undefined) args = {};
  if (isObj(extra) && isObj(args)) args = { ...extra, ...args };
  const validate = compileLoose(def.schema);
  if (validate instanceof Error) {
    ctx.diags.push({ ...pos([], 'key'), message: `module ${def.name} has an invalid schema: ${validate.message}` });
    return args;
  }
  if (!validate(args)) {
    const opts = { dropTemplated: true, subject: `module ${def.name}`, keyWord: 'argument' };
    ctx.diags.push(...errorsToDiagnostics(validate.errors ?? [], args, pos, opts));
  }
  return args;
}

const SRC_MODULES: Record<string, 'templates' | 'files'> = { template: 'templates', copy: 'files' };

/** For template/copy tasks with a literal src: the file, read now so compiling stays pure. */
export async function findControllerFile(
  ctx: LoadCtx,
  module: string,
  args: unknown,
  scope: { baseDir: string; includeDirs: string[]; role?: string },
  srcPos: SourcePos,
): Promise<ControllerFile | undefined> {
  const kind = SRC_MODULES[module];
  if (!kind || !isObj(args)) return undefined;
  const src = args['src'];
  if (typeof src !== 'string' || isTemplate(src) || args['remote_src'] === true) return undefined;
  const candidates = path.isAbsolute(src)
    ? [src]
    : [path.join(scope.baseDir, kind, src), path.join(scope.baseDir, src), ...scope.includeDirs.map((d) => path.join(d, src))];
  const unique = [...new Set(candidates)];
  for (const abs of unique) {
    const found = await ctx.exists(abs);
    if (!found) continue;
    if (kind === 'templates') {
      if (found !== 'file') continue;
      const text = await ctx.readText(abs);
      if (text === undefined) continue;
      const main = { path: abs, display: ctx.display(abs), text };
      const includes = await templateIncludes(ctx, main, scope);
      return { kind, ...main, ...(includes.length ? { includes } : {}) };
    }
    ctx.files.push(abs);
    return { kind, path: abs, display: ctx.display(abs) };
  }
  const what = kind === 'templates' ? 'template' : 'file';
  const looked = unique.slice(0, 2).map((p) => ctx.display(p)).join(', ');
  ctx.diags.push({ ...srcPos, message: `${what} '${src}' not found; looked in ${looked}` });
  return undefined;
}
