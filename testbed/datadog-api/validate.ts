// The stand-in's own checks of request bodies, written from the API's documented rules (not with
// the client's models, which accept unknown keys and most bad values): unknown keys, required
// fields, query syntax, threshold order, timezone, rrule, duration, start without offset.
import { formulaErrors, isDuration, isLocalStart, isTimezone, metricQueryErrors, monitorQuery, rruleErrors } from './queries.js';

export interface Problem {
  /** JSON pointer into the body, e.g. /data/attributes/schedule/timezone. */
  pointer: string;
  detail: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Read-only fields a client may echo back (a GET body PUT again): accepted and ignored. */
const READ_ONLY = ['id', 'url', 'created_at', 'modified_at', 'author_handle', 'author_name', 'is_read_only', 'created', 'modified', 'creator', 'overall_state', 'deleted', 'multi', 'org_id', 'overall_state_modified', 'matching_downtimes', 'state'];

function keys(o: Obj, allowed: string[], at: string, out: Problem[]): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k) && !READ_ONLY.includes(k)) out.push({ pointer: `${at}/${k}`, detail: `Additional properties are not allowed ('${k}' was unexpected)` });
}

function required(o: Obj, names: string[], at: string, out: Problem[]): void {
  for (const k of names) if (o[k] === undefined || o[k] === null) out.push({ pointer: `${at}/${k}`, detail: `'${k}' is a required property` });
}

const LIVE_SPANS = ['1m', '5m', '10m', '15m', '30m', '1h', '4h', '1d', '2d', '1w', '1mo', '3mo', '6mo', 'week_to_date', 'month_to_date', '1y', 'alert'];
const UNITS = ['minute', 'hour', 'day', 'week', 'month', 'year'];
const COMMON_DEF = ['type', 'title', 'title_size', 'title_align', 'time', 'requests', 'custom_links'];
const DEFS: Record<string, { keys: string[]; request: string[]; query: string[] }> = {
  timeseries: {
    keys: [...COMMON_DEF, 'show_legend', 'legend_size', 'legend_layout', 'legend_columns', 'markers', 'yaxis', 'right_yaxis', 'events'],
    request: ['response_format', 'display_type', 'queries', 'formulas', 'q', 'style', 'on_right_yaxis', 'metadata'],
    query: ['data_source', 'name', 'query'],
  },
  query_value: {
    keys: [...COMMON_DEF, 'autoscale', 'precision', 'custom_unit', 'text_align', 'timeseries_background'],
    request: ['response_format', 'queries', 'formulas', 'q', 'aggregator', 'conditional_formats'],
    query: ['data_source', 'name', 'query', 'aggregator'],
  },
};

export function dashboardProblems(b: unknown): Problem[] {
  const out: Problem[] = [];
  if (!isObj(b)) return [{ pointer: '', detail: 'Invalid JSON body: expected an object' }];
  keys(b, ['title', 'description', 'layout_type', 'widgets', 'default_timeframe', 'template_variables', 'notify_list', 'reflow_type', 'tags', 'template_variable_presets'], '', out);
  required(b, ['title', 'layout_type', 'widgets'], '', out);
  if (b.layout_type !== undefined && !['ordered', 'free'].includes(String(b.layout_type))) out.push({ pointer: '/layout_type', detail: `'${String(b.layout_type)}' is not one of ['ordered', 'free']` });
  const tf = b.default_timeframe;
  if (tf !== undefined) {
    if (!isObj(tf)) out.push({ pointer: '/default_timeframe', detail: 'default_timeframe must be an object' });
    else if (tf.type === 'live') {
      keys(tf, ['type', 'unit', 'value'], '/default_timeframe', out);
      if (!UNITS.includes(String(tf.unit))) out.push({ pointer: '/default_timeframe/unit', detail: `'${String(tf.unit)}' is not a unit (${UNITS.join(', ')})` });
      if (!Number.isInteger(tf.value) || (tf.value as number) < 1) out.push({ pointer: '/default_timeframe/value', detail: 'value must be a positive integer' });
    } else if (tf.type === 'fixed') keys(tf, ['type', 'from', 'to'], '/default_timeframe', out);
    else out.push({ pointer: '/default_timeframe/type', detail: `'${String(tf.type)}' is not one of ['live', 'fixed']` });
  }
  if (!Array.isArray(b.widgets)) {
    if (b.widgets !== undefined) out.push({ pointer: '/widgets', detail: 'widgets must be an array' });
    return out;
  }
  b.widgets.forEach((w, i) => widgetProblems(w, `/widgets/${i}`, out));
  return out;
}

function widgetProblems(w: unknown, at: string, out: Problem[]): void {
  if (!isObj(w)) return void out.push({ pointer: at, detail: 'a widget must be an object' });
  keys(w, ['definition', 'layout'], at, out);
  required(w, ['definition'], at, out);
  const d = w.definition;
  if (!isObj(d)) return;
  const spec = DEFS[String(d.type)];
  if (!spec) return void out.push({ pointer: `${at}/definition/type`, detail: `unsupported widget type '${String(d.type)}' (stand-in knows ${Object.keys(DEFS).join(', ')})` });
  keys(d, spec.keys, `${at}/definition`, out);
  required(d, ['type', 'requests'], `${at}/definition`, out);
  if (isObj(d.time)) {
    keys(d.time, ['live_span'], `${at}/definition/time`, out);
    if (!LIVE_SPANS.includes(String(d.time.live_span))) out.push({ pointer: `${at}/definition/time/live_span`, detail: `'${String(d.time.live_span)}' is not a live span` });
  }
  if (!Array.isArray(d.requests)) return;
  d.requests.forEach((r, j) => {
    const ra = `${at}/definition/requests/${j}`;
    if (!isObj(r)) return void out.push({ pointer: ra, detail: 'a request must be an object' });
    keys(r, spec.request, ra, out);
    if (d.type === 'query_value' && r.response_format !== undefined && r.response_format !== 'scalar') out.push({ pointer: `${ra}/response_format`, detail: 'a query_value request needs response_format scalar' });
    if (d.type === 'timeseries' && r.response_format !== undefined && r.response_format !== 'timeseries') out.push({ pointer: `${ra}/response_format`, detail: 'a timeseries request needs response_format timeseries' });
    if (r.display_type !== undefined && !['line', 'bars', 'area'].includes(String(r.display_type))) out.push({ pointer: `${ra}/display_type`, detail: `'${String(r.display_type)}' is not one of ['line', 'bars', 'area']` });
    const names = new Set<string>();
    (Array.isArray(r.queries) ? r.queries : []).forEach((q, k) => {
      const qa = `${ra}/queries/${k}`;
      if (!isObj(q)) return;
      keys(q, spec.query, qa, out);
      required(q, ['data_source', 'name', 'query'], qa, out);
      if (q.data_source !== undefined && q.data_source !== 'metrics') out.push({ pointer: `${qa}/data_source`, detail: `data_source '${String(q.data_source)}' (the stand-in checks metrics queries only)` });
      if (typeof q.name === 'string') names.add(q.name);
      if (typeof q.query === 'string') out.push(...metricQueryErrors(q.query).map((detail) => ({ pointer: `${qa}/query`, detail })));
      if (q.aggregator !== undefined && !['avg', 'min', 'max', 'sum', 'last', 'area', 'l2norm', 'percentile'].includes(String(q.aggregator))) out.push({ pointer: `${qa}/aggregator`, detail: `'${String(q.aggregator)}' is not an aggregator` });
    });
    (Array.isArray(r.formulas) ? r.formulas : []).forEach((f, k) => {
      const fa = `${ra}/formulas/${k}`;
      if (!isObj(f)) return;
      keys(f, ['formula', 'alias', 'limit', 'number_format', 'style', 'cell_display_mode', 'conditional_formats'], fa, out);
      if (typeof f.formula !== 'string') out.push({ pointer: `${fa}/formula`, detail: "'formula' is a required property" });
      else out.push(...formulaErrors(f.formula, names).map((detail) => ({ pointer: `${fa}/formula`, detail })));
    });
  });
}

const MONITOR_OPTIONS = ['thresholds', 'notify_no_data', 'no_data_timeframe', 'require_full_window', 'include_tags', 'notify_audit', 'new_host_delay', 'new_group_delay', 'evaluation_delay', 'renotify_interval', 'renotify_statuses', 'renotify_occurrences', 'escalation_message', 'timeout_h', 'silenced', 'on_missing_data', 'notification_preset_name', 'locked', 'group_retention_duration', 'min_location_failed', 'notify_by'];

/** POST /api/v1/monitor (and validate): `partial` for PUT, where type and query may be left out. */
export function monitorProblems(b: unknown, partial = false): Problem[] {
  const out: Problem[] = [];
  if (!isObj(b)) return [{ pointer: '', detail: 'Invalid JSON body: expected an object' }];
  keys(b, ['name', 'type', 'query', 'message', 'tags', 'priority', 'options', 'restricted_roles'], '', out);
  if (!partial) required(b, ['type', 'query'], '', out);
  if (b.type !== undefined && !['query alert', 'metric alert'].includes(String(b.type))) out.push({ pointer: '/type', detail: `monitor type '${String(b.type)}' (the stand-in checks metric monitors only)` });
  if (b.priority !== undefined && b.priority !== null && !(Number.isInteger(b.priority) && (b.priority as number) >= 1 && (b.priority as number) <= 5)) out.push({ pointer: '/priority', detail: 'priority must be an integer 1-5 or null' });
  if (b.tags !== undefined && !(Array.isArray(b.tags) && b.tags.every((t) => typeof t === 'string'))) out.push({ pointer: '/tags', detail: 'tags must be a list of strings' });
  const q = typeof b.query === 'string' ? monitorQuery(b.query) : undefined;
  if (q && !q.ok) out.push(...q.errors.map((detail) => ({ pointer: '/query', detail })));
  const o = b.options;
  if (o === undefined) return out;
  if (!isObj(o)) return [...out, { pointer: '/options', detail: 'options must be an object' }];
  keys(o, MONITOR_OPTIONS, '/options', out);
  if (o.no_data_timeframe !== undefined && o.no_data_timeframe !== null && !(Number.isInteger(o.no_data_timeframe) && (o.no_data_timeframe as number) >= 1)) out.push({ pointer: '/options/no_data_timeframe', detail: 'no_data_timeframe must be a positive integer (minutes)' });
  for (const k of ['notify_no_data', 'require_full_window', 'include_tags', 'notify_audit']) if (o[k] !== undefined && typeof o[k] !== 'boolean') out.push({ pointer: `/options/${k}`, detail: `${k} must be a boolean` });
  const t = o.thresholds;
  if (t === undefined) return out;
  if (!isObj(t)) return [...out, { pointer: '/options/thresholds', detail: 'thresholds must be an object' }];
  keys(t, ['critical', 'warning', 'ok', 'critical_recovery', 'warning_recovery', 'unknown'], '/options/thresholds', out);
  for (const [k, v] of Object.entries(t)) if (v !== null && typeof v !== 'number') out.push({ pointer: `/options/thresholds/${k}`, detail: `threshold ${k} must be a number, got ${JSON.stringify(v)}` });
  if (q?.ok && typeof t.critical === 'number' && t.critical !== q.q.threshold) out.push({ pointer: '/options/thresholds/critical', detail: `The alert threshold (${t.critical}) does not match the threshold in the query (${q.q.threshold})` });
  if (q?.ok && typeof t.critical === 'number' && typeof t.warning === 'number') {
    const above = q.q.comparator === '>' || q.q.comparator === '>=';
    if (above ? t.warning >= t.critical : t.warning <= t.critical)
      out.push({ pointer: '/options/thresholds/warning', detail: `Warning threshold (${t.warning}) must be ${above ? 'less' : 'greater'} than the alert threshold (${t.critical}) with comparator ${q.q.comparator}` });
  }
  return out;
}

/** POST/PATCH /api/v2/downtime (JSON:API). */
export function downtimeProblems(b: unknown, update = false): Problem[] {
  const out: Problem[] = [];
  if (!isObj(b) || !isObj(b.data)) return [{ pointer: '/data', detail: "'data' is a required property" }];
  keys(b, ['data'], '', out);
  const d = b.data;
  keys(d, update ? ['type', 'id', 'attributes'] : ['type', 'attributes', 'relationships'], '/data', out);
  if (d.type !== 'downtime') out.push({ pointer: '/data/type', detail: `type must be 'downtime', got ${JSON.stringify(d.type)}` });
  if (!isObj(d.attributes)) return [...out, { pointer: '/data/attributes', detail: "'attributes' is a required property" }];
  const a = d.attributes;
  const at = '/data/attributes';
  keys(a, ['monitor_identifier', 'scope', 'message', 'display_timezone', 'mute_first_recovery_notification', 'notify_end_states', 'notify_end_types', 'schedule'], at, out);
  if (!update) required(a, ['monitor_identifier', 'scope'], at, out);
  const mi = a.monitor_identifier;
  if (mi !== undefined && !(isObj(mi) && ((Number.isInteger(mi.monitor_id) && Object.keys(mi).length === 1) || (Array.isArray(mi.monitor_tags) && Object.keys(mi).length === 1))))
    out.push({ pointer: `${at}/monitor_identifier`, detail: 'monitor_identifier must be {monitor_id: <integer>} or {monitor_tags: [...]}' });
  if (a.display_timezone !== undefined && !isTimezone(a.display_timezone)) out.push({ pointer: `${at}/display_timezone`, detail: `Invalid timezone: ${JSON.stringify(a.display_timezone)} is not an IANA time zone` });
  const enumList = (k: string, allowed: string[]): void => {
    const v = a[k];
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => allowed.includes(String(x))))) out.push({ pointer: `${at}/${k}`, detail: `${k} items must be one of ${allowed.join(', ')}` });
  };
  enumList('notify_end_states', ['alert', 'no data', 'warn']);
  enumList('notify_end_types', ['canceled', 'expired']);
  const s = a.schedule;
  if (s === undefined) return out;
  if (!isObj(s)) return [...out, { pointer: `${at}/schedule`, detail: 'schedule must be an object' }];
  const sa = `${at}/schedule`;
  if (s.recurrences === undefined) {
    keys(s, ['start', 'end'], sa, out);
    return out;
  }
  keys(s, ['timezone', 'recurrences'], sa, out);
  if (s.timezone !== undefined && !isTimezone(s.timezone)) out.push({ pointer: `${sa}/timezone`, detail: `Invalid timezone: ${JSON.stringify(s.timezone)} is not an IANA time zone` });
  if (!Array.isArray(s.recurrences) || s.recurrences.length === 0) return [...out, { pointer: `${sa}/recurrences`, detail: 'recurrences must be a non-empty list' }];
  s.recurrences.forEach((r, i) => {
    const ra = `${sa}/recurrences/${i}`;
    if (!isObj(r)) return void out.push({ pointer: ra, detail: 'a recurrence must be an object' });
    keys(r, ['start', 'duration', 'rrule'], ra, out);
    required(r, ['duration', 'rrule'], ra, out);
    if (r.duration !== undefined && !isDuration(r.duration)) out.push({ pointer: `${ra}/duration`, detail: `Invalid duration ${JSON.stringify(r.duration)}: an integer followed by m, h, d or w` });
    if (typeof r.rrule === 'string') out.push(...rruleErrors(r.rrule).map((detail) => ({ pointer: `${ra}/rrule`, detail })));
    if (r.start !== undefined && !isLocalStart(r.start)) out.push({ pointer: `${ra}/start`, detail: `Invalid start ${JSON.stringify(r.start)}: a local date-time YYYY-MM-DDTHH:MM without a UTC offset (the schedule's timezone applies)` });
  });
  return out;
}
