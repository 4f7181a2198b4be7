// The API stand-in's own rules (testbed/datadog-api): each bad body the real API rejects is
// rejected, with the real error shapes (v1 strings, v2 JSON:API objects); good bodies pass and
// come back normalised. Pure: route() over in-memory data, no server.
import { expect } from 'chai';
import { route, type Reply } from '../../../testbed/datadog-api/routes.js';
import { emptyData, type Data } from '../../../testbed/datadog-api/store.js';
import { errorsOf } from '../../../runner/modules/datadog/api.js';

const now = new Date('2026-12-04T10:00:00Z');
const call = (data: Data, method: string, path: string, body?: unknown): Reply => route(data, { method, path, query: new URLSearchParams(), body, now });

const dashboard = (): Record<string, any> => ({
  title: 'T', layout_type: 'ordered', default_timeframe: { type: 'live', unit: 'minute', value: 5 },
  widgets: [
    { definition: { type: 'timeseries', title: 'a', requests: [{ response_format: 'timeseries', display_type: 'line', queries: [{ data_source: 'metrics', name: 'query1', query: 'avg:mysql.performance.queries{host:h1}' }], formulas: [{ formula: "anomalies(query1, 'basic', 2)" }] }] } },
    { definition: { type: 'query_value', title: 'b', precision: 0, time: { live_span: '1h' }, requests: [{ response_format: 'scalar', queries: [{ data_source: 'metrics', name: 'query1', query: 'sum:my_metric{host:h1}.rollup(sum)', aggregator: 'sum' }], formulas: [{ formula: 'query1' }] }] } },
  ],
});
const monitor = (): Record<string, any> => ({
  name: 'M', type: 'query alert', query: 'avg(last_5m):avg:my_metric{*} by {host} > 800', message: 'x @a@b.c', tags: ['managed-by:x'], priority: 3,
  options: { thresholds: { critical: 800, warning: 500 }, notify_no_data: true, no_data_timeframe: 10 },
});
const downtime = (data: Data): Record<string, any> => {
  const mid = Number(Object.keys(data.monitors)[0]);
  return { data: { type: 'downtime', attributes: { monitor_identifier: { monitor_id: mid }, scope: '*', message: 'm', schedule: { timezone: 'Europe/Copenhagen', recurrences: [{ start: '2026-12-06T19:00', duration: '14h', rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=SU,MO,TU,WE,TH,FR' }] } } } };
};

function v1Errors(r: Reply): string[] {
  expect(r.status).to.equal(400);
  const errs = (r.body as { errors: unknown[] }).errors;
  for (const e of errs) expect(e).to.be.a('string');
  return errs as string[];
}

function v2Errors(r: Reply): { status: string; title: string; detail: string; source?: { pointer: string } }[] {
  expect(r.status).to.equal(400);
  const errs = (r.body as { errors: any[] }).errors;
  for (const e of errs) expect(e).to.include.keys('status', 'title', 'detail');
  return errs;
}

describe('Datadog API stand-in: its own validation', () => {
  let data: Data;
  beforeEach(() => {
    data = emptyData();
    expect(call(data, 'POST', '/api/v1/monitor', monitor()).status).to.equal(200);
  });

  it('accepts the good bodies and normalises them (widget ids, reflow_type, seconds on start, current_downtime)', () => {
    const d = call(data, 'POST', '/api/v1/dashboard', dashboard());
    expect(d.status, JSON.stringify(d.body)).to.equal(200);
    expect((d.body as any).reflow_type).to.equal('auto');
    expect((d.body as any).widgets[0].id).to.be.a('number');
    const t = call(data, 'POST', '/api/v2/downtime', downtime(data));
    expect(t.status, JSON.stringify(t.body)).to.equal(200);
    const sched = (t.body as any).data.attributes.schedule;
    expect(sched.recurrences[0].start).to.equal('2026-12-06T19:00:00');
    expect(sched).to.have.property('current_downtime');
  });

  it('rejects a typo key in a dashboard, a widget and a monitor option (v1 strings)', () => {
    const d = dashboard();
    d.layuot_type = 'ordered';
    d.widgets[0].definition.requests[0].display_typ = 'line';
    expect(v1Errors(call(data, 'POST', '/api/v1/dashboard', d)).join('\n'))
      .to.contain("Additional properties are not allowed ('layuot_type' was unexpected)")
      .and.to.contain("('display_typ' was unexpected) (at /widgets/0/definition/requests/0/display_typ)");
    const m = monitor();
    m.options.notify_no_dat = true;
    expect(v1Errors(call(data, 'POST', '/api/v1/monitor', m))[0]).to.contain("'notify_no_dat' was unexpected");
  });

  it('rejects malformed metric queries, formulas and monitor queries', () => {
    const d = dashboard();
    d.widgets[0].definition.requests[0].queries[0].query = 'avg:mysql.performance.queries{host:h1';
    d.widgets[1].definition.requests[0].formulas[0].formula = 'query2';
    const errs = v1Errors(call(data, 'POST', '/api/v1/dashboard', d)).join('\n');
    expect(errs).to.contain('Invalid query').and.to.contain("'query2' is not a query name");
    const bad = [{ ...monitor(), query: 'avg(last_5m):avg:my_metric{*} by {host} >> 800' }, { ...monitor(), query: 'avg(last_5m):avg:my_metric{*}.rollup(median) > 800' }];
    for (const m of bad) expect(v1Errors(call(data, 'POST', '/api/v1/monitor', m)).join()).to.match(/invalid|Invalid query/);
  });

  it('rejects a warning threshold above critical for >, and a critical that differs from the query', () => {
    const m = monitor();
    m.options.thresholds = { critical: 800, warning: 900 };
    expect(v1Errors(call(data, 'POST', '/api/v1/monitor', m))[0]).to.contain('Warning threshold (900) must be less than the alert threshold (800) with comparator >');
    const below = { ...monitor(), query: 'avg(last_5m):avg:my_metric{*} < 100', options: { thresholds: { critical: 100, warning: 50 } } };
    expect(v1Errors(call(data, 'POST', '/api/v1/monitor', below))[0]).to.contain('must be greater than');
    const mismatch = monitor();
    mismatch.options.thresholds.critical = 700;
    expect(v1Errors(call(data, 'POST', '/api/v1/monitor', mismatch))[0]).to.contain('does not match the threshold in the query (800)');
  });

  for (const [what, change, pointer, text] of [
    ['timezone Mars/Olympus', (b: any) => (b.data.attributes.schedule.timezone = 'Mars/Olympus'), '/data/attributes/schedule/timezone', 'Invalid timezone'],
    ['a bad rrule', (b: any) => (b.data.attributes.schedule.recurrences[0].rrule = 'FREQ=WEEKLY;BYDAY=MO,XX'), '/data/attributes/schedule/recurrences/0/rrule', 'unknown day'],
    ['DTSTART in the rrule', (b: any) => (b.data.attributes.schedule.recurrences[0].rrule = 'DTSTART=20261206T190000;FREQ=DAILY'), '/data/attributes/schedule/recurrences/0/rrule', 'DTSTART is not supported'],
    ['a bad duration', (b: any) => (b.data.attributes.schedule.recurrences[0].duration = '14 hours'), '/data/attributes/schedule/recurrences/0/duration', 'Invalid duration'],
    ['a start with a UTC offset', (b: any) => (b.data.attributes.schedule.recurrences[0].start = '2026-12-06T19:00+01:00'), '/data/attributes/schedule/recurrences/0/start', 'without a UTC offset'],
    ['a typo key', (b: any) => (b.data.attributes.mesage = 'x'), '/data/attributes/mesage', "'mesage' was unexpected"],
  ] as const) {
    it(`rejects a downtime with ${what} (v2 JSON:API error objects)`, () => {
      const b = downtime(data);
      change(b);
      const errs = v2Errors(call(data, 'POST', '/api/v2/downtime', b));
      expect(errs[0]!.status).to.equal('400');
      expect(errs[0]!.title).to.equal('Bad Request');
      expect(errs[0]!.source?.pointer).to.equal(pointer);
      expect(errs[0]!.detail).to.contain(text);
    });
  }

  it('the modules print both error shapes as words, never [object Object]', () => {
    const b = downtime(data);
    b.data.attributes.schedule.timezone = 'Mars/Olympus';
    const v2 = errorsOf(call(data, 'POST', '/api/v2/downtime', b).body);
    expect(v2).to.deep.equal(['Bad Request: Invalid timezone: "Mars/Olympus" is not an IANA time zone (at /data/attributes/schedule/timezone)']);
    expect(errorsOf(JSON.stringify(call(data, 'POST', '/api/v2/downtime', b).body))).to.deep.equal(v2);
    expect(errorsOf({ errors: ['Forbidden'] })).to.deep.equal(['Forbidden']);
  });
});
