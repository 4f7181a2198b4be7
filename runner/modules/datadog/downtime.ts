// datadog_downtime: a recurring v2 downtime identified by its monitor plus a marker string in
// its message (the API has no name field). Canceled or ended downtimes are ignored.
import type { v2 } from '@datadog/datadog-api-client';
import { dd } from './lib.js';
import { defineModule, type Decision } from '../types.js';
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
import { call } from './api.js';
import { findMonitorsByName } from './monitor.js';
import { nextStart, wallClockOf } from './schedule.js';

export interface DowntimeArgs extends CommonArgs {
  marker: string;
  monitor_name?: string;
  monitor_id?: number;
  scope?: string;
  message?: string;
  timezone?: string;
  display_timezone?: string;
  mute_first_recovery_notification?: boolean;
  notify_end_states?: string[];
  notify_end_types?: string[];
  recurrence?: { rrule: string; duration: string; start_time: string };
}

/** What the probe saw: the monitor's id (when it exists) and the clock, so decide stays pure. */
export interface DowntimeSeen {
  monitorId?: number;
  now: string;
}

const PAGE = 100;
const SKIP_STATUS = new Set(['canceled', 'ended']);

export function downtimeMessage(args: DowntimeArgs): string {
  const msg = args.message ?? '';
  return msg.includes(args.marker) ? msg : `${args.marker} ${msg}`.trim();
}

/** The attributes we send (snake_case), with `start` computed from `now`. */
export function downtimeAttributes(args: DowntimeArgs, monitorId: number, now: Date): Record<string, unknown> {
  const r = args.recurrence;
  if (!r) throw new Error('recurrence is required');
  const timezone = args.timezone ?? 'UTC';
  const start = nextStart(now, timezone, r.rrule, r.start_time);
  return dropNulls({
    monitor_identifier: { monitor_id: monitorId },
    scope: args.scope ?? '*',
    message: downtimeMessage(args),
    display_timezone: args.display_timezone ?? timezone,
    mute_first_recovery_notification: args.mute_first_recovery_notification,
    notify_end_states: args.notify_end_states,
    notify_end_types: args.notify_end_types,
    schedule: { timezone, recurrences: [{ start, duration: r.duration, rrule: r.rrule }] },
  }) as Record<string, unknown>;
}

/** Comparable form: a start is equal when its wall-clock time is (the date moves every week); end states are sets. */
export function canonicalDowntime(a: unknown): unknown {
  if (!isPlainObject(a)) return a;
  const out: Record<string, unknown> = { ...a };
  for (const k of ['notify_end_states', 'notify_end_types'])
    if (Array.isArray(out[k])) out[k] = [...(out[k] as unknown[])].map(String).sort();
  const s = out.schedule;
  if (isPlainObject(s) && Array.isArray(s.recurrences)) {
    out.schedule = {
      ...s,
      recurrences: s.recurrences.map((r) =>
        isPlainObject(r) && typeof r.start === 'string' ? { ...r, start: wallClockOf(r.start) } : r,
      ),
    };
  }
  return out;
}

export const datadogDowntime = defineModule<DowntimeArgs, ApiProbe<DowntimeSeen>>({
  name: 'datadog_downtime',
  controllerOnly: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['marker'],
    properties: {
      ...commonSchemaProps,
      marker: { type: 'string', minLength: 3 },
      monitor_name: { type: 'string', minLength: 1 },
      monitor_id: { type: 'integer', minimum: 1 },
      scope: { type: 'string', minLength: 1, default: '*' },
      message: { type: 'string' },
      timezone: { type: 'string', minLength: 1 },
      display_timezone: { type: 'string', minLength: 1 },
      mute_first_recovery_notification: { type: 'boolean' },
      notify_end_states: { type: 'array', items: { enum: ['alert', 'warn', 'no data'] } },
      notify_end_types: { type: 'array', items: { enum: ['canceled', 'expired'] } },
      recurrence: {
        type: 'object',
        additionalProperties: false,
        required: ['rrule', 'duration', 'start_time'],
        properties: {
          rrule: { type: 'string', minLength: 1 },
          duration: { type: 'string', pattern: '^[0-9]+[mhdw]$' },
          start_time: { type: 'string', pattern: '^([01]?[0-9]|2[0-3]):[0-5][0-9]$' },
        },
      },
    },
  },

  async probe(args) {
    return probeSafely<DowntimeSeen>(async () => {
      const now = new Date().toISOString();
      const c = await openProbe(args);
      if ('error' in c) return { kind: 'error', msg: c.error };
      let monitorId = args.monitor_id;
      if (monitorId === undefined && args.monitor_name) {
        const found = await findMonitorsByName(c, args.monitor_name);
        if (found.length > 1) {
          const ids = found.map((f) => f.id).join(', ');
          return { kind: 'error', msg: `monitor named ${JSON.stringify(args.monitor_name)}: duplicates found (ids ${ids}); refusing to guess` };
        }
        monitorId = found[0] ? Number(found[0].id) : undefined;
      }
      const matches: Found[] = [];
      const api = new (dd().v2.DowntimesApi)(c.cfg);
      // Without the monitor, only `absent` looks further: cancel what carries the marker.
      const absent = args.state === 'absent';
      for (let offset = 0; monitorId !== undefined || absent; offset += PAGE) {
        const page = await call(c.t, `list downtimes at ${c.t.apiUrl}`, () =>
          api.listDowntimes({ currentOnly: false, pageOffset: offset, pageLimit: PAGE }),
        );
        const items = page.data ?? [];
        for (const d of items) {
          const json = dd().v2.ObjectSerializer.serialize(d, 'DowntimeResponseData', '') as { attributes?: Record<string, unknown> };
          const a = json.attributes ?? {};
          const mid = isPlainObject(a.monitor_identifier) ? a.monitor_identifier.monitor_id : undefined;
          const status = typeof a.status === 'string' ? a.status : '';
          const msg = typeof a.message === 'string' ? a.message : '';
          const sameMonitor = monitorId === undefined ? absent : mid === monitorId;
          if (d.id && sameMonitor && msg.includes(args.marker) && !SKIP_STATUS.has(status))
            matches.push({ id: d.id, current: a });
        }
        if (items.length < PAGE) break;
      }
      return { kind: 'ok', apiUrl: c.t.apiUrl, matches, monitorId, now };
    });
  },

  decide(args, probe, ctx): Decision {
    const identity = `marked ${JSON.stringify(args.marker)}`;
    if (probe.kind === 'error') return probeFailure('downtime', identity, probe.msg);
    const state = args.state ?? 'present';
    if ((args.monitor_name === undefined) === (args.monitor_id === undefined))
      return probeFailure('downtime', identity, 'give exactly one of monitor_name and monitor_id');
    const monitorRef = args.monitor_name ? `monitor named ${JSON.stringify(args.monitor_name)}` : `monitor ${args.monitor_id}`;
    if (state === 'present' && probe.monitorId === undefined) {
      if (!ctx.check) return probeFailure('downtime', identity, `${monitorRef} does not exist`);
      // Under --check the monitor task before this one only said it would create the monitor.
      return {
        kind: 'change',
        summary: `create downtime ${identity} (${monitorRef} does not exist yet)`,
        steps: [{ kind: 'call', describe: 'POST /api/v2/downtime', run: async () => { throw new Error(`${monitorRef} does not exist`); } }],
      };
    }
    let attrs: Record<string, unknown> = {};
    if (state === 'present') {
      try {
        attrs = downtimeAttributes(args, probe.monitorId as number, new Date(probe.now));
      } catch (e) {
        return probeFailure('downtime', identity, e instanceof Error ? e.message : String(e));
      }
      const body = { data: { type: 'downtime', attributes: attrs } };
      const parsed = parseWith(dd().v2.ObjectSerializer.deserialize, body, 'DowntimeCreateRequest');
      if (!parsed.ok) return probeFailure('downtime', identity, `not a valid downtime: ${parsed.errors.join('; ')}`);
    }
    return decideObject({
      noun: 'downtime',
      identity,
      state,
      matches: probe.matches,
      desired: canonicalDowntime(attrs),
      canonicalCurrent: (f) => canonicalDowntime(f.current),
      create: () =>
        apiStep(args, 'POST /api/v2/downtime', `create downtime ${identity}`, async ({ cfg }) => {
          const body = dd().v2.ObjectSerializer.deserialize({ data: { type: 'downtime', attributes: attrs } }, 'DowntimeCreateRequest', '');
          const res = await new (dd().v2.DowntimesApi)(cfg).createDowntime({ body: body as v2.DowntimeCreateRequest });
          return { id: res.data?.id };
        }),
      update: (f) =>
        apiStep(args, `PATCH /api/v2/downtime/${f.id}`, `update downtime ${identity} (id ${f.id})`, async ({ cfg }) => {
          const raw = { data: { id: f.id, type: 'downtime', attributes: attrs } };
          const body = dd().v2.ObjectSerializer.deserialize(raw, 'DowntimeUpdateRequest', '') as v2.DowntimeUpdateRequest;
          const res = await new (dd().v2.DowntimesApi)(cfg).updateDowntime({ downtimeId: f.id, body });
          return { id: res.data?.id ?? f.id };
        }),
      remove: (f) =>
        apiStep(args, `DELETE /api/v2/downtime/${f.id}`, `cancel downtime ${identity} (id ${f.id})`, async ({ cfg }) => {
          await new (dd().v2.DowntimesApi)(cfg).cancelDowntime({ downtimeId: f.id });
          return { id: f.id };
        }),
    });
  },
});
