// include_vars: variables from a YAML file on the controller, set on the host from then on (as
// set_fact's are). The file is looked up as Ansible does: the role's vars/, the role, then the
// playbook's (readControllerFile). Its values may refer to each other and to the task's variables:
// they are resolved once, when the task runs. Controller only.
import { RenderError } from '../errors.js';
import { parseYaml } from '../load/yaml.js';
import { parseKv } from '../load/kv-args.js';
import { resolveVars } from '../vars/resolve.js';
import { VAR_ERRORS } from '../render/var-errors.js';
import { defineModule, type Decision, type PrepareEnv } from './types.js';
import { pickVarsFiles, type VarsDirOptions } from './include-vars-dir.js';

const DIR_ONLY = ['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'];

function parseVarsFile(file: string, text: Buffer | string): Record<string, unknown> {
  const y = parseYaml(file, text.toString());
  if (!y.ok) throw new RenderError(`include_vars ${file}: ${y.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`, file);
  const data = y.value.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new RenderError(`${file} must be stored as a dictionary/hash`, file);
  return data as Record<string, unknown>;
}

/** dir=: the picked files, merged in order (a later file's keys win, shallowly, as dict.update). */
async function prepareDir(args: IncludeVarsArgs, env: PrepareEnv): Promise<IncludeVarsArgs> {
  const dir = args.dir!;
  const tree = env.readControllerTree ? await env.readControllerTree('vars', dir, true) : undefined;
  if (!tree) throw new RenderError(`${dir} directory does not exist`, dir);
  const files = new Map<string, Buffer>();
  for (const e of tree) if (e.kind === 'file') files.set(e.rel, e.bytes);
  const dirs = tree.filter((e) => e.kind === 'dir').map((e) => e.rel);
  const pick = pickVarsFiles([...files.keys()], dirs, args, dir.replace(/\/$/, ''));
  if (!pick.ok) throw new RenderError(pick.msg, dir);
  const data: Record<string, unknown> = {};
  for (const rel of pick.files) Object.assign(data, parseVarsFile(`${dir.replace(/\/$/, '')}/${rel}`, files.get(rel)!));
  return { ...args, _data: data, _files: pick.files.map((rel) => `${dir.replace(/\/$/, '')}/${rel}`) };
}

export interface IncludeVarsArgs extends VarsDirOptions {
  file?: string;
  dir?: string;
  name?: string;
  /** Filled by prepare() for dir=: the files read, in order. */
  _files?: string[];
  /** Filled by prepare(): the file's mapping. Not part of the schema. */
  _data?: Record<string, unknown>;
}

/** `include_vars: x.yml`, `include_vars: file=x.yml name=v`, or the mapping; `_raw_params` is the file. */
export function normalizeIncludeVars(raw: unknown): unknown {
  let a: unknown = raw;
  if (typeof raw === 'string') {
    const kv = parseKv(raw);
    a = kv.ok ? { ...kv.args, ...(kv.rawParams !== undefined ? { _raw_params: kv.rawParams } : {}) } : { file: raw };
  }
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return a;
  const { _raw_params: free, ...rest } = a as Record<string, unknown>;
  return free !== undefined && rest['file'] === undefined ? { file: free, ...rest } : rest;
}

export function decideIncludeVars(a: IncludeVarsArgs, vars: Record<string, unknown>): Decision {
  const data = a._data;
  const src = a.file ?? a.dir ?? '';
  if (!data) return { kind: 'fail', msg: `include_vars ${src} was not read (prepare() did not run)` };
  // The file's own keys see each other and the task's variables; each is rendered once.
  const resolved = resolveVars({ ...vars, ...data }, `vars ${a.dir !== undefined ? 'dir' : 'file'} ${src}`, Object.keys(data));
  const errors = (resolved as { [VAR_ERRORS]?: Record<string, string> })[VAR_ERRORS] ?? {};
  const bad = Object.keys(data).filter((k) => errors[k] !== undefined);
  if (bad.length) return { kind: 'fail', msg: `include_vars ${src}: ${bad.map((k) => `${k}: ${errors[k]}`).join('; ')}` };
  const values = Object.fromEntries(Object.keys(data).map((k) => [k, resolved[k]]));
  const setVars = a.name ? { [a.name]: values } : values;
  const keys = Object.keys(values);
  const from = a._files ?? [src];
  return { kind: 'noop', reason: `set ${keys.length} variable${keys.length === 1 ? '' : 's'} from ${a.dir !== undefined ? `${from.length} file${from.length === 1 ? '' : 's'} of ${src}` : src}`, setVars, result: { ansible_facts: setVars, ansible_included_var_files: from } };
}

export const includeVarsModule = defineModule<IncludeVarsArgs, null>({
  name: 'include_vars',
  controllerOnly: true,
  normalize: normalizeIncludeVars,
  schema: {
    type: 'object',
    additionalProperties: false,
    // Ansible: "You are mixing file only and dir only arguments, these are incompatible"
    oneOf: [
      { required: ['file'], not: { anyOf: DIR_ONLY.map((k) => ({ required: [k] })) } },
      { required: ['dir'], not: { required: ['file'] } },
    ],
    properties: {
      file: { type: 'string', minLength: 1 },
      dir: { type: 'string', minLength: 1 },
      name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      depth: { type: 'integer', minimum: 0 },
      files_matching: { type: 'string' },
      ignore_files: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      extensions: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      ignore_unknown_extensions: { type: 'boolean' },
    },
  },
  async prepare(args, env) {
    if (args.dir !== undefined) return prepareDir(args, env);
    const file = args.file!;
    return { ...args, _data: parseVarsFile(file, await env.readControllerFile('vars', file)) };
  },
  probe: async () => null,
  decide: (args, _probe, ctx) => decideIncludeVars(args, ctx.vars),
});
