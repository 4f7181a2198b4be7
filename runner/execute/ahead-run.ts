// The executor's side of pipelining (ahead.ts has the rules): which probes go ahead with a task's
// probe or apply, worked out by rendering the following tasks early, without side effects.
import type { Ahead, Connection } from '../connection/types.js';
import type { PlanItem, PlanPlay, PlanTask } from '../types.js';
import { answeringFirst, carryingFirst, definedInPlay, eligible, firstProbeCommand, warmStreak, type HostAhead } from './ahead.js';
import { conditionsHold } from './conditions.js';
import type { HostRun, RunContext } from './context.js';
import { taskKeywords, type Scope } from './keywords.js';
import { prepareRun, type InvokeIO, type Prepared } from './module-run.js';
import { hostTaskVars, where } from './vars.js';

/** The tasks after this one in its list (from `from` on), whose probes may go ahead. */
export interface NextTask {
  play: PlanPlay;
  items: readonly PlanItem[];
  from: number;
  /** Scope of these tasks (each adds its own vars). */
  scope: Scope;
}

/** At most this many probes go ahead in one batch. */
const MAX_BATCH = 64;

interface Speculated {
  ahead: Ahead;
  /**
   * The run as rendered now, reused when the probe is: an eligible task reads nothing earlier tasks
   * change. Not for a module that reads controller files (copy src, template): a task on the
   * controller may rewrite them meanwhile.
   */
  prepared?: Prepared;
}

/** The first command of task's probe on host, if it may go ahead (ahead.ts says when); never throws. */
async function aheadFor(ctx: RunContext, next: NextTask, task: PlanTask, host: HostRun): Promise<Speculated | undefined> {
  if (ctx.opts.check || !eligible(task, definedInPlay(next.play))) return undefined;
  try {
    const at = where(task);
    const vars = hostTaskVars(ctx, next.play, host, task.vars ? { ...next.scope.vars, ...task.vars } : next.scope.vars, task);
    if (!conditionsHold(task.when, vars, at)) return undefined;
    const kw = taskKeywords({ play: next.play, blocks: next.scope.blocks }, task, vars, host.spec, ctx.opts, at);
    // on the host's own connection, as its login user, for real: anything else probes on its own
    if (kw.check || kw.delegateTo !== undefined || kw.runOnce || kw.environment !== undefined) return undefined;
    if (kw.remoteUser !== undefined && kw.remoteUser !== host.spec.user) return undefined;
    const p = await prepareRun(ctx, task, host, vars, kw);
    if (p.kind !== 'go') return undefined;
    const ahead = await firstProbeCommand(p.mod, p.args, host, { become: kw.become, timeoutMs: p.timeoutMs, vars, diff: kw.diff });
    return ahead && { ahead, prepared: p.mod.prepare ? undefined : p };
  } catch {
    return undefined;
  }
}

/** The probes of the following tasks, up to the first one that may not go ahead (a task skipped or done before sends none). */
async function batchFor(ctx: RunContext, next: NextTask, host: HostRun): Promise<Array<Speculated & { taskId: string }>> {
  const out: Array<Speculated & { taskId: string }> = [];
  for (let i = next.from; i < next.items.length && out.length < MAX_BATCH; i++) {
    const item = next.items[i]!;
    if (item.kind !== 'task' || !eligible(item, definedInPlay(next.play))) break;
    const s = await aheadFor(ctx, next, item, host);
    if (s) out.push({ ...s, taskId: item.id });
  }
  return out;
}

const entry = (taskId: string, s: Speculated): HostAhead => ({ taskId, cmd: s.ahead.cmd, result: s.ahead.result!, valid: false, prepared: s.prepared });

/**
 * What a module run on the host's own connection gets for pipelining: a probe connection answering its
 * first command from what was sent ahead for this task, or (on a warm streak) carrying the probes of the
 * following tasks; and the next task's probe to send with the apply. `wrap` adds become and timeout.
 */
export async function pipelineFor(ctx: RunContext, host: HostRun, pre: HostAhead | undefined, next: NextTask | undefined, wrap: (base: Connection) => Connection): Promise<Pick<InvokeIO, 'probeConn' | 'ahead' | 'sentAhead'>> {
  const conn = host.conn;
  if (!conn) return {};
  const out: Pick<InvokeIO, 'probeConn' | 'ahead' | 'sentAhead'> = {};
  if (pre) out.probeConn = wrap(answeringFirst(conn, pre));
  else if (next && warmStreak(host)) {
    const batch = await batchFor(ctx, next, host);
    if (batch.length) {
      out.probeConn = wrap(carryingFirst(conn, batch.map((b) => b.ahead), () => {
        host.aheads = batch.filter((b) => b.ahead.result).map((b) => entry(b.taskId, b));
      }));
    }
  }
  const t = next?.items[next.from];
  const following = t?.kind === 'task' ? t : undefined;
  if (next && following) {
    let s: Speculated | undefined;
    out.ahead = async () => (s = await aheadFor(ctx, next, following, host))?.ahead;
    out.sentAhead = () => {
      if (s?.ahead.result) (host.aheads ??= []).push(entry(following.id, s));
    };
  }
  return out;
}
