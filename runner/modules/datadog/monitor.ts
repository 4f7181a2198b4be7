// datadog_monitor: a monitor identified by its exact name (POST/PUT/DELETE /api/v1/monitor).
import type { v1 } from '@datadog/datadog-api-client';
import { dd } from './lib.js';
import { defineModule } from '../types.js';
import { dropNulls, isPlainObject, parseWith } from './canonical.js';
import {
  apiStep,
  commonSchemaProps,
  decideObject,
  openProbe,
  probeFailure,
  probeSafely,
  type ApiProbe,
  type CommonArgs,
  type Found,
} from './common.js';
import { call, type ApiTarget } from './api.js';
import type { client } from '@datadog/datadog-api-client';

export interface MonitorArgs extends CommonArgs {
  name: string;
  type?: string;
  query?: string;
  message?: string;
  tags?: string[];
  priority?: number | null;
  options?: Record<string, unknown>;
}

const PAGE = 100;
const BODY_KEYS = ['name', 'type', 'query', 'message', 'tags', 'priority', 'options'] as const;

/** The managed fields, snake_case, unset ones left out. */
export function monitorBody(args: MonitorArgs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of BODY_KEYS) if (args[k] !== undefined && args[k] !== null) out[k] = args[k];
  return dropNulls(out) as Record<string, unknown>;
}

/** Tags are a set: sort them so order never causes an update. */
export function canonicalMonitor(m: unknown): unknown {
  if (!isPlainObject(m)) return m;
  return Array.isArray(m.tags) ? { ...m, tags: [...m.tags].map(String).sort() } : m;
}

/** The tag used to narrow the server-side list, when the monitor carries one. */
export function managedTag(args: MonitorArgs): string | undefined {
  return args.tags?.find((t) => t.startsWith('managed-by:'));
}

/** Lists monitors whose name equals `name` exactly (the API's name filter is a substring search). */
export async function findMonitorsByName(
  c: { t: ApiTarget; cfg: client.Configuration },
  name: string,
  monitorTags?: string,
): Promise<Found[]> {
  const api = new (dd().v1.MonitorsApi)(c.cfg);
  const out: Found[] = [];
  for (let page = 0; ; page++) {
    const items = await call(c.t, `list monitors at ${c.t.apiUrl}`, () =>
      api.listMonitors({ name, monitorTags, page, pageSize: PAGE }),
    );
    for (const m of items)
      if (m.name === name && m.id !== undefined)
        out.push({ id: String(m.id), current: dd().v1.ObjectSerializer.serialize(m, 'Monitor', '') });
    if (items.length < PAGE) break;
  }
  return out;
}

export const datadogMonitor = defineModule<MonitorArgs, ApiProbe>({
  name: 'datadog_monitor',
  controllerOnly: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      ...commonSchemaProps,
      name: { type: 'string', minLength: 1 },
      type: { type: 'string', minLength: 1 },
      query: { type: 'string', minLength: 1 },
      message: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      priority: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
      options: { type: 'object' },
    },
  },

  async probe(args) {
    return probeSafely<object>(async () => {
      const c = await openProbe(args);
      if ('error' in c) return { kind: 'error', msg: c.error };
      const matches = await findMonitorsByName(c, args.name, managedTag(args));
      return { kind: 'ok', apiUrl: c.t.apiUrl, matches };
    });
  },

  decide(args, probe) {
    const identity = `named ${JSON.stringify(args.name)}`;
    if (probe.kind === 'error') return probeFailure('monitor', identity, probe.msg);
    const state = args.state ?? 'present';
    const body = monitorBody(args);
    if (state === 'present') {
      if (!args.type || !args.query) return probeFailure('monitor', identity, 'type and query are required');
      const parsed = parseWith(dd().v1.ObjectSerializer.deserialize, body, 'Monitor');
      if (!parsed.ok) return probeFailure('monitor', identity, `not a valid Monitor: ${parsed.errors.join('; ')}`);
    }
    const name = JSON.stringify(args.name);
    const done = (m: v1.Monitor): Record<string, unknown> => ({ id: m.id });
    return decideObject({
      noun: 'monitor',
      identity,
      state,
      matches: probe.matches,
      desired: canonicalMonitor(body),
      canonicalCurrent: (f) => canonicalMonitor(f.current),
      create: () =>
        apiStep(args, `POST /api/v1/monitor ${name}`, `create monitor ${name}`, async ({ cfg }) => {
          const model = dd().v1.ObjectSerializer.deserialize(body, 'Monitor', '') as v1.Monitor;
          return done(await new (dd().v1.MonitorsApi)(cfg).createMonitor({ body: model }));
        }),
      update: (f) =>
        apiStep(args, `PUT /api/v1/monitor/${f.id}`, `update monitor ${name} (id ${f.id})`, async ({ cfg }) => {
          const model = dd().v1.ObjectSerializer.deserialize(body, 'MonitorUpdateRequest', '') as v1.MonitorUpdateRequest;
          return done(await new (dd().v1.MonitorsApi)(cfg).updateMonitor({ monitorId: Number(f.id), body: model }));
        }),
      remove: (f) =>
        apiStep(args, `DELETE /api/v1/monitor/${f.id}`, `delete monitor ${name} (id ${f.id})`, async ({ cfg }) => {
          await new (dd().v1.MonitorsApi)(cfg).deleteMonitor({ monitorId: Number(f.id) });
          return { id: Number(f.id) };
        }),
    });
  },
});
