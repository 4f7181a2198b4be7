// A decision may carry `addHosts`: each host joins the in-memory inventory for the following plays.
import type { AddHost } from '../modules/types.js';
import type { Inventory } from '../types.js';

export function addHostToInventory(inv: Inventory, add: AddHost): void {
  const groups = ['all', ...(add.groups ?? [])];
  const existing = inv.hosts.get(add.name);
  inv.hosts.set(add.name, {
    name: add.name,
    groups: [...new Set([...(existing?.groups ?? []), ...groups])],
    vars: { ...(existing?.vars ?? {}), ...(add.vars ?? {}) },
    // add_host's vars were rendered from the task's args (and may hold host output): data from now on.
    dataKeys: [...new Set([...(existing?.dataKeys ?? []), ...Object.keys(add.vars ?? {})])],
    src: existing?.src,
  });
  for (const g of groups) {
    const group = inv.groups.get(g) ?? { name: g, hosts: [], children: [], vars: {} };
    if (!group.hosts.includes(add.name)) group.hosts.push(add.name);
    inv.groups.set(g, group);
    const all = inv.groups.get('all');
    if (g !== 'all' && all && !all.children.includes(g)) all.children.push(g);
  }
}
