// serial: the play's hosts in batches that each run the whole play in turn. Pure.
import { RenderError } from '../errors.js';

/**
 * Ansible's batches: each entry is a count or "N%" of all the play's hosts (at least 1, rounded
 * down); the last entry repeats until every host is in a batch; 0 or less puts the rest in one.
 */
export function batchesOf(names: readonly string[], serial: unknown, at: string): string[][] {
  const list = Array.isArray(serial) ? serial : [serial];
  if (list.length === 0) return [[...names]];
  const sizes = list.map((v) => batchSize(v, names.length, at));
  const out: string[][] = [];
  let rest = [...names];
  for (let i = 0; rest.length > 0; i++) {
    const n = sizes[Math.min(i, sizes.length - 1)]!;
    if (n <= 0) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, n));
    rest = rest.slice(n);
  }
  return out;
}

function batchSize(v: unknown, total: number, at: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const s = String(v).trim();
  const pct = /^(\d+)\s*%$/.exec(s);
  if (pct) return Math.floor((Number(pct[1]) / 100) * total) || 1;
  if (/^-?\d+$/.test(s)) return Number(s);
  throw new RenderError(`serial: expected a host count or a percentage ("30%"), got ${JSON.stringify(v)}`, at);
}
