// A dynamic include (include_tasks / include_role) that loops or has a templated file name: per
// host, its loop's items (its `when` is evaluated per item, as in Ansible) and, for a templated
// name, the candidate block (loaded beforehand, PlanBlock.includeFile) the name renders to. Hosts
// that include the same file with the same item run it together, in item order.
import * as path from 'node:path';
import { dirname, resolve } from 'node:path';
import { RenderError } from '../errors.js';
import { expandLoop, LoopError, loopItemVars } from '../load/loops.js';
import { renderValue } from '../render/template.js';
import type { PlanBlock, PlanItem, PlanPlay, Vars } from '../types.js';
import type { HostRun, RunContext } from './context.js';
import { conditionsHold } from './conditions.js';
import { taskFailure } from './failure.js';
import { localLoopFs } from './loop-fs.js';
import { hostTaskVars, where } from './vars.js';
import type { Scope } from './keywords.js';

type RunItems = (ctx: RunContext, play: PlanPlay, items: readonly PlanItem[], hosts: HostRun[], handler: boolean, scope: Scope) => Promise<Set<HostRun>>;
type Report = (ctx: RunContext, block: PlanBlock, failures: Map<HostRun, string>) => Set<HostRun>;

interface Pass {
  items: readonly PlanItem[];
  extra: Vars;
  key: string;
}

const isUndefinedError = (err: unknown): boolean =>
  (err instanceof RenderError || err instanceof LoopError) && /undefined variable|is undefined|has no attribute/.test(err.message);

/** The candidate a rendered name stands for, resolved as the loader resolved it. */
function pick(block: PlanBlock, rendered: string): PlanBlock {
  const inc = block.include!;
  const targets = path.isAbsolute(rendered) ? [path.resolve(rendered)] : inc.dirs.map((d) => path.resolve(d, rendered));
  const found = block.block.find((c): c is PlanBlock => c.kind === 'block' && c.includeFile !== undefined && targets.includes(c.includeFile));
  if (found?.includeErrors) throw new RenderError(`${inc.action}: ${path.basename(found.includeFile!)} does not load: ${found.includeErrors.join('; ')}`, where(block));
  if (found) return found;
  const loaded = block.block.map((c) => (c.kind === 'block' && c.includeFile ? path.basename(c.includeFile) : '?')).join(', ');
  throw new RenderError(`${inc.action}: '${rendered}' is none of the files loaded for '${inc.file}' (${loaded})`, where(block));
}

function passesOf(ctx: RunContext, play: PlanPlay, block: PlanBlock, h: HostRun, scope: Vars): Pass[] {
  const inc = block.include!;
  const at = where(block);
  const vars = hostTaskVars(ctx, play, h, scope, block);
  let items: unknown[] = [undefined];
  if (inc.loop !== undefined) {
    try {
      const task = { loop: inc.loop, loopWith: inc.loopWith, module: inc.action, baseDir: block.baseDir, playbookDir: resolve(dirname(ctx.plan.playbook)) };
      items = expandLoop(task, (v) => renderValue(v, vars, at), localLoopFs);
    } catch (err) {
      // As Ansible: a loop over an undefined variable is an error only where the include's `when`
      // (read without an item) holds (`with_items: "{{ x }}"` under `when: x is defined`)
      if (isUndefinedError(err) && !conditionsHold(block.when, vars, at)) return [];
      if (err instanceof LoopError) throw new RenderError(err.message, at);
      throw err;
    }
  }
  const out: Pass[] = [];
  items.forEach((_item, index) => {
    const extra = inc.loop === undefined ? {} : loopItemVars(inc.loopControl, items, index);
    const itemVars = { ...vars, ...extra };
    if (!conditionsHold(block.when, itemVars, at)) return;
    if (!inc.templated && block.includeErrors) throw new RenderError(`${inc.action}: ${path.basename(block.includeFile ?? inc.file)} does not load: ${block.includeErrors.join('; ')}`, at);
    const chosen = inc.templated ? pick(block, String(renderValue(inc.file, itemVars, at))) : undefined;
    out.push({ items: chosen ? [chosen] : block.block, extra, key: `${chosen?.includeFile ?? ''}\0${JSON.stringify(extra)}` });
  });
  return out;
}

export async function runInclude(ctx: RunContext, play: PlanPlay, block: PlanBlock, hosts: HostRun[], handler: boolean, outer: Scope, run: RunItems, report: Report): Promise<Set<HostRun>> {
  const scope = { ...outer.vars, ...block.vars };
  const inner = (extra: Vars): Scope => ({ ...outer, vars: { ...scope, ...extra }, blocks: [...outer.blocks, block], section: 'block' });
  const failures = new Map<HostRun, string>();
  const passes = new Map<HostRun, Pass[]>();
  for (const h of hosts) {
    try {
      passes.set(h, passesOf(ctx, play, block, h, scope));
    } catch (err) {
      const f = taskFailure(err, { host: h.name, task: block, loginUser: h.spec.user, become: null });
      if (f.kind !== 'failed') throw err;
      failures.set(h, f.msg);
    }
  }
  const failed = report(ctx, block, failures);
  const rounds = Math.max(0, ...[...passes.values()].map((p) => p.length));
  for (let i = 0; i < rounds; i++) {
    const groups = new Map<string, { pass: Pass; hosts: HostRun[] }>();
    for (const [h, ps] of passes) {
      const p = ps[i];
      if (!p || h.status !== 'active' || failed.has(h)) continue;
      const g = groups.get(p.key) ?? { pass: p, hosts: [] };
      g.hosts.push(h);
      groups.set(p.key, g);
    }
    for (const g of groups.values()) for (const h of await run(ctx, play, g.pass.items, g.hosts, handler, inner(g.pass.extra))) failed.add(h);
  }
  return failed;
}
