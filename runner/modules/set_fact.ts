// set_fact: set host variables. Controller only; `cacheable` is accepted and ignored.
import { defineModule, type Decision } from './types.js';

export type SetFactArgs = Record<string, unknown>;

export function decideSetFact(a: SetFactArgs): Decision {
  // As Ansible's set_fact (without jinja2_native): a string true/false/yes/no becomes a boolean (`set_fact: ok=yes`).
  const bool = (v: unknown) => (typeof v === 'string' && /^(true|false|yes|no)$/i.test(v) ? /^(true|yes)$/i.test(v) : v);
  const vars = Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'cacheable').map(([k, v]) => [k, bool(v)]));
  const keys = Object.keys(vars);
  if (keys.length === 0) return { kind: 'fail', msg: 'set_fact needs at least one variable' };
  return { kind: 'noop', reason: `set ${keys.length} fact${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}`, setVars: vars, result: { ansible_facts: vars } };
}

export const setFactModule = defineModule<SetFactArgs, null>({
  name: 'set_fact',
  controllerOnly: true,
  definesVars: (raw) => (raw !== null && typeof raw === 'object' ? Object.keys(raw).filter((k) => k !== 'cacheable') : []),
  // Any variable name is allowed, so this schema alone has open properties.
  schema: {
    type: 'object',
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    properties: { cacheable: { type: 'boolean' } },
  },
  probe: async () => null,
  decide: (args) => decideSetFact(args),
});
