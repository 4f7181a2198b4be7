// Pure: what the Agent's own commands say about the host, in plain words. Inputs are the outputs
// of `datadog-agent status --json`, `datadog-agent check NAME --json` and `datadog-agent hostname`.

export type Verdict = { ok: true; reason: string; result: Record<string, unknown> } | { ok: false; msg: string; result: Record<string, unknown> };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The JSON document in a command's stdout (the Agent may log lines before it). */
export function jsonIn(stdout: string): unknown {
  const i = stdout.search(/^[[{]/m);
  if (i < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(i));
  } catch {
    return undefined;
  }
}

export interface StatusExpect {
  site: string;
  apm?: boolean;
}

/** Running, API key valid on the site, no forwarder errors. */
export function statusVerdict(stdout: string, stderr: string, code: number, want: StatusExpect): Verdict {
  const s = jsonIn(stdout);
  if (!isObj(s)) {
    const why = (stderr.trim() || stdout.trim()).split('\n').slice(-3).join(' ') || `exit ${code}`;
    return { ok: false, msg: `the Datadog Agent is not running or does not answer: ${why}`, result: {} };
  }
  const problems: string[] = [];
  if (s.running === false) problems.push('the Agent is not running');
  const site = typeof s.site === 'string' ? s.site : isObj(s.config) && typeof s.config.site === 'string' ? s.config.site : undefined;
  if (site !== undefined && site !== want.site) problems.push(`the Agent reports to ${site}, not to datadog_site ${want.site}`);
  const fwd = isObj(s.forwarderStats) ? s.forwarderStats : {};
  const failures = isObj(fwd.APIKeyFailure) ? Object.entries(fwd.APIKeyFailure) : [];
  const statuses = isObj(fwd.APIKeyStatus) ? Object.entries(fwd.APIKeyStatus) : [];
  for (const [k, v] of failures) {
    const text = String(v);
    if (/invalid/i.test(text))
      problems.push(`${want.site} refused the API key (${k}: ${text}): the key is wrong, or the site may be wrong — a key only works on its organization's site (datadog_site / DD_SITE)`);
    else problems.push(`the API key could not be checked on ${want.site} (${k}: ${text})`);
  }
  if (!failures.length && !statuses.some(([, v]) => /valid/i.test(String(v)) && !/invalid/i.test(String(v))))
    problems.push(`no API key status yet for ${want.site}`);
  const tx = isObj(fwd.Transactions) ? fwd.Transactions : {};
  const errors = Number(tx.Errors ?? 0);
  if (errors > 0) {
    const codes = isObj(tx.HTTPErrorsByCode) ? Object.entries(tx.HTTPErrorsByCode).map(([c, n]) => `HTTP ${c} x${String(n)}`) : [];
    const types = isObj(tx.ErrorsByType) ? Object.entries(tx.ErrorsByType).filter(([, n]) => Number(n) > 0).map(([t, n]) => `${t} x${String(n)}`) : [];
    problems.push(`the forwarder has ${errors} failed transaction(s) to ${want.site}${codes.length || types.length ? ` (${[...codes, ...types].join(', ')})` : ''}`);
  }
  const apm = isObj(s.apmStats) ? s.apmStats : undefined;
  if (want.apm && apm && apm.running === false) problems.push('the trace agent (APM) is not running');
  const result = { site: site ?? want.site, running: s.running !== false };
  if (problems.length) return { ok: false, msg: problems.join('; '), result };
  return { ok: true, reason: `Agent running, API key valid for ${want.site}, no forwarder errors`, result };
}

export interface CheckExpect {
  check: string;
  /** A metric that must be reported, with its allowed range and how many values. */
  metric?: string;
  min?: number;
  max?: number;
  count?: number;
  /** A service check that must be OK (0). */
  service_check?: string;
  /** Warnings from the check fail the verification (missing grants show up as warnings). */
  no_warnings?: boolean;
}

interface Metric {
  metric: string;
  points: [number, number][];
}

/** One run of a check: no error, the expected metric values, the service check OK. */
export function checkVerdict(stdout: string, stderr: string, code: number, want: CheckExpect): Verdict {
  const doc = jsonIn(stdout);
  const runs = Array.isArray(doc) ? doc.filter(isObj) : [];
  if (!runs.length) {
    const why = (stderr.trim() || stdout.trim()).split('\n').slice(-3).join(' ') || `exit ${code}`;
    return { ok: false, msg: `datadog-agent check ${want.check} did not run: ${why}`, result: {} };
  }
  const metrics: Metric[] = [];
  const serviceChecks: Obj[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const r of runs) {
    const agg = isObj(r.aggregator) ? r.aggregator : {};
    if (Array.isArray(agg.metrics)) metrics.push(...(agg.metrics.filter(isObj) as unknown as Metric[]));
    if (Array.isArray(agg.service_checks)) serviceChecks.push(...agg.service_checks.filter(isObj));
    const byCheck = isObj(r.runner) && isObj(r.runner.Checks) ? Object.values(r.runner.Checks) : [];
    for (const insts of byCheck) {
      if (!isObj(insts)) continue;
      for (const st of Object.values(insts)) {
        if (!isObj(st)) continue;
        if (typeof st.LastError === 'string' && st.LastError.trim()) errors.push(lastLine(st.LastError));
        if (Array.isArray(st.LastWarnings)) warnings.push(...st.LastWarnings.map(String));
      }
    }
  }
  const problems: string[] = errors.map((e) => `the check failed: ${e}`);
  if (want.no_warnings) problems.push(...warnings.map((w) => `warning: ${w}`));
  const values: number[] = [];
  if (want.metric) {
    for (const m of metrics) if (m.metric === want.metric) for (const p of m.points ?? []) values.push(Number(p[1]));
    const count = want.count ?? 1;
    if (values.length !== count) problems.push(`expected ${count} value(s) of ${want.metric}, got ${values.length}`);
    for (const v of values)
      if ((want.min !== undefined && v < want.min) || (want.max !== undefined && v > want.max))
        problems.push(`${want.metric} = ${v} is outside ${want.min ?? '-inf'}..${want.max ?? '+inf'}`);
  }
  if (want.service_check) {
    const sc = serviceChecks.filter((s) => s.check === want.service_check);
    if (!sc.length) problems.push(`no ${want.service_check} service check`);
    for (const s of sc) if (Number(s.status) !== 0) problems.push(`${want.service_check} is not OK: ${String(s.message ?? '') || `status ${String(s.status)}`}`);
  }
  const result = { metrics: metrics.length, values, warnings };
  if (problems.length) return { ok: false, msg: `datadog-agent check ${want.check}: ${problems.join('; ')}`, result };
  const what = want.metric ? `${want.metric} = ${values.join(', ')}` : `${metrics.length} metric(s)`;
  return { ok: true, reason: `datadog-agent check ${want.check} ran: ${what}${want.service_check ? `, ${want.service_check} OK` : ''}`, result };
}

/** Traces reached the trace agent: apmStats.receiver[].TracesReceived in the status JSON. */
export function tracesVerdict(stdout: string, stderr: string, code: number): Verdict {
  const s = jsonIn(stdout);
  if (!isObj(s)) return { ok: false, msg: `the Datadog Agent does not answer: ${stderr.trim() || `exit ${code}`}`, result: {} };
  const apm = isObj(s.apmStats) ? s.apmStats : {};
  if (apm.enabled === false) return { ok: false, msg: 'APM is disabled in datadog.yaml (apm_config.enabled: false)', result: {} };
  const receivers = Array.isArray(apm.receiver) ? apm.receiver.filter(isObj) : [];
  const traces = receivers.reduce((n, r) => n + Number(r.TracesReceived ?? 0), 0);
  if (traces <= 0) return { ok: false, msg: 'the trace agent has received no traces yet: is the app running under ddtrace-run and sending to DD_AGENT_HOST:DD_TRACE_AGENT_PORT?', result: { traces } };
  return { ok: true, reason: `the trace agent accepted ${traces} trace payload(s)`, result: { traces } };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]!.trim();
}
