// Variable precedence, Ansible-like. Pure.
//
// Lowest to highest; a later layer replaces a top-level key of an earlier one
// (shallow, like Ansible's default hash_behaviour=replace: dicts are not merged):
//   1. roleDefaults  role defaults/main.yml (all roles of the play, in role order)
//   2. hostVars      inventory vars of the host, already merged by buildInventory:
//                    group all < parent groups < child groups < inventory host vars < host_vars/
//                    (group_vars/<g> files merge over the inline vars of group g)
//   3. facts         gathered facts of the host
//   4. playVars      play `vars:` and `vars_files:`
//   5. roleVars      role vars/main.yml and role params
//   6. taskVars      block vars, then task vars (inner block wins)
//   7. registered    `register:` results and `set_fact`
//   8. extraVars     -e / --extra-vars
//   9. magic         inventory_hostname, group_names, groups, play_hosts, hostvars, ...
//                    (set by the runner; like Ansible, they cannot be overridden)
import type { Inventory, Vars } from '../types.js';
import { groupMembers } from '../inventory/select.js';

export interface VarLayers {
  roleDefaults?: Vars;
  hostVars?: Vars;
  facts?: Vars;
  playVars?: Vars;
  roleVars?: Vars;
  taskVars?: Vars;
  registered?: Vars;
  extraVars?: Vars;
  magic?: Vars;
}

export type VarLayer = keyof VarLayers;

/** The layers, lowest precedence first. mergeVars applies them in exactly this order. */
export const VAR_PRECEDENCE: readonly VarLayer[] = [
  'roleDefaults',
  'hostVars',
  'facts',
  'playVars',
  'roleVars',
  'taskVars',
  'registered',
  'extraVars',
  'magic',
];

/**
 * Layers written by the user (playbook, roles, inventory, -e): their strings are templates. The
 * others hold what hosts sent back (facts, register:, set_fact) or what play computes (magic):
 * data, inserted as it is and never parsed (resolve.ts).
 */
export const DECLARED_LAYERS: ReadonlySet<VarLayer> = new Set<VarLayer>(['roleDefaults', 'hostVars', 'playVars', 'roleVars', 'taskVars', 'extraVars']);

export function mergeVars(layers: VarLayers): Vars {
  const out: Vars = {};
  for (const name of VAR_PRECEDENCE) {
    const layer = layers[name];
    if (layer) Object.assign(out, layer);
  }
  return out;
}

/** Which layer a variable's value comes from, for `play --explain`-style messages and tests. */
export function varSource(layers: VarLayers, key: string): VarLayer | undefined {
  let found: VarLayer | undefined;
  for (const name of VAR_PRECEDENCE) if (layers[name] && Object.hasOwn(layers[name]!, key)) found = name;
  return found;
}

/**
 * Magic variables for `host` in a play over `playHosts`. `perHost` adds, per host name, what
 * hostvars should show beyond inventory vars (facts, set_fact, registered results).
 *
 * `groups` and `hostvars` are live views, read when a template reads them: built eagerly they cost
 * O(hosts) for every task on every host, which made a run quadratic in its hosts.
 */
export function magicVars(inv: Inventory, host: string, playHosts: string[], perHost: Record<string, Vars> | ((name: string) => Vars | undefined) = {}): Vars {
  const h = inv.hosts.get(host);
  const extra = typeof perHost === 'function' ? perHost : (name: string) => perHost[name];
  const hosts = frozenCopy(playHosts);
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0] ?? host,
    group_names: groupNames(h?.groups ?? []),
    groups: liveRecord(() => inv.groups.keys(), (g) => (inv.groups.has(g) ? groupMembers(inv, g) : undefined)),
    play_hosts: hosts,
    ansible_play_hosts: hosts,
    hostvars: liveRecord(() => inv.hosts.keys(), (name) => {
      const ih = inv.hosts.get(name);
      return ih ? { ...ih.vars, ...(extra(name) ?? {}), inventory_hostname: name, group_names: groupNames(ih.groups) } : undefined;
    }),
  };
}

const copies = new WeakMap<string[], readonly string[]>();

/** One frozen copy per play host list: templates see the same list, and cannot change the play's. */
function frozenCopy(xs: string[]): readonly string[] {
  let c = copies.get(xs);
  if (!c || c.length !== xs.length) copies.set(xs, (c = Object.freeze([...xs])));
  return c;
}

/** A read-only record whose keys and values are computed when read (a Proxy over live data). */
function liveRecord<T>(keys: () => Iterable<string>, value: (k: string) => T | undefined): Record<string, T> {
  const has = (k: string | symbol) => typeof k === 'string' && value(k) !== undefined;
  return new Proxy({} as Record<string, T>, {
    get: (_t, k) => (typeof k === 'string' ? value(k) : undefined),
    has: (_t, k) => has(k),
    ownKeys: () => [...keys()],
    getOwnPropertyDescriptor: (_t, k) => {
      const v = typeof k === 'string' ? value(k) : undefined;
      return v === undefined ? undefined : { value: v, enumerable: true, configurable: true, writable: false };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/** Ansible's group_names: the host's groups without `all`, sorted. */
function groupNames(groups: string[]): string[] {
  return groups.filter((g) => g !== 'all').sort();
}
