// add_host: a host joins the run's inventory (for the following plays), through the decision's
// addHosts. Controller only. Every argument besides the name and groups becomes a host variable.
import { defineModule, type AddHost, type Decision } from './types.js';

export type AddHostArgs = Record<string, unknown> & { name: string; groups?: string | string[] };

const NAME_KEYS = ['name', 'host', 'hostname'];
const GROUP_KEYS = ['groups', 'group', 'groupname'];

/** Aliases folded into `name` and `groups`, as Ansible accepts them. */
export function normalizeAddHost(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const a = { ...(raw as Record<string, unknown>) };
  for (const k of NAME_KEYS.slice(1)) if (a[k] !== undefined && a.name === undefined) { a.name = a[k]; delete a[k]; }
  for (const k of GROUP_KEYS.slice(1)) if (a[k] !== undefined && a.groups === undefined) { a.groups = a[k]; delete a[k]; }
  return a;
}

export function groupList(groups: string | string[] | undefined): string[] {
  const list = groups === undefined ? [] : Array.isArray(groups) ? groups : [groups];
  return list.flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
}

export function decideAddHost(a: AddHostArgs): Decision {
  const groups = groupList(a.groups);
  const vars = Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'name' && k !== 'groups'));
  const add: AddHost = { name: a.name, groups, vars };
  return {
    kind: 'change',
    summary: `add host ${a.name}${groups.length ? ` to ${groups.join(', ')}` : ''}`,
    steps: [],
    result: { add_host: { host_name: a.name, groups, host_vars: vars } },
    addHosts: [add],
  };
}

export const addHostModule = defineModule<AddHostArgs, null>({
  name: 'add_host',
  controllerOnly: true,
  normalize: normalizeAddHost,
  definesVars: (raw) => {
    const a = normalizeAddHost(raw);
    return a !== null && typeof a === 'object' ? Object.keys(a).filter((k) => k !== 'name' && k !== 'groups') : [];
  },
  addsToGroups: (raw) => {
    const a = normalizeAddHost(raw) as { groups?: unknown } | null;
    const g = a?.groups;
    return (Array.isArray(g) ? g : [g]).filter((x): x is string => typeof x === 'string');
  },
  schema: {
    type: 'object',
    required: ['name'],
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    properties: {
      name: { type: 'string', minLength: 1 },
      groups: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    },
  },
  probe: async () => null,
  decide: (args) => decideAddHost(args),
});
