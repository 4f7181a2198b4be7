// A shared state store (postgres) locks each host before any task runs on it; a host another
// controller holds is left alone and reported, and the other hosts go on.
import { setStatus, type HostRun, type RunContext } from './context.js';
import { mapLimit } from './pool.js';

export async function claimHosts(ctx: RunContext, hosts: HostRun[]): Promise<void> {
  const state = ctx.state;
  if (!state?.claimHost) return;
  await mapLimit(hosts.filter((h) => h.status === 'active' && h.identity), ctx.opts.forks, async (h) => {
    if (await state.claimHost!(h.identity!, h.name)) return;
    setStatus(ctx, h, 'unreachable');
    h.tally.unreachable++;
    ctx.emit({ kind: 'host_unreachable', host: h.name, msg: `${h.name}: busy: another play run holds this host's lock in the state store; left alone (pass --state-wait SECONDS to wait for it)` });
  });
}
