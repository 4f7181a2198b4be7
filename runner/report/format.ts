// Pure formatting shared by the reporters.
import { assertNever } from '../errors.js';
import type { Outcome } from '../types.js';
import type { HostTally } from '../events.js';

export function outcomeWord(o: Outcome): string {
  switch (o.status) {
    case 'ok': return 'ok';
    case 'changed': return 'changed';
    case 'failed': return 'FAILED';
    case 'unreachable': return 'UNREACHABLE';
    case 'unknown': return 'unknown';
    case 'skipped': return o.why === 'done-before' ? 'done before' : 'skipped';
    default: return assertNever(o, 'outcome');
  }
}

export function outcomeDetail(o: Outcome): string {
  switch (o.status) {
    case 'ok': return o.reason;
    case 'changed': return o.summary;
    case 'failed': return o.msg;
    case 'unreachable': return o.msg;
    case 'unknown': return o.summary;
    case 'skipped': return o.detail;
    default: return assertNever(o, 'outcome');
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export const RECAP_COLUMNS = ['ok', 'changed', 'skipped', 'done-before', 'failed', 'unreachable', 'rescued', 'ignored', 'time'] as const;

/** The recap as aligned text lines: one per host. */
export function recapLines(hosts: Record<string, HostTally>): string[] {
  const names = Object.keys(hosts);
  const width = Math.max(4, ...names.map((n) => n.length));
  // --check's unknowns get a column only when there are some (docs/check-mode.md)
  const unknowns = names.some((n) => (hosts[n]!.unknown ?? 0) > 0);
  return names.map((name) => {
    const t = hosts[name]!;
    const cells = [`ok=${t.ok}`, `changed=${t.changed}`, ...(unknowns ? [`unknown=${t.unknown ?? 0}`] : []), `skipped=${t.skipped}`, `done-before=${t.doneBefore}`, `failed=${t.failed}`, `unreachable=${t.unreachable}`, `rescued=${t.rescued}`, `ignored=${t.ignored}`, `time=${formatMs(t.ms)}`];
    return `${name.padEnd(width)} : ${cells.map((c) => c.padEnd(14)).join(' ').trimEnd()}`;
  });
}
