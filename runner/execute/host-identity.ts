// Preparing a host for recorded work: its identity (state/identity.ts; hosts presenting one machine get
// none) and the host-side run lock (state/host-lock.ts).
import { hostname } from 'node:os';
import { assertNever } from '../errors.js';
import { takeHostLock } from '../state/host-lock.js';
import { IdentityClaims } from '../state/identity.js';
import type { HostRun, RunContext } from './context.js';

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
 * Takes the host-side run lock once per host per run (state/host-lock.ts). False when another run holds
 * it past --state-wait: the host is then failed as unreachable, untouched.
 */
export async function lockHost(ctx: RunContext, h: HostRun): Promise<boolean> {
  if (h.hostLock || !h.conn) return true;
  const waitSec = ctx.opts.hostLockWaitSec ?? 0;
  const lock = await takeHostLock(h.conn, {
    waitSec,
    holder: `play run pid ${process.pid} on ${hostname()} since ${new Date().toISOString()}`,
    onWait: (msg) => ctx.emit({ kind: 'warning', host: h.name, msg }),
  });
  switch (lock.kind) {
    case 'held':
      h.hostLock = 'held';
      return true;
    case 'unavailable':
      h.hostLock = 'unavailable';
      if (h.conn.hold) ctx.emit({ kind: 'warning', host: h.name, msg: `no host-side run lock (${lock.why}): another controller could work on this host at the same time` });
      return true;
    case 'busy':
      h.status = 'unreachable';
      h.tally.unreachable++;
      ctx.emit({ kind: 'host_unreachable', host: h.name, msg: `${h.name}: ${lock.msg}` });
      return false;
    default:
      return assertNever(lock, 'host lock');
  }
}
