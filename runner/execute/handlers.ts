// Handlers run once per host, in definition order, only where notified; notifications are durable in the state.
import type { PlanPlay } from '../types.js';
import type { HostRun, RunContext } from './context.js';
import { runTaskAcross } from './across.js';

export async function runHandlers(ctx: RunContext, play: PlanPlay, hosts: HostRun[]): Promise<void> {
  for (const handler of play.handlers) {
    if (ctx.interrupted) return;
    const runs = (h: HostRun) => h.status === 'active' || (ctx.opts.forceHandlers === true && h.status === 'failed');
    const targets = hosts.filter((h) => runs(h) && h.notified.has(handler.id));
    if (targets.length === 0) continue;
    // A handler is an action, not a recorded result: it never counts as done before.
    const failed = await runTaskAcross(ctx, play, { ...handler, cache: false }, targets, true);
    for (const h of targets) {
      if (h.status === 'unreachable' || failed.includes(h)) continue;
      h.notified.delete(handler.id);
      if (h.identity && !ctx.opts.check) ctx.state?.handled(h.identity, handler.id);
    }
  }
  await ctx.state?.flush();
}
