// Inventory documents (one per source, YAML or INI shaped alike) -> one resolved Inventory. Pure: the
// loader hands in the parsed documents plus group_vars/ and host_vars/ contents; sources merge in
// order, as Ansible's repeated -i does (a group declared twice gets both bodies; later values win).
//
// Host variable precedence, lowest first (later wins, shallow per top-level key), as ansible-core's
// VariableManager (docs/variables.md):
//   1. inline group vars of the sources: `all`, then the other groups in group order (shallowest
//      first; same depth: ansible_group_priority, default 1, then name)
//   2. group_vars/all of each source, in source order, then the playbook's group_vars/all
//   3. group_vars/<group> of each source (groups in group order), then the playbook's
//   4. inline host vars (several declarations merge, later wins)
//   5. host_vars/<host> of each source, then the playbook's host_vars/<host>
import { hostNameProblem } from './host-name.js';
import type { Diagnostic, Inventory, InventoryGroup, InventoryHost, RawInventory, SourcePos, Vars, VarsLayer } from '../types.js';
import { expandHostRange } from './host-range.js';

export type BuildInventoryResult = { ok: true; inventory: Inventory } | { ok: false; diagnostics: Diagnostic[] };

interface Acc {
  groups: Map<string, InventoryGroup>;
  hostOrder: string[];
  hostInline: Map<string, Vars>;
  /** Groups named inside another group's children (they are not direct children of `all`). */
  nested: Set<string>;
  diagnostics: Diagnostic[];
}

const isMap = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const SSH_LIKE = new Set(['ssh', 'smart', 'paramiko', 'local']);

/** `adjacent`: group_vars/ and host_vars/ next to the playbook, over the sources' own. */
export function buildInventory(source: RawInventory | readonly RawInventory[], adjacent?: VarsLayer): BuildInventoryResult {
  const raws: readonly RawInventory[] = Array.isArray(source) ? source : [source as RawInventory];
  const acc: Acc = { groups: new Map(), hostOrder: [], hostInline: new Map(), nested: new Set(), diagnostics: [] };
  const file = raws.map((r) => r.file).join(', ') || '(no inventory)';
  const hostPos: Record<string, SourcePos> = {};
  for (const r of raws) for (const [h, p] of Object.entries(r.hostPos)) hostPos[h] ??= p;
  const fileStart: SourcePos = { file: raws[0]?.file ?? file, line: 1, col: 1 };
  const posOf = (host?: string): SourcePos => (host && hostPos[host]) || fileStart;
  const diag = (pos: SourcePos, message: string) => acc.diagnostics.push({ ...pos, message });

  ensureGroup(acc, 'all');
  const topLevel: string[] = [];
  for (const raw of raws) {
    const data = raw.data ?? {};
    if (!isMap(data)) {
      diag({ file: raw.file, line: 1, col: 1 }, 'inventory must be a mapping of groups, e.g. {all: {hosts: {...}}}');
      continue;
    }
    for (const [name, body] of Object.entries(data)) {
      readGroup(acc, name, body, [], raw.file);
      addUnique(topLevel, name);
    }
  }
  // As Ansible's reconcile step: a group with no other parent is a child of `all`.
  for (const name of topLevel) if (name !== 'all' && !acc.nested.has(name)) addUnique(ensureGroup(acc, 'all').children, name);
  if (acc.diagnostics.length) return { ok: false, diagnostics: acc.diagnostics };
  // Hosts that are in no group besides `all` go to `ungrouped`, as in Ansible.
  const ungrouped = ensureGroup(acc, 'ungrouped');
  addUnique(acc.groups.get('all')!.children, 'ungrouped');
  const before = directGroups(acc);
  for (const h of acc.hostOrder) {
    const gs = before.get(h) ?? [];
    if (gs.every((g) => g === 'all' || g === 'ungrouped')) addUnique(ungrouped.hosts, h);
  }
  const direct = directGroups(acc);
  // `all` lists every host, in inventory order, like Ansible's groups['all'].
  acc.groups.get('all')!.hosts = [...acc.hostOrder];

  const layers: VarsLayer[] = [...raws, ...(adjacent ? [adjacent] : [])];
  const inline = new Map([...acc.groups].map(([g, v]) => [g, v.vars]));
  // A group's own vars, as shown for the group: inline, then its group_vars/ files.
  for (const layer of layers) {
    for (const [g, vars] of Object.entries(layer.groupVars)) {
      const group = acc.groups.get(g);
      if (group) group.vars = { ...group.vars, ...vars };
    }
  }

  // Checked first: a chain past the limit is refused before the walks below (which it would slow down).
  const deep = tooDeepGroup(acc.groups);
  if (deep) {
    diag(raws.map((r) => r.groupPos?.[deep.group]).find(Boolean) ?? posOf(acc.groups.get(deep.group)?.hosts[0]), `groups nest more than ${MAX_GROUP_DEPTH} levels deep (all -> ${deep.path.join(' -> ')})`);
    return { ok: false, diagnostics: acc.diagnostics };
  }
  const cyclic = findCycles(acc.groups);
  for (const g of cyclic) {
    const firstHost = acc.groups.get(g)!.hosts[0];
    diag(posOf(firstHost), `group '${g}' is its own ancestor (cycle in children)`);
  }
  const depth = groupDepths(acc.groups, cyclic);
  const parents = parentMap(acc.groups);

  const hosts = new Map<string, InventoryHost>();
  for (const name of acc.hostOrder) {
    const groups = ancestorsOf(direct.get(name) ?? [], parents);
    groups.add('all');
    const ordered = sortGroups([...groups], depth, acc.groups);
    let vars: Vars = {};
    for (const g of ordered) vars = { ...vars, ...inline.get(g) };
    for (const l of layers) vars = { ...vars, ...l.groupVars['all'] };
    for (const l of layers) for (const g of ordered) if (g !== 'all') vars = { ...vars, ...l.groupVars[g] };
    vars = { ...vars, ...(acc.hostInline.get(name) ?? {}) };
    for (const l of layers) vars = { ...vars, ...l.hostVars[name] };
    const host: InventoryHost = { name, groups: ordered, vars };
    if (hostPos[name]) host.src = hostPos[name];
    hosts.set(name, host);
  }

  checkHosts(hosts, posOf, diag);
  if (acc.diagnostics.length) return { ok: false, diagnostics: acc.diagnostics };
  return { ok: true, inventory: { file, hosts, groups: acc.groups } };
}

function ensureGroup(acc: Acc, name: string): InventoryGroup {
  let g = acc.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], vars: {} };
    acc.groups.set(name, g);
  }
  return g;
}

function addUnique(list: string[], x: string): void {
  if (!list.includes(x)) list.push(x);
}

/** Walks one group body; a group may be declared under several parents, bodies merge. */
function readGroup(acc: Acc, name: string, body: unknown, stack: string[], file: string): void {
  const group = ensureGroup(acc, name);
  if (body === null || body === undefined) return;
  const at = { file, line: 1, col: 1 };
  if (!isMap(body)) {
    acc.diagnostics.push({ ...at, message: `group '${name}' must be a mapping with hosts, children or vars` });
    return;
  }
  if (stack.includes(name)) return; // a literal nesting cycle; findCycles reports it
  const { hosts, children, vars } = body;
  if (isMap(vars)) group.vars = { ...group.vars, ...vars };
  else if (vars !== undefined && vars !== null) acc.diagnostics.push({ ...at, message: `vars of group '${name}' must be a mapping` });
  if (isMap(hosts)) {
    for (const [pattern, hv] of Object.entries(hosts)) {
      const expanded = expandHostRange(pattern);
      if (!expanded.ok) {
        acc.diagnostics.push({ ...at, message: `group '${name}': ${expanded.message}` });
        continue;
      }
      for (const h of expanded.hosts) addHost(acc, group, name, h, hv, at);
    }
  } else if (hosts !== undefined && hosts !== null) {
    acc.diagnostics.push({ ...at, message: `hosts of group '${name}' must be a mapping of host names` });
  }
  if (isMap(children)) {
    for (const [c, cb] of Object.entries(children)) {
      addUnique(group.children, c);
      acc.nested.add(c);
      readGroup(acc, c, cb, [...stack, name], file);
    }
  } else if (children !== undefined && children !== null) {
    acc.diagnostics.push({ ...at, message: `children of group '${name}' must be a mapping of group names` });
  }
}

function addHost(acc: Acc, group: InventoryGroup, name: string, h: string, hv: unknown, at: SourcePos): void {
  addUnique(group.hosts, h);
  if (!acc.hostInline.has(h)) {
    acc.hostOrder.push(h);
    acc.hostInline.set(h, {});
  }
  if (isMap(hv)) acc.hostInline.set(h, { ...acc.hostInline.get(h)!, ...hv });
  else if (hv !== null && hv !== undefined) acc.diagnostics.push({ ...at, message: `host '${h}' in group '${name}' must map to its vars or be empty` });
}

function directGroups(acc: Acc): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of acc.groups.values()) for (const h of g.hosts) out.set(h, [...(out.get(h) ?? []), g.name]);
  return out;
}

function parentMap(groups: Map<string, InventoryGroup>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of groups.values()) for (const c of g.children) out.set(c, [...(out.get(c) ?? []), g.name]);
  return out;
}

function ancestorsOf(start: string[], parents: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const g = todo.pop()!;
    if (seen.has(g)) continue;
    seen.add(g);
    todo.push(...(parents.get(g) ?? []));
  }
  return seen;
}

/** Groups that can reach themselves through `children`. */
function findCycles(groups: Map<string, InventoryGroup>): string[] {
  const out: string[] = [];
  for (const g of groups.keys()) {
    const seen = new Set<string>();
    const todo = [...(groups.get(g)?.children ?? [])];
    while (todo.length) {
      const c = todo.pop()!;
      if (c === g) {
        out.push(g);
        break;
      }
      if (seen.has(c)) continue;
      seen.add(c);
      todo.push(...(groups.get(c)?.children ?? []));
    }
  }
  return out;
}

/** Groups may nest this deep below `all` (docs/templating.md, "Limits"). */
export const MAX_GROUP_DEPTH = 100;

/**
 * The first group found deeper than MAX_GROUP_DEPTH below `all`, with an abbreviated path. Iterative;
 * each entry links to its parent entry (no path copies), and a group is walked again only when
 * reached by a longer path, so the work is bounded by the limit times the number of edges.
 */
function tooDeepGroup(groups: Map<string, InventoryGroup>): { group: string; path: string[] } | undefined {
  interface Entry { g: string; depth: number; up?: Entry }
  const best = new Map<string, number>();
  const onPath = (e: Entry | undefined, g: string): boolean => {
    for (let x = e; x; x = x.up) if (x.g === g) return true;
    return false;
  };
  const todo: Entry[] = [{ g: 'all', depth: 0 }];
  while (todo.length) {
    const e = todo.pop()!;
    if ((best.get(e.g) ?? -1) >= e.depth) continue;
    best.set(e.g, e.depth);
    if (e.depth > MAX_GROUP_DEPTH) {
      const path: string[] = [];
      for (let x: Entry | undefined = e; x && x.g !== 'all'; x = x.up) path.unshift(x.g);
      return { group: e.g, path: [...path.slice(0, 3), '...', ...path.slice(-2)] };
    }
    for (const c of groups.get(e.g)?.children ?? []) if (c !== 'all' && !onPath(e, c)) todo.push({ g: c, depth: e.depth + 1, up: e });
  }
  return undefined;
}

/** Depth = longest path from `all` (all = 0). Cyclic groups are left out of the walk. Iterative: chains are long. */
function groupDepths(groups: Map<string, InventoryGroup>, cyclic: string[]): Map<string, number> {
  const skip = new Set(cyclic);
  const depth = new Map<string, number>();
  const todo: Array<[string, number]> = [['all', 0]];
  while (todo.length) {
    const [g, d] = todo.pop()!;
    if ((depth.get(g) ?? -1) >= d) continue;
    depth.set(g, d);
    if (skip.has(g)) continue;
    for (const c of groups.get(g)?.children ?? []) todo.push([c, d + 1]);
  }
  for (const g of groups.keys()) if (!depth.has(g)) depth.set(g, 1);
  return depth;
}

function priority(g: InventoryGroup | undefined): number {
  const p = Number(g?.vars['ansible_group_priority'] ?? 1);
  return Number.isFinite(p) ? p : 1;
}

/** Ansible's order for merging group vars: depth, then priority, then name. */
export function sortGroups(names: string[], depth: Map<string, number>, groups: Map<string, InventoryGroup>): string[] {
  return [...names].sort((a, b) => {
    const d = (depth.get(a) ?? 0) - (depth.get(b) ?? 0);
    if (d) return d;
    const p = priority(groups.get(a)) - priority(groups.get(b));
    if (p) return p;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Port range, connection kind and address:port clashes. Template values are left to run time. */
function checkHosts(hosts: Map<string, InventoryHost>, posOf: (h: string) => SourcePos, diag: (p: SourcePos, m: string) => void): void {
  const seen = new Map<string, string>();
  for (const h of hosts.values()) {
    const badName = hostNameProblem(h.name);
    if (badName) diag(posOf(h.name), badName);
    const v = h.vars;
    const rawPort = v['ansible_port'] ?? v['ansible_ssh_port'];
    let port = 22;
    if (rawPort !== undefined && !isTemplate(rawPort)) {
      const n = typeof rawPort === 'string' && /^\s*\d+\s*$/.test(rawPort) ? Number(rawPort) : rawPort;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
        diag(posOf(h.name), `host '${h.name}': ansible_port must be an integer from 1 to 65535, got ${JSON.stringify(rawPort)}`);
      } else port = n;
    }
    const conn = v['ansible_connection'];
    if (conn !== undefined && !isTemplate(conn) && !(typeof conn === 'string' && SSH_LIKE.has(conn))) {
      diag(posOf(h.name), `host '${h.name}': ansible_connection ${JSON.stringify(conn)} is not supported (use ssh or local)`);
    }
    const addr = v['ansible_host'] ?? v['ansible_ssh_host'] ?? h.name;
    const local = conn === 'local' || (h.name === 'localhost' && v['ansible_host'] === undefined);
    if (local || isTemplate(addr)) continue;
    const key = `${String(addr)}:${port}`;
    const other = seen.get(key);
    if (other) diag(posOf(h.name), `host '${h.name}': address ${key} also used by '${other}'`);
    else seen.set(key, h.name);
  }
}

function isTemplate(x: unknown): boolean {
  return typeof x === 'string' && x.includes('{{');
}
