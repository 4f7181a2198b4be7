// Keeps records small: a registered value too big for the store is kept as its hash, size and a bounded
// head, and such a record is never replayed (a partial value restored would be a lie): the task runs again.
import { createHash } from 'node:crypto';
import type { DoneRecord } from './types.js';

/** Largest registered result + set_fact values (as JSON) a record keeps whole. */
export const RECORD_CAP_BYTES = 64 * 1024;
/** How much of a capped value's JSON the record keeps, for `state show` and for people. */
export const CAPPED_HEAD_BYTES = 1024;

/** The record as the store keeps it: whole, or capped (result emptied, `capped` set). */
export function capRecord(rec: DoneRecord): DoneRecord {
  const json = JSON.stringify([rec.result, rec.setVars ?? null]);
  const bytes = Buffer.byteLength(json);
  if (bytes <= RECORD_CAP_BYTES) return rec;
  const head = Buffer.from(json).subarray(0, CAPPED_HEAD_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
  const { setVars: _dropped, ...rest } = rec;
  return { ...rest, result: {}, capped: { bytes, sha256: createHash('sha256').update(json).digest('hex'), head } };
}

/** Whether a record can stand in for running its task: only a whole one can. */
export function replayable(rec: DoneRecord): boolean {
  return rec.capped === undefined;
}
