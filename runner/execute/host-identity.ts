// Preparing a host for recorded work: its identity (state/identity.ts; hosts presenting one machine get
// none) and the host-side run lock (state/host-lock.ts).
import { hostname } from 'node:os';
import { assertNever } from '../errors.js';
import { takeHostLock } from '../state/host-lock.js';
import { IdentityClaims } from '../state/identity.js';
import { setStatus, type HostRun, type RunContext } from './context.js';

/** machineId: what the host printed for /etc/machine-id (or its hostname); '' if nothing. */
export function assignIdentity(ctx: RunContext, h: HostRun, machineId: string): void {
  const claims = (ctx.identities ??= new IdentityClaims());
  const r = claims.claim({ name: h.name, machineId, hostKey: h.conn?.hostKey, address: `${h.spec.address}:${h.spec.port}` });
  if (r.kind === 'unique') {
    h.identity = r.identity;
    return;
  }
  // Neither host may use or write records: either could be the one that lacks the effect.
  h.identity = undefined;
  for (const other of r.with) {
    const o = ctx.hosts.get(other);
    if (o) o.identity = undefined;
  }
  for (const w of r.warnings) ctx.emit({ kind: 'warning', host: w.host, msg: w.msg });
}

/**
 * Phase one, beside the identity read, on every host at once: a free host-side run lock
 * (state/host-lock.ts) is taken; a busy one is only noted, never waited for here. Waiting while
 * holding other hosts' locks is how two controllers on overlapping hosts deadlock (each holds one
 * host and waits for the other's): waits happen in settleHostLocks, in one global order.
 */
export async function tryLockHost(ctx: RunContext, h: HostRun): Promise<void> {
  if (h.hostLock || !h.conn) return;
  // --check writes nothing on a host, not even the lock file: a plan made beside a real run may be stale, never harmful
  if (ctx.opts.check) {
    h.hostLock = 'unavailable';
    return;
  }
  const r = await lockOnce(ctx, h, 0);
  if (r !== undefined) h.hostLockBusy = r;
}

/**
 * Phase two, once per batch: with no host busy there is nothing to do. Without --state-wait a busy
 * host fails as unreachable, untouched. With it, this run gives back every lock it holds and takes
 * them again one host at a time, in address order, waiting for each: every controller then waits in
 * the same order while holding only locks that come before, so no two wait for each other.
 */
export async function settleHostLocks(ctx: RunContext, hosts: HostRun[]): Promise<void> {
  const busy = hosts.filter((h) => h.hostLockBusy !== undefined && h.status === 'active');
  if (busy.length === 0) return;
  const waitSec = ctx.opts.hostLockWaitSec ?? 0;
  if (waitSec <= 0) {
    for (const h of busy) unreachable(ctx, h, h.hostLockBusy!);
    return;
  }
  const held = [...ctx.hosts.values()].filter((h) => h.hostLock === 'held' && h.status === 'active');
  for (const h of held) {
    h.releaseHostLock?.();
    h.hostLock = undefined;
  }
  const order = [...new Set([...held, ...busy])].sort((x, y) => key(x).localeCompare(key(y)));
  for (const h of order) {
    h.hostLockBusy = undefined;
    const r = await lockOnce(ctx, h, waitSec);
    if (r !== undefined) unreachable(ctx, h, r);
  }
}

const key = (h: HostRun): string => `${h.spec.address}:${String(h.spec.port).padStart(5, '0')}:${h.name}`;

function unreachable(ctx: RunContext, h: HostRun, msg: string): void {
  setStatus(ctx, h, 'unreachable');
  h.tally.unreachable++;
  ctx.emit({ kind: 'host_unreachable', host: h.name, msg: `${h.name}: ${msg}` });
}

/** One attempt, waiting up to waitSec. Undefined when the host is locked (or cannot lock); else why it is busy. */
async function lockOnce(ctx: RunContext, h: HostRun, waitSec: number): Promise<string | undefined> {
  if (!h.conn) return undefined;
  const lock = await takeHostLock(h.conn, {
    waitSec,
    holder: `play run pid ${process.pid} on ${hostname()} since ${new Date().toISOString()}`,
    onWait: (msg) => ctx.emit({ kind: 'warning', host: h.name, msg }),
  });
  switch (lock.kind) {
    case 'held':
      h.hostLock = 'held';
      h.releaseHostLock = lock.release;
      return undefined;
    case 'unavailable':
      h.hostLock = 'unavailable';
      if (h.conn.hold) ctx.emit({ kind: 'warning', host: h.name, msg: `no host-side run lock (${lock.why}): another controller could work on this host at the same time` });
      return undefined;
    case 'busy':
      return lock.msg;
    default:
      return assertNever(lock, 'host lock');
  }
}
