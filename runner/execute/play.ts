// Linear strategy: every active host finishes task N before task N+1 starts; hosts run in parallel up to --forks.
import { assertNever, ConnectionError } from '../errors.js';
import { connectionSpec, selectHosts } from '../inventory/select.js';
import { inShard } from '../inventory/shard.js';
import type { PlanBlock, PlanItem, PlanPlay, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';
import { newTally } from './context.js';
import { conditionsHold } from './conditions.js';
import { FACTS_SCRIPT, factsToVars, parseFacts } from './facts.js';
import { runHandlers } from './handlers.js';
import { claimHosts } from './claim.js';
import { mapLimit } from './pool.js';
import { runTaskAcross } from './across.js';
import { hostTaskVars, where } from './vars.js';
import { assignIdentity, lockHost } from './host-identity.js';

export async function runPlay(ctx: RunContext, play: PlanPlay): Promise<void> {
  const selected = selectHosts(ctx.inventory, play.pattern, ctx.plan.limit);
  const names = inShard(selected.ok ? selected.hosts : play.hosts, ctx.plan.shard);
  ctx.emit({ kind: 'play_start', play: play.name, src: play.src, hosts: names });
  const batches = play.serial ? chunk(names, play.serial) : [names];
  for (const batch of batches) {
    const hosts = batch.map((n) => hostRun(ctx, n));
    await mapLimit(hosts, ctx.opts.forks, (h) => prepareHost(ctx, play, h));
    await claimHosts(ctx, hosts);
    for (const h of hosts) h.notified = new Set(h.identity && ctx.state ? pendingInPlay(ctx, play, h) : []);
    await runItems(ctx, play, play.tasks, active(hosts), false);
    await runHandlers(ctx, play, hosts);
  }
  ctx.emit({ kind: 'play_end', play: play.name });
}

/** Runs items on hosts; returns the hosts that failed (not ignored) within them. */
export async function runItems(ctx: RunContext, play: PlanPlay, items: readonly PlanItem[], hosts: HostRun[], handler: boolean, scope: Vars = {}): Promise<Set<HostRun>> {
  const failedHere = new Set<HostRun>();
  for (const item of items) {
    if (ctx.interrupted) break;
    const live = hosts.filter((h) => h.status === 'active' && !failedHere.has(h));
    if (live.length === 0) break;
    switch (item.kind) {
      case 'task':
        if (item.module === 'meta' || /\.meta$/.test(item.module)) {
          // `meta: flush_handlers` arrives as the string or as the module's parsed args {action}.
          const a = item.args as unknown;
          const action = typeof a === 'string' ? a.trim() : a && typeof a === 'object' ? (a as { action?: unknown }).action : undefined;
          if (action === 'flush_handlers') await runHandlers(ctx, play, live);
          continue;
        }
        if (ctx.confirmTask && !(await ctx.confirmTask(item))) continue;
        for (const h of await runTaskAcross(ctx, play, item, live, handler, scope)) failedHere.add(h);
        break;
      case 'block':
        for (const h of await runBlock(ctx, play, item, live, handler, scope)) failedHere.add(h);
        break;
      default:
        assertNever(item, 'plan item');
    }
  }
  return failedHere;
}

async function runBlock(ctx: RunContext, play: PlanPlay, block: PlanBlock, hosts: HostRun[], handler: boolean, outer: Vars): Promise<Set<HostRun>> {
  const scope = { ...outer, ...block.vars };
  const inBlock = hosts.filter((h) => conditionsHold(block.when, hostTaskVars(ctx, play, h, scope), where(block)));
  const failedInBlock = await runItems(ctx, play, block.block, inBlock, handler, scope);
  let stillFailed = failedInBlock;
  if (block.rescue.length && failedInBlock.size) {
    const rescued = [...failedInBlock];
    for (const h of rescued) if (h.status === 'failed') h.status = 'active';
    stillFailed = await runItems(ctx, play, block.rescue, rescued, handler, scope);
  }
  const alwaysFailed = await runItems(ctx, play, block.always, inBlock.filter((h) => h.status !== 'unreachable'), handler, scope);
  const out = new Set([...stillFailed, ...alwaysFailed]);
  for (const h of out) if (h.status === 'active') h.status = 'failed';
  return out;
}

function pendingInPlay(ctx: RunContext, play: PlanPlay, h: HostRun): string[] {
  const ids = new Set(play.handlers.map((x) => x.id));
  return ctx.state!.pendingHandlers(h.identity!).filter((id) => ids.has(id));
}

function hostRun(ctx: RunContext, name: string): HostRun {
  let h = ctx.hosts.get(name);
  if (!h) {
    const inv = ctx.inventory.hosts.get(name);
    if (!inv) throw new Error(`invariant: host ${name} is not in the inventory`);
    h = { name, spec: (ctx.specFor ?? connectionSpec)(inv), facts: {}, factsGathered: false, registered: {}, status: 'active', tally: newTally(), notified: new Set() };
    ctx.hosts.set(name, h);
  }
  return h;
}

/** Connect once per host for the whole run; learn its identity (and facts when asked) in one exec. */
async function prepareHost(ctx: RunContext, play: PlanPlay, h: HostRun): Promise<void> {
  if (h.status === 'unreachable') return;
  try {
    if (!h.conn) h.conn = await ctx.connect(h.spec);
    const known = h.identity && (h.factsGathered || !play.gatherFacts);
    const script = play.gatherFacts ? FACTS_SCRIPT : 'cat /etc/machine-id 2>/dev/null || hostname';
    // the host lock is taken while the identity is read (a read changes nothing); no task runs before both
    const [locked, r] = await Promise.all([lockHost(ctx, h), known ? undefined : h.conn.exec(script, { timeoutMs: 30_000 })]);
    if (!locked || !r) return;
    if (play.gatherFacts) {
      const facts = parseFacts(r.stdout);
      h.facts = factsToVars(facts);
      h.factsGathered = true;
      assignIdentity(ctx, h, facts.machine_id || facts.hostname);
    } else {
      assignIdentity(ctx, h, r.stdout.trim().split('\n')[0] ?? '');
    }
  } catch (err) {
    const msg = err instanceof ConnectionError ? err.message : `${h.name}: ${(err as Error).message}`;
    h.status = 'unreachable';
    h.tally.unreachable++;
    ctx.emit({ kind: 'host_unreachable', host: h.name, msg });
  }
}

function active(hosts: HostRun[]): HostRun[] {
  return hosts.filter((h) => h.status === 'active');
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
