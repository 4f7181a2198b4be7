// Linear strategy: every active host finishes task N before task N+1 starts; hosts run in parallel up to --forks.
import { assertNever, ConnectionError, RenderError } from '../errors.js';
import { asUnknown, unknownSummary, UnknownValueError } from '../predict/unknown.js';
import { selectHosts } from '../inventory/select.js';
import { inShard } from '../inventory/shard.js';
import { getModule } from '../modules/registry.js';
import type { FlowControl } from '../modules/types.js';
import type { PlanBlock, PlanItem, PlanPlay, PlanTask, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';
import { conditionsHold } from './conditions.js';
import { taskFailure } from './failure.js';
import { FACTS_SCRIPT, factsToVars, parseFacts } from './facts.js';
import { runHandlers } from './handlers.js';
import { claimHosts } from './claim.js';
import { mapLimit } from './pool.js';
import { runTaskAcross } from './across.js';
import { hostTaskVars, where } from './vars.js';
import { connectionOf, ROOT_SCOPE, type Scope } from './keywords.js';
import { batchesOf } from './serial.js';
import { withPromptAnswers } from './prompts.js';
import { connectionTo, hostRun, poolKey, targetSpec } from './conns.js';
import { renderValue } from '../render/template.js';
import { assignIdentity, settleHostLocks, tryLockHost } from './host-identity.js';
import { runInclude } from './include.js';

export async function runPlay(ctx: RunContext, written: PlanPlay): Promise<void> {
  const play = await withPromptAnswers(ctx, written, ctx.askVar);
  const selected = selectHosts(ctx.inventory, play.pattern, ctx.plan.limit);
  const names = inShard(selected.ok ? selected.hosts : play.hosts, ctx.plan.shard);
  ctx.emit({ kind: 'play_start', play: play.name, src: play.src, hosts: names });
  if (names.length === 0) {
    // The compiler decided (noMatch); a group filled at run time that stayed empty is said here.
    const unfilled = !play.noMatch && !selectHosts(ctx.inventory, play.pattern).ok;
    const msg = play.noMatch ?? (unfilled ? `${play.src.file}:${play.src.line}: hosts: no host was added to '${play.pattern}' by an earlier play; skipping the play` : undefined);
    if (msg) ctx.emit({ kind: 'warning', msg });
  }
  const batches = serialBatches(ctx, play, ordered(names, play.order));
  for (const batch of batches) {
    if (ctx.interrupted) break;
    const hosts = batch.map((n) => hostRun(ctx, n));
    ctx.playRun = { all: names, batch };
    await mapLimit(hosts, ctx.opts.forks, (h) => prepareHost(ctx, play, h));
    await settleHostLocks(ctx, hosts);
    await claimHosts(ctx, hosts);
    for (const h of hosts) h.notified = new Set(h.identity && ctx.state ? pendingInPlay(ctx, play, h) : []);
    const starting = active(hosts);
    ctx.playRun.startedActive = new Set(starting.map((h) => h.name));
    await runItems(ctx, play, play.tasks, starting, false);
    await runHandlers(ctx, play, hosts);
    // As Ansible: when every host of a batch failed in it, the play ends, and so does the playbook (a host
    // that failed in an earlier play is in the batch but not among its failures: then it goes on)
    if (starting.length === hosts.length && starting.length && starting.every((h) => h.status !== 'active')) {
      ctx.breakPlay = true;
      break;
    }
  }
  ctx.playRun = undefined;
  ctx.emit({ kind: 'play_end', play: play.name });
}

/** The play's `order` (Ansible's names); inventory order by default. */
function ordered(names: string[], order: PlanPlay['order']): string[] {
  switch (order) {
    case undefined:
    case 'inventory':
      return names;
    case 'reverse_inventory':
      return [...names].reverse();
    case 'sorted':
      return [...names].sort();
    case 'reverse_sorted':
      return [...names].sort().reverse();
    case 'shuffle': {
      const out = [...names];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    }
    default:
      return assertNever(order, 'play order');
  }
}

/** serial as batches of host names; a bad serial fails every host of the play (the boundary). */
function serialBatches(ctx: RunContext, play: PlanPlay, names: string[]): string[][] {
  if (play.serial === undefined || names.length === 0) return [names];
  try {
    const at = `play '${play.name}' (${play.src.file}:${play.src.line})`;
    return batchesOf(names, renderValue(play.serial, { ...play.roleDefaults, ...play.vars, ...ctx.plan.extraVars }, `${at}: serial`), at);
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    const fake = { id: `${play.src.file}:${play.src.line}/serial`, name: 'serial', src: play.src } as PlanBlock;
    reportBlockFailures(ctx, fake, new Map(names.map((n) => [hostRun(ctx, n), err.message])));
    return [];
  }
}

/** Runs items on hosts; returns the hosts that failed (not ignored) within them. */
export async function runItems(ctx: RunContext, play: PlanPlay, items: readonly PlanItem[], hosts: HostRun[], handler: boolean, scope: Scope = ROOT_SCOPE): Promise<Set<HostRun>> {
  const failedHere = new Set<HostRun>();
  for (const [index, item] of items.entries()) {
    if (ctx.interrupted) break;
    const live = hosts.filter((h) => h.status === 'active' && !failedHere.has(h));
    if (live.length === 0) break;
    switch (item.kind) {
      case 'task': {
        const flow = flowOf(item);
        if (flow) {
          await runFlow(ctx, play, flow, live);
          continue;
        }
        if (ctx.confirmTask && !(await ctx.confirmTask(item))) continue;
        const after = items[index + 1];
        const next = !handler && after?.kind === 'task' && !flowOf(after) ? { play, items, from: index + 1, scope } : undefined;
        for (const h of await runTaskAcross(ctx, play, item, live, handler, scope, next)) failedHere.add(h);
        break;
      }
      case 'block':
        for (const h of await runBlock(ctx, play, item, live, handler, scope)) failedHere.add(h);
        break;
      default:
        assertNever(item, 'plan item');
    }
  }
  return failedHere;
}

/** The flow control a task asks for (meta), read from its written args: such a task runs no module. */
function flowOf(task: PlanTask): FlowControl | undefined {
  const mod = getModule(task.module);
  if (!mod?.flow) return undefined;
  return mod.flow(mod.normalize ? mod.normalize(task.args) : task.args);
}

async function runFlow(ctx: RunContext, play: PlanPlay, flow: FlowControl, hosts: HostRun[]): Promise<void> {
  switch (flow.kind) {
    case 'flush_handlers':
      await runHandlers(ctx, play, hosts);
      return;
    case 'noop':
      return;
    default:
      assertNever(flow, 'flow control');
  }
}

async function runBlock(ctx: RunContext, play: PlanPlay, block: PlanBlock, hosts: HostRun[], handler: boolean, outer: Scope): Promise<Set<HostRun>> {
  if (block.include && (block.include.loop !== undefined || block.include.templated || block.includeErrors)) return runInclude(ctx, play, block, hosts, handler, outer, runItems, reportBlockFailures);
  const vars = { ...outer.vars, ...block.vars };
  const blocks = [...outer.blocks, block];
  const scope = (section: Scope['section']): Scope => ({ vars, blocks, section, rescuable: section === 'block' ? block.rescue.length > 0 || outer.rescuable : outer.rescuable });
  const inBlock: HostRun[] = [];
  const failures = new Map<HostRun, string>();
  const unknowns = new Map<HostRun, UnknownValueError>();
  for (const h of hosts) {
    const holds = blockCondition(block, h, () => hostTaskVars(ctx, play, h, vars, block));
    if (typeof holds === 'string') failures.set(h, holds);
    else if (holds instanceof UnknownValueError) unknowns.set(h, holds);
    else if (holds) inBlock.push(h);
  }
  reportBlockUnknowns(ctx, block, unknowns);
  const failedHere = reportBlockFailures(ctx, block, failures);
  if (inBlock.length === 0) return failedHere;
  const failedInBlock = await runItems(ctx, play, block.block, inBlock, handler, scope('block'));
  let stillFailed = failedInBlock;
  if (block.rescue.length && failedInBlock.size) {
    const rescued = [...failedInBlock];
    for (const h of rescued) {
      if (h.status !== 'failed') continue;
      // As in Ansible: a failure that a rescue takes over counts as rescued, not failed.
      h.status = 'active';
      h.tally.failed--;
      h.tally.rescued++;
    }
    stillFailed = await runItems(ctx, play, block.rescue, rescued, handler, scope('rescue'));
  }
  // always runs on hosts that failed in the block too (as in Ansible); they stay failed after it.
  const failedBefore = inBlock.filter((h) => h.status === 'failed');
  for (const h of failedBefore) h.status = 'active';
  const alwaysFailed = await runItems(ctx, play, block.always, inBlock.filter((h) => h.status === 'active'), handler, scope('always'));
  for (const h of failedBefore) if (h.status === 'active') stillFailed.add(h);
  const out = new Set([...failedHere, ...stillFailed, ...alwaysFailed]);
  for (const h of out) if (h.status === 'active') h.status = 'failed';
  return out;
}

/**
 * A block's `when` on one host, or the failure message where it cannot be evaluated there (the
 * boundary), or under --check the read of a value only a real run would produce.
 */
function blockCondition(block: PlanBlock, h: HostRun, vars: () => Vars): boolean | string | UnknownValueError {
  try {
    return conditionsHold(block.when, vars(), where(block));
  } catch (err) {
    const unknown = asUnknown(err);
    if (unknown) return unknown;
    const f = taskFailure(err, { host: h.name, task: block, loginUser: h.spec.user, become: null });
    if (f.kind !== 'failed') throw err;
    return f.msg;
  }
}

function reportBlockFailures(ctx: RunContext, block: PlanBlock, failures: Map<HostRun, string>): Set<HostRun> {
  if (failures.size === 0) return new Set();
  ctx.emit({ kind: 'task_start', taskId: block.id, name: block.name, role: block.role, src: block.src, hosts: [...failures.keys()].map((h) => h.name), handler: false });
  for (const [h, msg] of failures) {
    h.status = 'failed';
    h.tally.failed++;
    ctx.emit({ kind: 'host_result', taskId: block.id, task: block.name, host: h.name, outcome: { status: 'failed', msg }, ms: 0 });
  }
  ctx.emit({ kind: 'task_end', taskId: block.id });
  return new Set(failures.keys());
}

/** --check: hosts where the block's `when` is unknown; the block is not planned there, nor failed. */
function reportBlockUnknowns(ctx: RunContext, block: PlanBlock, unknowns: Map<HostRun, UnknownValueError>): void {
  if (unknowns.size === 0) return;
  ctx.emit({ kind: 'task_start', taskId: block.id, name: block.name, role: block.role, src: block.src, hosts: [...unknowns.keys()].map((h) => h.name), handler: false });
  for (const [h, u] of unknowns) {
    h.tally.unknown++;
    ctx.emit({ kind: 'host_result', taskId: block.id, task: block.name, host: h.name, outcome: { status: 'unknown', summary: unknownSummary(u.dependsOn, `reads ${u.what}`), dependsOn: u.dependsOn }, ms: 0 });
  }
  ctx.emit({ kind: 'task_end', taskId: block.id });
}

function pendingInPlay(ctx: RunContext, play: PlanPlay, h: HostRun): string[] {
  const ids = new Set(play.handlers.map((x) => x.id));
  return ctx.state!.pendingHandlers(h.identity!).filter((id) => ids.has(id));
}

/** Connect once per host and login user for the whole run; learn its identity (and facts when asked) in one exec. */
async function prepareHost(ctx: RunContext, play: PlanPlay, h: HostRun): Promise<void> {
  if (h.status === 'unreachable') return;
  try {
    usePlaySpec(ctx, play, h);
    if (!h.conn) h.conn = await connectionTo(ctx, h.spec);
    const known = h.identity && (h.factsGathered || !play.gatherFacts);
    const script = play.gatherFacts ? FACTS_SCRIPT : 'cat /etc/machine-id 2>/dev/null || hostname';
    // a free host lock is taken while the identity is read (a read changes nothing); a busy one is
    // settled for the whole batch before any task runs (settleHostLocks)
    const [, r] = await Promise.all([tryLockHost(ctx, h), known ? undefined : h.conn.exec(script, { timeoutMs: 30_000 })]);
    if (!r) return;
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

/**
 * The play's remote_user (rendered with the host's vars) decides how the host is reached in this
 * play: `h.spec` and `h.conn` follow it; the connection of another login stays in the pool.
 */
function usePlaySpec(ctx: RunContext, play: PlanPlay, h: HostRun): void {
  const inv = ctx.inventory.hosts.get(h.name);
  const at = `play '${play.name}' (${play.src.file}:${play.src.line})`;
  h.baseSpec ??= h.spec;
  const rendered = (key: 'remote_user' | 'connection'): string | undefined => {
    const written = play.keywords?.[key];
    if (written === undefined || !inv) return undefined;
    const v = renderValue(written, hostTaskVars(ctx, play, h), `${at}: ${key}`);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const spec = inv ? targetSpec(ctx, inv, rendered('remote_user'), connectionOf(rendered('connection'), at)) : h.baseSpec;
  if (poolKey(spec) === poolKey(h.spec)) return;
  if (h.conn) {
    ctx.pool ??= new Map();
    ctx.pool.set(poolKey(h.spec), Promise.resolve(h.conn));
  }
  h.spec = spec;
  h.conn = undefined;
}
