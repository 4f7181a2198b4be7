// decide() on probe data recorded from the stand-in (fixtures/probes.json): create, noop,
// update with diff, absent, duplicates, probe errors, invalid bodies. No network here.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { datadogDashboard, datadogDowntime, datadogMonitor } from '../../../runner/modules/datadog/index.js';
import type { DashboardArgs } from '../../../runner/modules/datadog/dashboard.js';
import type { MonitorArgs } from '../../../runner/modules/datadog/monitor.js';
import type { DowntimeArgs, DowntimeSeen } from '../../../runner/modules/datadog/downtime.js';
import type { ApiProbe } from '../../../runner/modules/datadog/common.js';
import type { DecideContext, Decision } from '../../../runner/modules/types.js';

interface Recorded<A, X = object> {
  args: A;
  probe: ApiProbe<X> & { kind: 'ok' };
}
const rec = JSON.parse(readFileSync(new URL('./fixtures/probes.json', import.meta.url), 'utf8')) as {
  dashboard: Recorded<DashboardArgs>;
  monitor: Recorded<MonitorArgs>;
  downtime: Recorded<DowntimeArgs, DowntimeSeen>;
};
const ctx: DecideContext = { host: 'localhost', check: false, diff: true, vars: {} };
const clone = <T>(x: T): T => structuredClone(x);
const empty = <X>(p: ApiProbe<X> & { kind: 'ok' }): ApiProbe<X> => ({ ...p, matches: [] });

function expectKind<K extends Decision['kind']>(d: Decision, kind: K): Extract<Decision, { kind: K }> {
  expect(d.kind, JSON.stringify(d)).to.equal(kind);
  return d as Extract<Decision, { kind: K }>;
}

describe('datadog_dashboard decide', () => {
  const { args, probe } = rec.dashboard;

  it('creates a missing dashboard with one call step, and writes nothing itself', () => {
    const d = expectKind(datadogDashboard.decide(args, empty(probe), ctx), 'change');
    expect(d.summary).to.equal('create dashboard titled "T"');
    expect(d.steps.map((s) => [s.kind, s.describe])).to.deep.equal([['call', 'POST /api/v1/dashboard "T"']]);
  });

  it('is a no-op when the managed fields match, ignoring id, url, author, timestamps and widget ids', () => {
    const d = expectKind(datadogDashboard.decide(args, probe, ctx), 'noop');
    expect(d.reason).to.equal(`dashboard titled "T" (id ${probe.matches[0]!.id}) already matches`);
    expect(d.result).to.deep.equal({ id: probe.matches[0]!.id, url: probe.matches[0]!.url });
  });

  it('updates with a unified diff of canonical JSON when a query differs', () => {
    const changed = clone(args);
    (changed.definition as any).widgets[0].definition.requests[0].queries[0].query = 'avg:my_metric{host:other}';
    const d = expectKind(datadogDashboard.decide(changed, probe, ctx), 'change');
    expect(d.summary).to.match(/^update dashboard titled "T" \(id [a-z0-9-]+\)$/);
    expect(d.steps[0]!.describe).to.equal(`PUT /api/v1/dashboard/${probe.matches[0]!.id}`);
    expect(d.diff).to.include('-                "query": "avg:my_metric{host:h}"');
    expect(d.diff).to.include('+                "query": "avg:my_metric{host:other}"');
  });

  it('notices a widget that was added by hand (extra array items count)', () => {
    const p = clone(probe);
    const cur = p.matches[0]!.current as { widgets: unknown[] };
    cur.widgets.push(cur.widgets[0]);
    expectKind(datadogDashboard.decide(args, p, ctx), 'change');
  });

  it('state absent: deletes an existing dashboard, no-op with a reason when missing', () => {
    const del = expectKind(datadogDashboard.decide({ ...args, state: 'absent' }, probe, ctx), 'change');
    expect(del.steps[0]!.describe).to.equal(`DELETE /api/v1/dashboard/${probe.matches[0]!.id}`);
    const none = expectKind(datadogDashboard.decide({ ...args, state: 'absent' }, empty(probe), ctx), 'noop');
    expect(none.reason).to.equal('no dashboard titled "T" exists');
  });

  it('refuses to guess between duplicates, naming the ids', () => {
    const p = { ...probe, matches: [{ id: 'aaa-bbb-ccc', current: null }, { id: 'ddd-eee-fff', current: null }] };
    const d = expectKind(datadogDashboard.decide(args, p, ctx), 'fail');
    expect(d.msg).to.equal('dashboard titled "T": duplicates found (ids aaa-bbb-ccc, ddd-eee-fff); refusing to guess');
  });

  it('fails on a probe error, and on a definition the official model rejects', () => {
    const err = expectKind(datadogDashboard.decide(args, { kind: 'error', msg: 'DD_API_KEY was rejected by X (403)' }, ctx), 'fail');
    expect(err.msg).to.equal('dashboard titled "T": DD_API_KEY was rejected by X (403)');
    const bad = clone(args);
    (bad.definition as any).layout_type = 'grid';
    const d = expectKind(datadogDashboard.decide(bad, empty(probe), ctx), 'fail');
    expect(d.msg).to.match(/definition is not a valid Dashboard: Dashboard \$\.layoutType: unexpected value "grid"/);
    const missing = expectKind(datadogDashboard.decide({ ...args, definition: { widgets: [] } }, empty(probe), ctx), 'fail');
    expect(missing.msg).to.include("missing required property 'layoutType'");
  });
});

describe('datadog_monitor decide', () => {
  const { args, probe } = rec.monitor;

  it('is a no-op despite server defaults (notify_audit, new_host_delay, creator, overall_state) and tag order', () => {
    const reordered = { ...args, tags: [...args.tags!].reverse() };
    const d = expectKind(datadogMonitor.decide(reordered, probe, ctx), 'noop');
    expect(d.reason).to.equal('monitor named "M" (id 1000001) already matches');
  });

  it('updates when a threshold changes, showing both values', () => {
    const changed = clone(args);
    (changed.options as any).thresholds.warning = 600;
    const d = expectKind(datadogMonitor.decide(changed, probe, ctx), 'change');
    expect(d.summary).to.equal('update monitor named "M" (id 1000001)');
    expect(d.diff).to.include('-      "warning": 500');
    expect(d.diff).to.include('+      "warning": 600');
  });

  it('creates when missing; requires type and query; rejects an unknown monitor type', () => {
    expect(expectKind(datadogMonitor.decide(args, empty(probe), ctx), 'change').summary).to.equal('create monitor named "M"');
    expect(expectKind(datadogMonitor.decide({ name: 'M' }, empty(probe), ctx), 'fail').msg).to.equal(
      'monitor named "M": type and query are required',
    );
    expect(expectKind(datadogMonitor.decide({ ...args, type: 'metric thing' }, empty(probe), ctx), 'fail').msg).to.include(
      'unexpected value "metric thing"',
    );
  });

  it('absent needs only the name; duplicates fail', () => {
    const d = expectKind(datadogMonitor.decide({ name: 'M', state: 'absent' }, probe, ctx), 'change');
    expect(d.steps[0]!.describe).to.equal('DELETE /api/v1/monitor/1000001');
    const dup = { ...probe, matches: [probe.matches[0]!, { ...probe.matches[0]!, id: '7' }] };
    expect(expectKind(datadogMonitor.decide(args, dup, ctx), 'fail').msg).to.include('duplicates found (ids 1000001, 7)');
  });
});

describe('datadog_downtime decide', () => {
  const { args, probe } = rec.downtime;

  it('is a no-op a week later: the start date moves, the wall-clock time does not', () => {
    const later = { ...probe, now: new Date(Date.parse(probe.now) + 7 * 86400_000).toISOString() };
    const d = expectKind(datadogDowntime.decide(args, later, ctx), 'noop');
    expect(d.reason).to.match(/^downtime marked "\[managed:x nights\]" \(id [0-9a-f-]+\) already matches$/);
  });

  it('updates when the start time or duration changes', () => {
    const d = expectKind(
      datadogDowntime.decide({ ...args, recurrence: { ...args.recurrence!, start_time: '20:00' } }, probe, ctx),
      'change',
    );
    expect(d.diff).to.include('-        "start": "19:00"');
    expect(d.diff).to.include('+        "start": "20:00"');
    expect(d.steps[0]!.describe).to.match(/^PATCH \/api\/v2\/downtime\/[0-9a-f-]+$/);
  });

  it('creates with the monitor id from the probe; the marker leads the message', () => {
    const d = expectKind(datadogDowntime.decide(args, empty(probe), ctx), 'change');
    expect(d.summary).to.equal('create downtime marked "[managed:x nights]"');
  });

  it('fails when the monitor does not exist, but under --check reports the create', () => {
    const noMonitor = { ...empty(probe), monitorId: undefined };
    expect(expectKind(datadogDowntime.decide(args, noMonitor, ctx), 'fail').msg).to.equal(
      'downtime marked "[managed:x nights]": monitor named "M" does not exist',
    );
    const checked = expectKind(datadogDowntime.decide(args, noMonitor, { ...ctx, check: true }), 'change');
    expect(checked.summary).to.equal('create downtime marked "[managed:x nights]" (monitor named "M" does not exist yet)');
  });

  it('absent cancels a live downtime and is a no-op when none is left', () => {
    const d = expectKind(datadogDowntime.decide({ ...args, state: 'absent' }, probe, ctx), 'change');
    expect(d.summary).to.match(/^delete downtime marked .* \(id [0-9a-f-]+\)$/);
    expect(expectKind(datadogDowntime.decide({ ...args, state: 'absent' }, empty(probe), ctx), 'noop').reason).to.equal(
      'no downtime marked "[managed:x nights]" exists',
    );
  });

  it('needs exactly one of monitor_name and monitor_id', () => {
    const both = expectKind(datadogDowntime.decide({ ...args, monitor_id: 5 }, probe, ctx), 'fail');
    expect(both.msg).to.equal('downtime marked "[managed:x nights]": give exactly one of monitor_name and monitor_id');
    expectKind(datadogDowntime.decide({ ...args, monitor_name: undefined }, probe, ctx), 'fail');
  });

  it('fails on an unknown timezone instead of guessing', () => {
    const d = expectKind(datadogDowntime.decide({ ...args, timezone: 'Mars/Olympus' }, empty(probe), ctx), 'fail');
    expect(d.msg).to.match(/^downtime marked "\[managed:x nights\]": .*time zone/i);
  });
});
