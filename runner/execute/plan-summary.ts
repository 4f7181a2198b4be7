// The plan summary of a --check run: per host and in total, what would change, what is in place,
// what only a real run would tell, and what would fail. Pure, from the recap's tallies.
import type { HostTally, PlanCounts, PlanSummary } from '../events.js';

export function planCounts(t: HostTally): PlanCounts {
  // done-before without a probe (a command without creates) is in place too: it ran and is recorded
  return { change: t.changed, ok: t.ok + t.doneBefore, unknown: t.unknown, fail: t.failed, skipped: t.skipped, unreachable: t.unreachable };
}

export function planSummary(hosts: Record<string, HostTally>): PlanSummary {
  const per = Object.fromEntries(Object.entries(hosts).map(([h, t]) => [h, planCounts(t)]));
  const total: PlanCounts = { change: 0, ok: 0, unknown: 0, fail: 0, skipped: 0, unreachable: 0 };
  for (const c of Object.values(per)) for (const k of Object.keys(total) as (keyof PlanCounts)[]) total[k] += c[k];
  return { hosts: per, total };
}

/** "3 would change, 12 ok, 1 unknown, 0 would fail" (skipped and unreachable only when there are some). */
export function planLine(c: PlanCounts): string {
  const parts = [`${c.change} would change`, `${c.ok} ok`, `${c.unknown} unknown`, `${c.fail} would fail`];
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.unreachable) parts.push(`${c.unreachable} unreachable`);
  return parts.join(', ');
}

/** The summary as text lines: one per host, then the total. */
export function planLines(p: PlanSummary): string[] {
  const names = Object.keys(p.hosts);
  const width = Math.max(5, ...names.map((n) => n.length));
  return [...names.map((n) => `${n.padEnd(width)} : ${planLine(p.hosts[n]!)}`), `${'total'.padEnd(width)} : ${planLine(p.total)}`];
}
