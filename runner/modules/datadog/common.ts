// Shared shape of the three API modules: args schema pieces, the probe result and the
// pure create/update/delete/noop decision over objects found by identity.
import type { Decision, Step } from '../types.js';
import { compareManaged } from './canonical.js';
import { call, makeConfiguration, resolveTarget, validateKeys, type ApiArgs, type ApiTarget } from './api.js';
import type { client } from '@datadog/datadog-api-client';

export type State = 'present' | 'absent';

export interface CommonArgs extends ApiArgs {
  state?: State;
}

export const commonSchemaProps = {
  /** Empty means "derive from site". */
  api_url: { type: 'string', pattern: '^(https?://.+)?$' },
  /** Empty means DD_SITE, else datadoghq.com. */
  site: { type: 'string' },
  api_key: { type: 'string', minLength: 1 },
  app_key: { type: 'string', minLength: 1 },
  state: { enum: ['present', 'absent'], default: 'present' },
} as const;

/** One object found by identity, as snake_case JSON the way the API returns it. */
export interface Found {
  id: string;
  url?: string;
  current: unknown;
}

/** Probe outcome. Expected failures (bad key, API down) are values; decide turns them into fail. */
export type ApiProbe<X = object> =
  | { kind: 'error'; msg: string }
  | ({ kind: 'ok'; apiUrl: string; matches: Found[] } & X);

/** Connection for a step or probe: target + configuration, or why not. */
export function connect(args: ApiArgs): { t: ApiTarget; cfg: client.Configuration } | { error: string } {
  const t = resolveTarget(args);
  if ('error' in t) return t;
  return { t, cfg: makeConfiguration(t) };
}

/** Shared probe prologue: resolve keys and validate them (GET /api/v1/validate). */
export async function openProbe(
  args: ApiArgs,
): Promise<{ t: ApiTarget; cfg: client.Configuration } | { error: string }> {
  const c = connect(args);
  if ('error' in c) return c;
  const bad = await validateKeys(c.t, c.cfg);
  return bad ? { error: bad } : c;
}

/** Runs a probe body, turning a thrown (already redacted) error into an error probe. */
export async function probeSafely<X>(body: () => Promise<ApiProbe<X>>): Promise<ApiProbe<X>> {
  try {
    return await body();
  } catch (e) {
    return { kind: 'error', msg: e instanceof Error ? e.message : String(e) };
  }
}

/** A step that connects at run time (never at decide time) and runs one API call. */
export function apiStep(
  args: ApiArgs,
  describe: string,
  action: string,
  run: (c: { t: ApiTarget; cfg: client.Configuration }) => Promise<Record<string, unknown> | void>,
): Step {
  return {
    kind: 'call',
    describe,
    run: async () => {
      const c = connect(args);
      if ('error' in c) throw new Error(c.error);
      return call(c.t, action, () => run(c));
    },
  };
}

export interface ObjectPlan {
  /** "dashboard", "monitor", "downtime". */
  noun: string;
  /** How the identity reads in messages: `titled "X"`. */
  identity: string;
  state: State;
  matches: Found[];
  /** The managed fields in canonical (comparable) form. */
  desired: unknown;
  /** The server copy in the same canonical form. */
  canonicalCurrent: (f: Found) => unknown;
  create: () => Step;
  update: (f: Found) => Step;
  remove: (f: Found) => Step;
}

/** Pure decision shared by the three modules. */
export function decideObject(p: ObjectPlan): Decision {
  const what = `${p.noun} ${p.identity}`;
  if (p.matches.length > 1) {
    const ids = p.matches.map((m) => m.id).join(', ');
    return { kind: 'fail', msg: `${what}: duplicates found (ids ${ids}); refusing to guess` };
  }
  const found = p.matches[0];
  if (p.state === 'absent') {
    if (!found) return { kind: 'noop', reason: `no ${what} exists` };
    return { kind: 'change', summary: `delete ${what} (id ${found.id})`, steps: [p.remove(found)], result: { id: found.id } };
  }
  if (!found) return { kind: 'change', summary: `create ${what}`, steps: [p.create()] };
  const cmp = compareManaged(p.canonicalCurrent(found), p.desired, `${p.noun} ${found.id}`);
  const result: Record<string, unknown> = { id: found.id, ...(found.url ? { url: found.url } : {}) };
  if (cmp.equal) return { kind: 'noop', reason: `${what} (id ${found.id}) already matches`, result };
  return { kind: 'change', summary: `update ${what} (id ${found.id})`, steps: [p.update(found)], diff: cmp.diff, result };
}

/** Fails a decision from an error probe, naming the object. */
export function probeFailure(noun: string, identity: string, msg: string): Decision {
  return { kind: 'fail', msg: `${noun} ${identity}: ${msg}` };
}
