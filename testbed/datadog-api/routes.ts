// The endpoints the Datadog modules use, over the in-file data. Mutates `data`; the server saves it.
import { dashboardId, downtimeId, slug, type Data, type Obj } from './store.js';
import { dashboardProblems, downtimeProblems, monitorProblems, type Problem } from './validate.js';

export interface Reply {
  status: number;
  body?: unknown;
  /** True when `data` changed and must be saved. */
  changed?: boolean;
}

export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  now: Date;
}

const err = (status: number, ...errors: string[]): Reply => ({ status, body: { errors } });
const ok = (body: unknown, changed = false): Reply => ({ status: 200, body, changed });

/** v1 answers `{"errors": ["..."]}` with plain strings. */
function v1Invalid(problems: Problem[]): Reply | undefined {
  return problems.length ? err(400, ...problems.map((p) => (p.pointer ? `${p.detail} (at ${p.pointer})` : p.detail))) : undefined;
}

/** v2 answers JSON:API error objects. */
export function v2Error(status: number, title: string, problems: Problem[]): Reply {
  return { status, body: { errors: problems.map((p) => ({ status: String(status), title, detail: p.detail, ...(p.pointer ? { source: { pointer: p.pointer } } : {}) })) } };
}

function v2Invalid(problems: Problem[]): Reply | undefined {
  return problems.length ? v2Error(400, 'Bad Request', problems) : undefined;
}

const CREATOR = { email: 'stand-in@example.com', handle: 'stand-in@example.com', name: 'Stand-in' };

export function route(data: Data, r: Req): Reply {
  const ts = r.now.toISOString();
  const parts = r.path.split('/').filter(Boolean); // api, v1, dashboard, id?
  const [api, ver, kind, id, extra] = parts;
  if (api !== 'api') return err(404, 'Not found');
  const key = `${r.method} ${ver}/${kind}${id ? '/:id' : ''}${extra ? '/' + extra : ''}`;
  switch (key) {
    case 'GET v1/validate':
      return ok({ valid: true });

    // ---------- dashboards ----------
    case 'GET v1/dashboard': {
      const count = Number(r.query.get('count') ?? 100);
      const start = Number(r.query.get('start') ?? 0);
      const all = Object.values(data.dashboards).map((d) => ({
        id: d.id, title: d.title, description: d.description ?? null, layout_type: d.layout_type, url: d.url,
        created_at: d.created_at, modified_at: d.modified_at, author_handle: d.author_handle, is_read_only: false,
      }));
      return ok({ dashboards: all.slice(start, start + count) });
    }
    case 'POST v1/dashboard': {
      const bad = v1Invalid(dashboardProblems(r.body));
      if (bad) return bad;
      const nid = dashboardId();
      const d = withDashboardServerFields(r.body as Obj, nid, ts, ts);
      data.dashboards[nid] = d;
      return ok(d, true);
    }
    case 'GET v1/dashboard/:id':
      return data.dashboards[id] ? ok(data.dashboards[id]) : err(404, 'Dashboard not found');
    case 'PUT v1/dashboard/:id': {
      const old = data.dashboards[id];
      if (!old) return err(404, 'Dashboard not found');
      const bad = v1Invalid(dashboardProblems(r.body));
      if (bad) return bad;
      data.dashboards[id] = withDashboardServerFields(r.body as Obj, id, String(old.created_at), ts);
      return ok(data.dashboards[id], true);
    }
    case 'DELETE v1/dashboard/:id':
      if (!data.dashboards[id]) return err(404, 'Dashboard not found');
      delete data.dashboards[id];
      return ok({ deleted_dashboard_id: id }, true);

    // ---------- monitors ----------
    case 'GET v1/monitor': {
      const name = r.query.get('name');
      const tags = (r.query.get('monitor_tags') ?? '').split(',').filter(Boolean);
      let list = Object.values(data.monitors).filter(
        (m) => (!name || String(m.name).includes(name)) && tags.every((t) => (m.tags as string[]).includes(t)),
      );
      if (r.query.has('page')) {
        const size = Number(r.query.get('page_size') ?? 100);
        const page = Number(r.query.get('page'));
        list = list.slice(page * size, page * size + size);
      }
      return ok(list);
    }
    case 'POST v1/monitor/validate': {
      return v1Invalid(monitorProblems(r.body)) ?? ok({});
    }
    case 'POST v1/monitor': {
      const bad = v1Invalid(monitorProblems(r.body));
      if (bad) return bad;
      const mid = data.nextMonitorId++;
      const m = monitorWithDefaults(r.body as Obj, mid, ts, ts);
      data.monitors[String(mid)] = m;
      return ok(m, true);
    }
    case 'GET v1/monitor/:id':
      return data.monitors[id] ? ok(data.monitors[id]) : err(404, 'Monitor not found');
    case 'PUT v1/monitor/:id': {
      const old = data.monitors[id];
      if (!old) return err(404, 'Monitor not found');
      const bad = v1Invalid(monitorProblems(r.body, true));
      if (bad) return bad;
      const b = r.body as Obj;
      const merged = { ...old, ...b, options: { ...(old.options as Obj), ...((b.options as Obj) ?? {}) } };
      data.monitors[id] = monitorWithDefaults(merged, Number(id), String(old.created), ts);
      return ok(data.monitors[id], true);
    }
    case 'DELETE v1/monitor/:id':
      if (!data.monitors[id]) return err(404, 'Monitor not found');
      delete data.monitors[id];
      return ok({ deleted_monitor_id: Number(id) }, true);

    // ---------- downtimes (v2) ----------
    case 'GET v2/downtime': {
      const currentOnly = r.query.get('current_only') === 'true';
      const offset = Number(r.query.get('page[offset]') ?? 0);
      const limit = Number(r.query.get('page[limit]') ?? 30);
      const all = Object.values(data.downtimes).filter(
        (d) => !currentOnly || !['canceled', 'ended'].includes(String((d.attributes as Obj).status)),
      );
      return ok({ data: all.slice(offset, offset + limit), meta: { page: { total_filtered_count: all.length } } });
    }
    case 'POST v2/downtime': {
      const bad = v2Invalid(downtimeProblems(r.body));
      if (bad) return bad;
      const attrs = ((r.body as Obj).data as Obj).attributes as Obj;
      const missing = missingMonitor(data, attrs);
      if (missing) return missing;
      const did = downtimeId();
      data.downtimes[did] = { id: did, type: 'downtime', attributes: downtimeAttrs(attrs, {}, ts) };
      return ok({ data: data.downtimes[did] }, true);
    }
    case 'GET v2/downtime/:id':
      return data.downtimes[id] ? ok({ data: data.downtimes[id] }) : v2Error(404, 'Not Found', [{ pointer: '', detail: 'Downtime not found' }]);
    case 'PATCH v2/downtime/:id': {
      const old = data.downtimes[id];
      if (!old) return v2Error(404, 'Not Found', [{ pointer: '', detail: 'Downtime not found' }]);
      const bad = v2Invalid(downtimeProblems(r.body, true));
      if (bad) return bad;
      const attrs = ((r.body as Obj).data as Obj).attributes as Obj;
      const missing = missingMonitor(data, attrs);
      if (missing) return missing;
      data.downtimes[id] = { ...old, attributes: downtimeAttrs(attrs, old.attributes as Obj, ts) };
      return ok({ data: data.downtimes[id] }, true);
    }
    case 'DELETE v2/downtime/:id': {
      const old = data.downtimes[id];
      if (!old) return v2Error(404, 'Not Found', [{ pointer: '', detail: 'Downtime not found' }]);
      data.downtimes[id] = { ...old, attributes: { ...(old.attributes as Obj), status: 'canceled', canceled: ts, modified: ts } };
      return { status: 204, changed: true };
    }
    default:
      return err(404, `Not found: ${r.method} ${r.path}`);
  }
}

function withDashboardServerFields(body: Obj, id: string, created: string, modified: string): Obj {
  const widgets = Array.isArray(body.widgets) ? body.widgets : [];
  return {
    ...body,
    id,
    url: `/dashboard/${id}/${slug(String(body.title))}`,
    created_at: created,
    modified_at: modified,
    author_handle: CREATOR.handle,
    author_name: CREATOR.name,
    is_read_only: false,
    notify_list: body.notify_list ?? [],
    template_variables: body.template_variables ?? [],
    reflow_type: body.reflow_type ?? (body.layout_type === 'ordered' ? 'auto' : undefined),
    widgets: widgets.map((w, i) => ({ ...(w as Obj), id: (w as Obj).id ?? 1000 + i })),
  };
}

/** The monitor as Datadog returns it: server fields plus option defaults the caller did not set. */
function monitorWithDefaults(body: Obj, id: number, created: string, modified: string): Obj {
  const options = {
    notify_audit: false,
    include_tags: true,
    new_host_delay: 300,
    silenced: {},
    ...((body.options as Obj) ?? {}),
  };
  return {
    message: '',
    tags: [],
    priority: null,
    ...body,
    id,
    options,
    created,
    modified,
    creator: CREATOR,
    overall_state: 'No Data',
    multi: /\bby\s*\{/.test(String(body.query)),
    restricted_roles: null,
    deleted: null,
  };
}

function missingMonitor(data: Data, attrs: Obj): Reply | undefined {
  const ident = attrs.monitor_identifier as Obj | undefined;
  const mid = ident?.monitor_id;
  if (mid !== undefined && !data.monitors[String(mid)])
    return v2Error(400, 'Bad Request', [{ pointer: '/data/attributes/monitor_identifier/monitor_id', detail: `monitor ${String(mid)} does not exist` }]);
  return undefined;
}

function downtimeAttrs(attrs: Obj, old: Obj, ts: string): Obj {
  const merged: Obj = {
    scope: '*',
    display_timezone: 'UTC',
    mute_first_recovery_notification: false,
    notify_end_states: ['alert', 'no data', 'warn'],
    notify_end_types: ['expired'],
    ...old,
    ...attrs,
    canceled: null,
    created: old.created ?? ts,
    modified: ts,
    status: 'scheduled',
  };
  const sched = merged.schedule as Obj | undefined;
  if (sched && Array.isArray(sched.recurrences)) {
    // Like the API: seconds added to each start, and the current/next occurrence reported.
    const recurrences = (sched.recurrences as Obj[]).map((r) => ({ ...r, start: typeof r.start === 'string' && r.start.length === 16 ? `${r.start}:00` : (r.start ?? ts.slice(0, 19)) }));
    merged.schedule = { ...sched, recurrences, timezone: sched.timezone ?? 'UTC', current_downtime: { start: recurrences[0]?.start ?? null, end: null } };
  }
  return merged;
}
