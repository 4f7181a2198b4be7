// The datadog-api-objects role's tasks, rendered with the real renderer and run module by module
// through the executor's module pipeline (invokeModule: probe → decide → steps) against the API stand-in. A playbook-level test can reuse `roleTasks`
// and the stand-in once the runner lands.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { v1, v2 } from '@datadog/datadog-api-client';
import { startDatadogApi, type DatadogApi } from '../../testbed/datadog-api/server.js';
import { datadogModules } from '../../runner/modules/datadog/index.js';
import { findUnparsed } from '../../runner/modules/datadog/canonical.js';
import { renderValue } from '../../runner/render/template.js';
import { invokeModule, type ItemRun } from '../../runner/execute/module-run.js';
import { Redactor } from '../../runner/secrets/redact.js';
import type { ModuleDef, ProbeContext } from '../../runner/modules/types.js';
import type { Connection } from '../../runner/connection/types.js';
import type { Outcome, Vars } from '../../runner/types.js';

const ROLE = 'roles/datadog-api-objects';
const API_KEY = 'standin-api-key-0123456789abcdef';
const APP_KEY = 'standin-app-key-fedcba9876543210abcdef';

interface RoleTask {
  name: string;
  module: ModuleDef;
  args: unknown;
}

/** The role's tasks with args rendered from its defaults plus `extra`. */
async function roleTasks(extra: Vars): Promise<RoleTask[]> {
  const defaults = parse(await readFile(join(ROLE, 'defaults/main.yml'), 'utf8')) as Vars;
  // What the playbook passes: the keys (from DD_API_KEY/DD_APP_KEY or a vault), the host and the handle.
  const given = { datadog_api_key: process.env.DD_API_KEY, datadog_app_key: process.env.DD_APP_KEY, datadog_hostname: 'dd-exercise', datadog_notify: 'candidate@example.org' };
  const vars = { ...defaults, ...given, ...extra };
  const tasks = parse(await readFile(join(ROLE, 'tasks/main.yml'), 'utf8')) as Record<string, unknown>[];
  // The API tasks (an assert guards the host name; the last task only prints the dashboard links).
  return tasks.filter((t) => !('debug' in t) && !('assert' in t)).map((t) => {
    const module = datadogModules.find((m) => m.name in t);
    if (!module) throw new Error(`no datadog module in task ${String(t.name)}`);
    const key = module.name;
    return { name: String(renderValue(t.name, vars, 'name')), module, args: renderValue(t[key], vars, key) };
  });
}

const ctx: ProbeContext = { conn: undefined as unknown as Connection, host: 'localhost', vars: {}, diff: true };

interface Ran {
  /** The outcome and registered result, as the executor's module pipeline produced them. */
  run?: ItemRun;
  outcome?: Outcome;
  /** What a step threw: the executor's failure boundary makes it the host's failed result. */
  error?: string;
}

/** One task through the executor's own module pipeline (probe, decide, steps unless checking). */
async function runTask(t: RoleTask, check = false): Promise<Ran> {
  try {
    const run = await invokeModule(t.module, t.args, { conn: ctx.conn, host: 'localhost', vars: {}, check, diff: true, timeoutMs: 60_000, redactor: new Redactor() });
    return { run, outcome: run.outcome };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The outcome's text: a change's summary, a no-op's reason, a failure's message. */
const text = (r: Ran): string => {
  const o = r.outcome;
  if (!o) return `error: ${r.error}`;
  return o.status === 'changed' ? o.summary : o.status === 'ok' ? o.reason : o.status === 'failed' ? o.msg : o.status;
};

async function runAll(tasks: RoleTask[], check = false): Promise<Ran[]> {
  const out: Ran[] = [];
  for (const t of tasks) out.push(await runTask(t, check));
  return out;
}

const kinds = (rs: Ran[]): string[] => rs.map((r) => r.outcome?.status ?? 'error');

describe('datadog-api-objects against the API stand-in', function () {
  let dir: string;
  let dataFile: string;
  let api: DatadogApi;
  const saved = { api: process.env.DD_API_KEY, app: process.env.DD_APP_KEY, site: process.env.DD_SITE };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dd-api-'));
    dataFile = join(dir, 'data.json');
    api = await startDatadogApi({ dataFile, apiKey: API_KEY, appKey: APP_KEY });
    process.env.DD_API_KEY = API_KEY;
    process.env.DD_APP_KEY = APP_KEY;
    delete process.env.DD_SITE;
  });

  afterEach(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
    for (const [k, v] of [['DD_API_KEY', saved.api], ['DD_APP_KEY', saved.app], ['DD_SITE', saved.site]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const stored = async (): Promise<{ dashboards: object; monitors: object; downtimes: Record<string, { attributes: Record<string, unknown> }> }> =>
    JSON.parse(await readFile(dataFile, 'utf8'));

  it('creates all five objects, then a second run changes nothing', async () => {
    const tasks = await roleTasks({ dd_api_url: api.url });
    const first = await runAll(tasks);
    expect(first.map((r) => r.error)).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
    expect(kinds(first)).to.deep.equal(['changed', 'changed', 'changed', 'changed', 'changed']);
    expect(text(first[2]!)).to.equal(
      'create monitor named "Hiring exercise - my_metric high [managed]"',
    );
    // The API's relative url, made a full link on the site.
    expect(first[0]!.run!.result).to.have.property('url').that.matches(/^https:\/\/app\.datadoghq\.com\/dashboard\/[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}\//);
    expect(api.stats().writes).to.equal(5);
    const data = await stored();
    expect(Object.keys(data.dashboards)).to.have.length(2);
    expect(Object.keys(data.monitors)).to.have.length(1);
    expect(Object.keys(data.downtimes)).to.have.length(2);

    const second = await runAll(tasks);
    expect(kinds(second)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok']);
    const reasons = second.map(text);
    expect(reasons[0]).to.match(/^dashboard titled "Hiring exercise - my_metric \[managed\]" \(id [a-z0-9-]+\) already matches$/);
    expect(api.stats().writes).to.equal(5);
  });

  it('sends the reference bodies: host scope, anomalies, rollup, thresholds, downtime schedule', async () => {
    await runAll(await roleTasks({ dd_api_url: api.url }));
    const text = await readFile(dataFile, 'utf8');
    expect(text).to.include('avg:my_metric{host:dd-exercise}');
    expect(text).to.include("anomalies(query1, 'basic', 2)");
    expect(text).to.include('sum:my_metric{host:dd-exercise}.rollup(sum, 3600)');
    const dash = Object.values((await stored()).dashboards).find((d: any) => d.title === 'Hiring exercise - my_metric [managed]') as Record<string, any>;
    expect(dash.default_timeframe).to.deep.equal({ type: 'live', unit: 'minute', value: 5 });
    const qv = dash.widgets.find((w: any) => w.definition.type === 'query_value').definition;
    expect(qv.time).to.deep.equal({ live_span: '1h' });
    expect(qv.requests[0].queries[0]).to.include({ query: 'sum:my_metric{host:dd-exercise}.rollup(sum)', aggregator: 'sum' });
    expect(text).to.include('trace.flask.request.duration{service:flask-app,env:exercise}');
    const data = await stored();
    const mon = Object.values(data.monitors)[0] as Record<string, any>;
    expect(mon.query).to.equal('avg(last_5m):avg:my_metric{*} by {host} > 800');
    expect(mon.options.thresholds).to.deep.equal({ critical: 800, warning: 500 });
    expect(mon.options.no_data_timeframe).to.equal(10);
    expect(mon.message).to.include('{{#is_alert}}ALERT: my_metric averaged {{value}}');
    expect(mon.message).to.match(/@candidate@example\.org$/);
    const dts = Object.values(data.downtimes).map((d) => d.attributes as Record<string, any>);
    const nights = dts.find((a) => a.message.startsWith('[managed:dd-exercise weekday-nights]'))!;
    expect(nights.monitor_identifier).to.deep.equal({ monitor_id: mon.id });
    expect(nights.schedule.timezone).to.equal('Europe/Copenhagen');
    expect(nights.schedule.recurrences[0]).to.include({ duration: '14h', rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=SU,MO,TU,WE,TH,FR' });
    expect(nights.message).to.match(/@candidate@example\.org$/);
    expect(nights.schedule.recurrences[0].start).to.match(/^\d{4}-\d\d-\d\dT19:00:00$/); // seconds added by the API
    const weekend = dts.find((a) => a.message.startsWith('[managed:dd-exercise weekend]'))!;
    expect(weekend.schedule.recurrences[0].start).to.match(/^\d{4}-\d\d-\d\dT00:00:00$/);
    expect(weekend.message).to.match(/@candidate@example\.org$/);
  });

  it('every stored object deserializes with the official client with nothing unparsed', async () => {
    await runAll(await roleTasks({ dd_api_url: api.url }));
    const data = await stored();
    const bad = [
      ...Object.values(data.dashboards).flatMap((d) => findUnparsed(v1.ObjectSerializer.deserialize(d, 'Dashboard', ''))),
      ...Object.values(data.monitors).flatMap((m) => findUnparsed(v1.ObjectSerializer.deserialize(m, 'Monitor', ''))),
      ...Object.values(data.downtimes).flatMap((d) => findUnparsed(v2.ObjectSerializer.deserialize(d, 'DowntimeResponseData', ''))),
    ];
    expect(bad).to.deep.equal([]);
  });

  it('a changed threshold updates the monitor once, with a diff, and creates no duplicate', async () => {
    await runAll(await roleTasks({ dd_api_url: api.url }));
    const edited = await roleTasks({ dd_api_url: api.url, dd_monitor_critical: 900 });
    const run = await runAll(edited);
    expect(kinds(run)).to.deep.equal(['ok', 'ok', 'changed', 'ok', 'ok']);
    const change = run[2]!.outcome as { summary: string; diff: string };
    expect(change.summary).to.match(/^update monitor named ".*" \(id \d+\)$/);
    expect(change.diff).to.include('-  "query": "avg(last_5m):avg:my_metric{*} by {host} > 800"');
    expect(change.diff).to.include('+      "critical": 900,');
    expect(api.stats().writes).to.equal(6);
    expect(Object.keys((await stored()).monitors)).to.have.length(1);
    expect(kinds(await runAll(edited))).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('--check (decide only) makes zero write calls, on a fresh account and after an edit', async () => {
    const fresh = await runAll(await roleTasks({ dd_api_url: api.url }), true);
    expect(kinds(fresh)).to.deep.equal(['changed', 'changed', 'changed', 'changed', 'changed']);
    expect(text(fresh[3]!)).to.include('does not exist yet');
    expect(api.stats().writes).to.equal(0);
    await runAll(await roleTasks({ dd_api_url: api.url }));
    const before = api.stats().writes;
    const edited = await runAll(await roleTasks({ dd_api_url: api.url, datadog_notify: 'oncall@example.com' }), true);
    expect(kinds(edited)).to.deep.equal(['ok', 'ok', 'changed', 'changed', 'changed']);
    expect(api.stats().writes).to.equal(before);
  });

  it('a bad API key fails clearly, never shows the key, and writes nothing', async () => {
    process.env.DD_API_KEY = 'wrong-key-0000000000000000';
    const run = await runAll(await roleTasks({ dd_api_url: api.url }));
    expect(kinds(run)).to.deep.equal(['failed', 'failed', 'failed', 'failed', 'failed']);
    const msg = text(run[0]!);
    expect(msg).to.equal(
      `dashboard titled "Hiring exercise - my_metric [managed]": DD_API_KEY was rejected by ${api.url}/api/v1/validate (403): the key is wrong, or the site may be wrong — datadog_site is datadoghq.com; a key only works on its organization's site (check DD_SITE)`,
    );
    expect(JSON.stringify(run)).not.to.include('wrong-key');
    expect(api.stats().writes).to.equal(0);
  });

  it('a key used on the wrong site is refused, and the message says the site may be wrong', async () => {
    const run = await runAll(await roleTasks({ dd_api_url: `${api.url}/{site}`, datadog_site: 'datadoghq.eu' }));
    expect(kinds(run)).to.deep.equal(['failed', 'failed', 'failed', 'failed', 'failed']);
    expect(text(run[0]!)).to.contain(`DD_API_KEY was rejected by ${api.url}/datadoghq.eu/api/v1/validate (403)`).and.contain('datadog_site is datadoghq.eu');
    expect(api.stats().sites).to.have.property('datadoghq.eu');
    expect(api.stats().writes).to.equal(0);
  });

  it('a body the API rejects shows its JSON:API errors as words', async () => {
    await runAll(await roleTasks({ dd_api_url: api.url }));
    const tasks = await roleTasks({ dd_api_url: api.url, dd_managed_by: 'other' });
    const dt = tasks[3]!;
    (dt.args as { recurrence: { rrule: string } }).recurrence.rrule = 'FREQ=WEEKLY;BYDAY=MO,XX';
    const ran = await runTask(dt);
    expect(ran.error).to.contain('Datadog rejected the request (400)').and.contain('Bad Request: rrule: BYDAY=MO,XX has an unknown day (at /data/attributes/schedule/recurrences/0/rrule)');
    expect(ran.error).to.not.contain('[object Object]');
  });

  it('a bad application key fails naming the call, without the key', async () => {
    process.env.DD_APP_KEY = 'wrong-app-key-000000000000';
    const run = await runTask((await roleTasks({ dd_api_url: api.url }))[2]!);
    expect(run.outcome?.status).to.equal('failed');
    expect(text(run)).to.match(/list monitors at .* failed: permission denied \(403\) — check DD_APP_KEY/);
    expect(JSON.stringify(run)).not.to.include('wrong-app-key');
  });

  it('honours a 429 (waits X-RateLimit-Reset, then succeeds)', async () => {
    const [dash] = await roleTasks({ dd_api_url: api.url });
    api.failNext(429, 2);
    const run = await runTask(dash!);
    expect(run.error).to.equal(undefined);
    expect(run.outcome?.status).to.equal('changed');
    expect(Object.keys((await stored()).dashboards)).to.have.length(1);
    expect(api.stats().requests).to.be.greaterThan(4); // 2 refused + validate + list + create
  });

  it('retries a 5xx with backoff, and reports it when retries run out', async () => {
    const [dash] = await roleTasks({ dd_api_url: api.url });
    api.failNext(500, 2);
    const ok = await runTask(dash!);
    expect(ok.outcome?.status).to.equal('changed');
    expect(ok.error).to.equal(undefined);
    api.failNext(500, 10);
    const failed = await runTask(dash!);
    expect(failed.outcome).to.deep.equal({
      status: 'failed',
      msg: `dashboard titled "Hiring exercise - my_metric [managed]": validating DD_API_KEY at ${api.url} failed: Datadog server error (500) after 3 retries`,
    });
  });

  it("a 400 from Datadog names the object and carries the API's errors", async () => {
    const task: RoleTask = {
      name: 'downtime on a missing monitor',
      module: datadogModules.find((m) => m.name === 'datadog_downtime')!,
      args: { api_url: api.url, marker: '[managed:test]', monitor_id: 42, timezone: 'UTC', recurrence: { rrule: 'FREQ=DAILY', duration: '1h', start_time: '03:00' } },
    };
    const run = await runTask(task);
    expect(run.error).to.equal('create downtime marked "[managed:test]" failed: Datadog rejected the request (400): Bad Request: monitor 42 does not exist (at /data/attributes/monitor_identifier/monitor_id)');
  });

  it('refuses to guess between duplicates', async () => {
    const [dash] = await roleTasks({ dd_api_url: api.url });
    const d = dash!.module.decide(dash!.args, await dash!.module.probe(dash!.args, ctx), { host: 'localhost', check: false, diff: true, vars: {} });
    if (d.kind !== 'change') throw new Error('expected a change');
    for (const s of [...d.steps, ...d.steps]) if (s.kind === 'call') await s.run(); // two dashboards, same title
    const run = await runTask(dash!);
    expect(run.outcome?.status).to.equal('failed');
    expect(text(run)).to.match(/: duplicates found \(ids [a-z0-9-]+, [a-z0-9-]+\); refusing to guess$/);
  });

  it('state absent removes everything, then is a no-op', async () => {
    await runAll(await roleTasks({ dd_api_url: api.url }));
    const absent = await roleTasks({ dd_api_url: api.url, dd_api_objects_state: 'absent' });
    const run = await runAll(absent);
    expect(run.map((r) => r.error)).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
    expect(kinds(run)).to.deep.equal(['changed', 'changed', 'changed', 'changed', 'changed']);
    const data = await stored();
    expect(Object.keys(data.dashboards)).to.have.length(0);
    expect(Object.values(data.downtimes).map((d) => d.attributes.status)).to.deep.equal(['canceled', 'canceled']);
    const again = await runAll(absent);
    expect(kinds(again)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(text(again[0]!)).to.equal('no dashboard titled "Hiring exercise - my_metric [managed]" exists');
  });

  it('the CLI stand-in serves the same data file to another process', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'testbed/datadog-api/cli.ts', '--port', '0', '--data', dataFile], {
      env: { ...process.env, DD_API_KEY: API_KEY, DD_APP_KEY: APP_KEY },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(child.stdout!, 'data')) as [Buffer];
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line.toString())![1]!;
      const [dash] = await roleTasks({ dd_api_url: url });
      expect((await runTask(dash!)).error).to.equal(undefined);
      const stats = (await (await fetch(`${url}/_standin/stats`)).json()) as { writes: number };
      expect(stats.writes).to.equal(1);
      const denied = await fetch(`${url}/api/v1/validate`, { headers: { 'DD-API-KEY': 'nope' } });
      expect(denied.status).to.equal(403);
      expect((await runTask(dash!)).outcome?.status).to.equal('ok'); // seen by the other process
      const [again] = await roleTasks({ dd_api_url: api.url });
      expect((await runTask(again!)).outcome?.status).to.equal('ok'); // and by this one, same file
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
