// What the store reads from disk, checked before it is used. Every key there comes from outside (host
// identities, inventory names, task ids), so every map is prototype-free: `__proto__`, `constructor` or
// `toString` are plain keys, never Object.prototype's.
import type { DoneRecord } from './types.js';

/** The store format this play reads and writes. */
export const STATE_VERSION = 1;

export type Dict<T> = Record<string, T>;

/** A map with no prototype: any string is an ordinary key. */
export function dict<T>(from?: Iterable<readonly [string, T]>): Dict<T> {
  const d = Object.create(null) as Dict<T>;
  if (from) for (const [k, v] of from) d[k] = v;
  return d;
}

export function has(d: Dict<unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(d, key);
}

export type JournalEntry =
  | { t: 'done'; rec: DoneRecord }
  | { t: 'notify'; identity: string; host: string; handlerId: string }
  | { t: 'handled'; identity: string; handlerId: string }
  | { t: 'forget'; identity?: string; role?: string; taskId?: string };

export interface Snapshot {
  version: typeof STATE_VERSION;
  done: Dict<Dict<DoneRecord>>;
  pending: Dict<string[]>;
  /** Host name → identity, for `play state show --host`. */
  hosts: Dict<string>;
}

export function emptySnapshot(): Snapshot {
  return { version: STATE_VERSION, done: dict(), pending: dict(), hosts: dict() };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || isStr(v);

export function isRecord(v: unknown): v is DoneRecord {
  return isObj(v) && isStr(v.identity) && isStr(v.host) && isStr(v.taskId) && optStr(v.role) && isStr(v.fingerprint) &&
    isObj(v.result) && (v.setVars === undefined || isObj(v.setVars)) && isStr(v.at);
}

/** Why a parsed snapshot cannot be used, or null when it is one this play reads. */
function snapshotProblem(v: unknown): string | null {
  if (!isObj(v)) return `it is ${Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'null' : `a ${typeof v}`}, not a state object`;
  if (v.version !== STATE_VERSION) {
    return `its version is ${JSON.stringify(v.version) ?? 'missing'}, and this play reads version ${STATE_VERSION} only`;
  }
  for (const k of ['done', 'pending', 'hosts'] as const) if (!isObj(v[k])) return `its "${k}" is ${v[k] === undefined ? 'missing' : 'not an object'}`;
  for (const [id, tasks] of Object.entries(v.done as object)) {
    if (!isObj(tasks) || !Object.values(tasks).every(isRecord)) return `its records for identity ${JSON.stringify(id)} are malformed`;
  }
  for (const [id, list] of Object.entries(v.pending as object)) {
    if (!Array.isArray(list) || !list.every(isStr)) return `its pending handlers for identity ${JSON.stringify(id)} are malformed`;
  }
  if (!Object.values(v.hosts as object).every(isStr)) return 'its "hosts" map holds a value that is not an identity';
  return null;
}

/** A parsed state.json as a Snapshot (prototype-free), or why it is refused. */
export function toSnapshot(v: unknown): { ok: true; snap: Snapshot } | { ok: false; why: string } {
  const why = snapshotProblem(v);
  if (why) return { ok: false, why };
  const s = v as Snapshot;
  return {
    ok: true,
    snap: {
      version: STATE_VERSION,
      done: dict(Object.entries(s.done).map(([id, tasks]) => [id, dict(Object.entries(tasks))] as const)),
      pending: dict(Object.entries(s.pending).map(([id, l]) => [id, [...l]] as const)),
      hosts: dict(Object.entries(s.hosts)),
    },
  };
}

/** A parsed journal line as an entry, or null when it is not one this play knows. */
export function toEntry(v: unknown): JournalEntry | null {
  if (!isObj(v)) return null;
  switch (v.t) {
    case 'done':
      return isRecord(v.rec) ? { t: 'done', rec: v.rec } : null;
    case 'notify':
      return isStr(v.identity) && isStr(v.host) && isStr(v.handlerId) ? { t: 'notify', identity: v.identity, host: v.host, handlerId: v.handlerId } : null;
    case 'handled':
      return isStr(v.identity) && isStr(v.handlerId) ? { t: 'handled', identity: v.identity, handlerId: v.handlerId } : null;
    case 'forget':
      return optStr(v.identity) && optStr(v.role) && optStr(v.taskId)
        ? { t: 'forget', identity: v.identity as string | undefined, role: v.role as string | undefined, taskId: v.taskId as string | undefined }
        : null;
    default:
      return null;
  }
}
