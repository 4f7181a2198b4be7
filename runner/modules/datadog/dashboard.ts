// datadog_dashboard: a dashboard identified by its exact title (POST/PUT/DELETE /api/v1/dashboard).
import type { v1 } from '@datadog/datadog-api-client';
import { dd } from './lib.js';
import { defineModule } from '../types.js';
import { isPlainObject, parseWith } from './canonical.js';
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
import { fullUrl } from './site.js';

export interface DashboardArgs extends CommonArgs {
  title: string;
  /** The Dashboard body (section 9), snake_case; `title` here is overridden by the title arg. */
  definition?: Record<string, unknown>;
}

const PAGE = 100;

/** The body we send: the definition with the identity title. */
export function dashboardBody(args: DashboardArgs): Record<string, unknown> {
  return { ...(args.definition ?? {}), title: args.title };
}

const toJson = (m: unknown): unknown => dd().v1.ObjectSerializer.serialize(m, 'Dashboard', '');

export const datadogDashboard = defineModule<DashboardArgs, ApiProbe>({
  name: 'datadog_dashboard',
  controllerOnly: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['title'],
    properties: {
      ...commonSchemaProps,
      title: { type: 'string', minLength: 1 },
      definition: { type: 'object' },
    },
  },

  async probe(args) {
    return probeSafely<object>(async () => {
      const c = await openProbe(args);
      if ('error' in c) return { kind: 'error', msg: c.error };
      const api = new (dd().v1.DashboardsApi)(c.cfg);
      const ids: { id: string; url?: string }[] = [];
      for (let start = 0; ; start += PAGE) {
        const page = await call(c.t, `list dashboards at ${c.t.apiUrl}`, () =>
          api.listDashboards({ count: PAGE, start, filterDeleted: false }),
        );
        const items = page.dashboards ?? [];
        for (const d of items) if (d.title === args.title && d.id) ids.push({ id: d.id, url: d.url });
        if (items.length < PAGE) break;
      }
      const matches: Found[] = [];
      for (const { id, url } of ids) {
        if (ids.length > 1) {
          matches.push({ id, url, current: null }); // duplicates: ids are enough to refuse
          continue;
        }
        const full = await call(c.t, `read dashboard ${id}`, () => api.getDashboard({ dashboardId: id }));
        const rel = full.url ?? url;
        matches.push({ id, url: rel ? fullUrl(c.t.site, rel) : undefined, current: toJson(full) });
      }
      return { kind: 'ok', apiUrl: c.t.apiUrl, matches };
    });
  },

  decide(args, probe) {
    const identity = `titled ${JSON.stringify(args.title)}`;
    if (probe.kind === 'error') return probeFailure('dashboard', identity, probe.msg);
    const state = args.state ?? 'present';
    const body = dashboardBody(args);
    if (state === 'present') {
      if (!isPlainObject(args.definition)) return probeFailure('dashboard', identity, 'definition is required');
      const parsed = parseWith(dd().v1.ObjectSerializer.deserialize, body, 'Dashboard');
      if (!parsed.ok) return probeFailure('dashboard', identity, `definition is not a valid Dashboard: ${parsed.errors.join('; ')}`);
    }
    const model = (): v1.Dashboard => dd().v1.ObjectSerializer.deserialize(body, 'Dashboard', '') as v1.Dashboard;
    const name = JSON.stringify(args.title);
    // The API's url is relative: the result carries the full link on the site.
    const done = (d: v1.Dashboard, site: string): Record<string, unknown> => ({ id: d.id, ...(d.url ? { url: fullUrl(site, d.url) } : {}) });
    return decideObject({
      noun: 'dashboard',
      identity,
      state,
      matches: probe.matches,
      desired: body,
      canonicalCurrent: (f) => f.current,
      create: () =>
        apiStep(args, `POST /api/v1/dashboard ${name}`, `create dashboard ${name}`, async ({ t, cfg }) =>
          done(await new (dd().v1.DashboardsApi)(cfg).createDashboard({ body: model() }), t.site),
        ),
      update: (f) =>
        apiStep(args, `PUT /api/v1/dashboard/${f.id}`, `update dashboard ${name} (id ${f.id})`, async ({ t, cfg }) =>
          done(await new (dd().v1.DashboardsApi)(cfg).updateDashboard({ dashboardId: f.id, body: model() }), t.site),
        ),
      remove: (f) =>
        apiStep(args, `DELETE /api/v1/dashboard/${f.id}`, `delete dashboard ${name} (id ${f.id})`, async ({ cfg }) => {
          await new (dd().v1.DashboardsApi)(cfg).deleteDashboard({ dashboardId: f.id });
          return { id: f.id };
        }),
    });
  },
});
