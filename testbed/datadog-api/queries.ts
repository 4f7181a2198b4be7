// The stand-in's OWN grammar for the queries the roles send (not the client's models): metric
// queries, formulas, monitor queries, RFC 5545 rules, durations, starts and timezones.

const SPACE_AGG = new Set(['avg', 'sum', 'min', 'max']);
const ROLLUP_AGG = new Set(['avg', 'sum', 'min', 'max', 'count']);
const NO_ARG_FNS = new Set(['as_rate', 'as_count']);
const METRIC = /^[A-Za-z][A-Za-z0-9_.]*$/;
const TAG = /^!?[A-Za-z][A-Za-z0-9_.:/-]*$/;

/** `avg:my_metric{host:x} by {resource_name}.rollup(sum, 3600).as_rate()`; errors or []. */
export function metricQueryErrors(q: string): string[] {
  const m = /^([a-z]+):([^{\s]+)\{([^{}]*)\}(?:\s+by\s+\{([^{}]*)\})?((?:\.[a-z_]+\([^()]*\))*)$/.exec(q.trim());
  if (!m) return [`Invalid query: ${JSON.stringify(q)} is not <aggregator>:<metric>{<scope>}[ by {<tags>}][.<function>(...)]`];
  const [, agg, metric, scope, by, fns] = m as unknown as [string, string, string, string, string | undefined, string];
  const out: string[] = [];
  if (!SPACE_AGG.has(agg)) out.push(`Invalid query ${JSON.stringify(q)}: unknown space aggregator '${agg}' (avg, sum, min, max)`);
  if (!METRIC.test(metric)) out.push(`Invalid query ${JSON.stringify(q)}: bad metric name '${metric}'`);
  if (scope.trim() !== '*') for (const t of scope.split(',')) if (!TAG.test(t.trim())) out.push(`Invalid query ${JSON.stringify(q)}: bad scope tag '${t.trim()}'`);
  if (by !== undefined) for (const t of by.split(',')) if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(t.trim())) out.push(`Invalid query ${JSON.stringify(q)}: bad group-by tag '${t.trim()}'`);
  for (const f of fns.matchAll(/\.([a-z_]+)\(([^()]*)\)/g)) {
    const [, name, rawArgs] = f as unknown as [string, string, string];
    const args = rawArgs.split(',').map((a) => a.trim()).filter(Boolean);
    if (NO_ARG_FNS.has(name)) {
      if (args.length) out.push(`Invalid query ${JSON.stringify(q)}: .${name}() takes no argument`);
    } else if (name === 'rollup') {
      if (!args.length || args.length > 2 || !ROLLUP_AGG.has(args[0]!) || (args[1] !== undefined && !/^\d+$/.test(args[1])))
        out.push(`Invalid query ${JSON.stringify(q)}: .rollup(<avg|sum|min|max|count>[, <seconds>])`);
    } else if (name === 'fill') {
      if (args.length < 1 || !/^(null|zero|linear|last)$/.test(args[0]!)) out.push(`Invalid query ${JSON.stringify(q)}: .fill(null|zero|linear|last[, limit])`);
    } else out.push(`Invalid query ${JSON.stringify(q)}: unknown function .${name}()`);
  }
  return out;
}

const FORMULA_FNS = new Set(['anomalies', 'abs', 'log2', 'log10', 'cumsum', 'integral', 'per_second', 'per_minute', 'per_hour', 'timeshift', 'top', 'outliers', 'forecast', 'ewma_3', 'ewma_5', 'median_3']);

/** A formula over the request's query names: `query1`, `dur / hits`, `anomalies(query1, 'basic', 2)`. */
export function formulaErrors(f: string, names: Set<string>): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const ch of f) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) break;
  }
  if (depth !== 0) return [`Invalid formula ${JSON.stringify(f)}: unbalanced parentheses`];
  const anomalies = /anomalies\(([^,()]+),\s*'([^']*)'\s*,\s*([^()]+)\)/.exec(f);
  if (/anomalies\(/.test(f)) {
    if (!anomalies) out.push(`Invalid formula ${JSON.stringify(f)}: anomalies(<query>, '<basic|agile|robust>', <bounds>)`);
    else if (!['basic', 'agile', 'robust'].includes(anomalies[2]!)) out.push(`Invalid formula ${JSON.stringify(f)}: unknown anomaly algorithm '${anomalies[2]}'`);
    else if (!(Number(anomalies[3]) > 0)) out.push(`Invalid formula ${JSON.stringify(f)}: anomaly bounds must be a positive number`);
  }
  const stripped = f.replace(/'[^']*'/g, '');
  for (const [id] of stripped.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    if (FORMULA_FNS.has(id) || names.has(id)) continue;
    out.push(`Invalid formula ${JSON.stringify(f)}: '${id}' is not a query name of this request (${[...names].join(', ')})`);
  }
  return out;
}

export interface MonitorQuery {
  comparator: '>' | '>=' | '<' | '<=';
  threshold: number;
}

/** `avg(last_5m):avg:my_metric{*} by {host} > 800`. */
export function monitorQuery(q: string): { ok: true; q: MonitorQuery } | { ok: false; errors: string[] } {
  const m = /^(avg|sum|min|max|change|pct_change)\((last_\d+[mhdw])\):(.+?)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$/.exec(q.trim());
  if (!m) return { ok: false, errors: [`The value provided for parameter 'query' is invalid: ${JSON.stringify(q)} is not <time_aggr>(last_<N><m|h|d|w>):<metric query> <comparator> <threshold>`] };
  const inner = metricQueryErrors(m[3]!);
  if (inner.length) return { ok: false, errors: inner };
  return { ok: true, q: { comparator: m[4] as MonitorQuery['comparator'], threshold: Number(m[5]) } };
}

const RRULE_KEYS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'WKST', 'BYHOUR', 'BYMINUTE', 'BYYEARDAY', 'BYWEEKNO']);
const FREQS = new Set(['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);

/** RFC 5545 RRULE without DTSTART/DTEND/DURATION (Datadog takes those from start/duration). */
export function rruleErrors(r: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const part of r.split(';')) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    if (['DTSTART', 'DTEND', 'DURATION'].includes(k)) out.push(`rrule: ${k} is not supported (use start and duration)`);
    else if (!RRULE_KEYS.has(k)) out.push(`rrule: unknown part ${JSON.stringify(part)}`);
    else if (seen.has(k)) out.push(`rrule: ${k} appears twice`);
    seen.add(k);
    if (k === 'FREQ' && !FREQS.has(v)) out.push(`rrule: FREQ=${v} is not a frequency`);
    if ((k === 'INTERVAL' || k === 'COUNT') && !/^[1-9]\d*$/.test(v)) out.push(`rrule: ${k}=${v} must be a positive integer`);
    if (k === 'BYDAY' && !v.split(',').every((d) => /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/.test(d))) out.push(`rrule: BYDAY=${v} has an unknown day`);
    if (k === 'UNTIL' && !/^\d{8}(T\d{6}Z?)?$/.test(v)) out.push(`rrule: UNTIL=${v} is not a date`);
  }
  if (!seen.has('FREQ')) out.push('rrule: FREQ is required');
  return out;
}

export const isDuration = (d: unknown): boolean => typeof d === 'string' && /^[1-9]\d*[mhdw]$/.test(d);

/** Local date-time without offset: "2026-09-07T19:00" or with seconds. */
export const isLocalStart = (s: unknown): boolean => typeof s === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(s);

export function isTimezone(tz: unknown): boolean {
  if (typeof tz !== 'string' || !/^[A-Za-z]/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
