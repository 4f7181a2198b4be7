// Where a task's commands go: the host itself, or its delegate_to target, logged in as remote_user
// where the target names no user itself. One connection per target and user for the whole run.
import type { Connection } from '../connection/types.js';
import { connectionSpec } from '../inventory/select.js';
import type { ConnectionSpec, InventoryHost } from '../types.js';
import { InvariantError } from '../errors.js';
import type { HostRun, RunContext } from './context.js';
import { newTally } from './context.js';

/** Names Ansible's implicit localhost answers to: the controller, connection local. */
const LOCALHOST = new Set(['localhost', '127.0.0.1', '::1']);

/** The inventory host a delegate_to names; an unknown name is reached by that name, as in Ansible. */
export function delegateHost(ctx: RunContext, name: string): InventoryHost {
  const known = ctx.inventory.hosts.get(name);
  if (known) return known;
  if (LOCALHOST.has(name)) {
    const local = ctx.inventory.hosts.get('localhost');
    return local ?? { name: 'localhost', groups: [], vars: { ansible_connection: 'local' }, implicit: true };
  }
  return { name, groups: [], vars: {} };
}

const USER_VARS = ['ansible_user', 'ansible_ssh_user', 'ansible_remote_user'];

/**
 * How to reach `target` for a task: its own connection vars, with the remote_user keyword as the login
 * user unless the target's vars name one (variables win over keywords, keywords over -u).
 */
export function targetSpec(ctx: RunContext, target: InventoryHost, remoteUser?: string, connection?: 'local' | 'ssh'): ConnectionSpec {
  const make = ctx.specFor ?? ((h: InventoryHost) => connectionSpec(h));
  const base = ctx.hosts.get(target.name)?.baseSpec ?? make(target);
  const has = (keys: string[]) => keys.some((k) => target.vars[k] !== undefined && target.vars[k] !== null && target.vars[k] !== '');
  const vars = { ...target.vars };
  // the connection keyword, like remote_user, loses to the host's own variable
  const kind = connection !== undefined && !has(['ansible_connection']) ? connection : base.kind;
  if (kind !== base.kind) vars.ansible_connection = kind;
  // a local connection has no login: remote_user changes nothing there
  const user = remoteUser !== undefined && !has(USER_VARS) && kind !== 'local' && base.user !== remoteUser;
  if (user) vars.ansible_user = remoteUser;
  if (kind === base.kind && !user) return base;
  return make({ ...target, vars });
}

export function poolKey(spec: ConnectionSpec): string {
  return JSON.stringify([spec.host, spec.kind, spec.user, spec.address, spec.port]);
}

/** The connection for spec: the host's own when it is the same login, else one kept for the run. */
export async function connectionTo(ctx: RunContext, spec: ConnectionSpec): Promise<Connection> {
  const h = ctx.hosts.get(spec.host);
  if (h?.conn && poolKey(h.spec) === poolKey(spec)) return h.conn;
  ctx.pool ??= new Map();
  const key = poolKey(spec);
  let p = ctx.pool.get(key);
  if (!p) {
    p = ctx.connect(spec);
    ctx.pool.set(key, p);
    // a failed connect is not kept: the next task tries again, as a host's first connect does
    p.catch(() => ctx.pool?.delete(key));
  }
  return p;
}

/** Closes the pooled connections (the hosts' own are closed by the run). */
export async function closePool(ctx: RunContext, closed: ReadonlySet<Connection>): Promise<void> {
  const all = [...(ctx.pool?.values() ?? [])];
  ctx.pool?.clear();
  await Promise.all(all.map((p) => p.then((c) => (closed.has(c) ? undefined : c.close()), () => undefined).catch(() => undefined)));
}

/** A host's run record, made on first use (its spec through the composition root's specFor). */
export function hostRun(ctx: RunContext, name: string): HostRun {
  let h = ctx.hosts.get(name);
  if (!h) {
    const inv = ctx.inventory.hosts.get(name);
    if (!inv) throw new InvariantError(`host ${name} is not in the inventory`);
    const spec = (ctx.specFor ?? connectionSpec)(inv);
    h = { name, spec, baseSpec: spec, facts: {}, factsGathered: false, registered: {}, status: 'active', tally: newTally(), notified: new Set() };
    ctx.hosts.set(name, h);
  }
  return h;
}
