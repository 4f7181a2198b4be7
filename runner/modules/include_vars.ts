// include_vars: variables from a YAML file on the controller, set on the host from then on (as
// set_fact's are). The file is looked up as Ansible does: the role's vars/, the role, then the
// playbook's (readControllerFile). Its values may refer to each other and to the task's variables:
// they are resolved once, when the task runs. Controller only.
import { RenderError } from '../errors.js';
import { parseYaml } from '../load/yaml.js';
import { parseKv } from '../load/kv-args.js';
import { resolveVars } from '../vars/resolve.js';
import { VAR_ERRORS } from '../render/var-errors.js';
import { defineModule, type Decision } from './types.js';

export interface IncludeVarsArgs {
  file: string;
  name?: string;
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
  if (!data) return { kind: 'fail', msg: `include_vars ${a.file} was not read (prepare() did not run)` };
  // The file's own keys see each other and the task's variables; each is rendered once.
  const resolved = resolveVars({ ...vars, ...data }, `vars file ${a.file}`, Object.keys(data));
  const errors = (resolved as { [VAR_ERRORS]?: Record<string, string> })[VAR_ERRORS] ?? {};
  const bad = Object.keys(data).filter((k) => errors[k] !== undefined);
  if (bad.length) return { kind: 'fail', msg: `include_vars ${a.file}: ${bad.map((k) => `${k}: ${errors[k]}`).join('; ')}` };
  const values = Object.fromEntries(Object.keys(data).map((k) => [k, resolved[k]]));
  const setVars = a.name ? { [a.name]: values } : values;
  const keys = Object.keys(values);
  return { kind: 'noop', reason: `set ${keys.length} variable${keys.length === 1 ? '' : 's'} from ${a.file}`, setVars, result: { ansible_facts: setVars, ansible_included_var_files: [a.file] } };
}

export const includeVarsModule = defineModule<IncludeVarsArgs, null>({
  name: 'include_vars',
  controllerOnly: true,
  normalize: normalizeIncludeVars,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['file'],
    properties: {
      file: { type: 'string', minLength: 1 },
      name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    },
  },
  async prepare(args, env) {
    const text = await env.readControllerFile('vars', args.file);
    const y = parseYaml(args.file, text);
    if (!y.ok) throw new RenderError(`include_vars ${args.file}: ${y.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`, args.file);
    const data = y.value.data ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new RenderError(`include_vars ${args.file}: expected a mapping of variables`, args.file);
    return { ...args, _data: data as Record<string, unknown> };
  },
  probe: async () => null,
  decide: (args, _probe, ctx) => decideIncludeVars(args, ctx.vars),
});
