import { expect } from 'chai';
import { client, v1 } from '@datadog/datadog-api-client';
import { canonicalJson, compareManaged, findUnparsed, project } from '../../../runner/modules/datadog/canonical.js';
import { canonicalMonitor, monitorBody } from '../../../runner/modules/datadog/monitor.js';
import { canonicalDowntime, downtimeMessage } from '../../../runner/modules/datadog/downtime.js';
import {
  DEFAULT_RETRY,
  apiUrlOf,
  explainApiError,
  redact,
  resolveTarget,
  retryDelayMs,
} from '../../../runner/modules/datadog/api.js';

describe('datadog body canonicalisation', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).to.equal(
      '{\n  "a": {\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}',
    );
  });

  it('projects the server copy onto the managed keys, keeping extra array items', () => {
    const actual = { id: 'x', title: 'T', widgets: [{ id: 1, definition: { type: 'note' } }, { id: 2 }] };
    expect(project(actual, { title: 'T', widgets: [{ definition: { type: 'note' } }] })).to.deep.equal({
      title: 'T',
      widgets: [{ definition: { type: 'note' } }, { id: 2 }],
    });
  });

  it('compares managed fields only, and diffs canonical JSON', () => {
    expect(compareManaged({ a: 1, b: 2, created: 'now' }, { b: 2, a: 1 }, 'x')).to.deep.equal({ equal: true, diff: '' });
    const c = compareManaged({ a: 1 }, { a: 2 }, 'monitor 7');
    expect(c.equal).to.equal(false);
    expect(c.diff).to.include('--- monitor 7 (current)');
    expect(c.diff).to.include('-  "a": 1\n+  "a": 2');
    expect(compareManaged({}, { a: 1 }, 'x').diff).to.include('+  "a": 1');
  });

  it('treats monitor tags and downtime end states as sets, downtime starts as wall-clock times', () => {
    expect(canonicalMonitor({ tags: ['b', 'a'] })).to.deep.equal({ tags: ['a', 'b'] });
    expect(canonicalDowntime({ notify_end_states: ['warn', 'alert'], schedule: { recurrences: [{ start: '2026-09-07T19:00:00' }] } })).to.deep.equal({
      notify_end_states: ['alert', 'warn'],
      schedule: { recurrences: [{ start: '19:00' }] },
    });
  });

  it('builds the monitor body from the managed args only (no keys, no api_url)', () => {
    expect(monitorBody({ name: 'M', type: 'query alert', query: 'q', api_url: 'http://x', api_key: 'secret', priority: null })).to.deep.equal({
      name: 'M',
      type: 'query alert',
      query: 'q',
    });
  });

  it('puts the marker in the downtime message once', () => {
    expect(downtimeMessage({ marker: '[m]', message: 'muted' })).to.equal('[m] muted');
    expect(downtimeMessage({ marker: '[m]', message: 'already [m] here' })).to.equal('already [m] here');
    expect(downtimeMessage({ marker: '[m]' })).to.equal('[m]');
  });

  it('finds what the official models could not parse', () => {
    const m = v1.ObjectSerializer.deserialize(
      { title: 't', layout_type: 'ordered', widgets: [{ definition: { type: 'nope' } }] },
      'Dashboard',
      '',
    );
    expect(findUnparsed(m)).to.deep.equal(['$.widgets[0].definition: unexpected value {"type":"nope"}']);
    const ok = v1.ObjectSerializer.deserialize({ title: 't', layout_type: 'free', widgets: [] }, 'Dashboard', '');
    expect(findUnparsed(ok)).to.deep.equal([]);
  });
});

describe('datadog API helpers', () => {
  it('derives the base URL from api_url, site, DD_SITE, then datadoghq.com', () => {
    expect(apiUrlOf({ api_url: 'http://127.0.0.1:8703/' }, {})).to.equal('http://127.0.0.1:8703');
    expect(apiUrlOf({ api_url: '', site: 'datadoghq.eu' }, { DD_SITE: 'us5.datadoghq.com' })).to.equal('https://api.datadoghq.eu');
    expect(apiUrlOf({ site: '' }, { DD_SITE: 'us5.datadoghq.com' })).to.equal('https://api.us5.datadoghq.com');
    expect(apiUrlOf({}, {})).to.equal('https://api.datadoghq.com');
    expect(apiUrlOf({ api_url: 'http://127.0.0.1:8703/{site}/', site: 'datadoghq.eu' }, {})).to.equal('http://127.0.0.1:8703/datadoghq.eu');
  });

  it('takes keys from args or the environment and names the missing one', () => {
    expect(resolveTarget({}, { DD_APP_KEY: 'b' })).to.deep.equal({ error: 'DD_API_KEY is not set (set the environment variable or pass api_key)' });
    expect(resolveTarget({}, { DD_API_KEY: 'a' })).to.have.property('error').that.includes('DD_APP_KEY');
    expect(resolveTarget({ app_key: 'c' }, { DD_API_KEY: 'a', DD_APP_KEY: 'b' })).to.deep.equal({
      apiUrl: 'https://api.datadoghq.com',
      site: 'datadoghq.com',
      apiKey: 'a',
      appKey: 'c',
    });
    expect(resolveTarget({ site: 'app.datadoghq.eu' }, { DD_API_KEY: 'a', DD_APP_KEY: 'b' })).to.have.property('error').that.includes('is not a Datadog site');
  });

  it('retries 429 after X-RateLimit-Reset seconds and 5xx with doubling backoff, both bounded', () => {
    const p = DEFAULT_RETRY;
    expect(retryDelayMs(429, { 'x-ratelimit-reset': '2' }, 0, p)).to.equal(2000);
    expect(retryDelayMs(429, { 'x-ratelimit-reset': '3600' }, 0, p)).to.equal(p.maxWaitMs);
    expect(retryDelayMs(429, {}, 1, p)).to.equal(p.backoffMs * 2);
    expect([0, 1, 2].map((a) => retryDelayMs(503, {}, a, p))).to.deep.equal([500, 1000, 2000]);
    expect(retryDelayMs(500, {}, p.maxRetries, p)).to.equal(undefined);
    expect(retryDelayMs(400, {}, 0, p)).to.equal(undefined);
    expect(retryDelayMs(200, {}, 0, p)).to.equal(undefined);
  });

  it("explains API errors naming the object, with Datadog's errors list", () => {
    const e400 = new client.ApiException(400, { errors: ['Invalid widget', 'bad query'] });
    expect(explainApiError(e400, 'create dashboard "T"', 'u')).to.equal(
      'create dashboard "T" failed: Datadog rejected the request (400): Invalid widget; bad query',
    );
    expect(explainApiError(new client.ApiException(429, {}), 'list monitors', 'u')).to.equal(
      'list monitors failed: still rate limited (429) after 3 retries',
    );
    expect(explainApiError(new client.ApiException(502, 'Unknown API Status Code!\nBody: ""'), 'x', 'u')).to.equal(
      'x failed: Datadog server error (502) after 3 retries',
    );
    expect(explainApiError(new Error('connect ECONNREFUSED'), 'x', 'http://127.0.0.1:1')).to.equal(
      'x failed: cannot reach http://127.0.0.1:1: connect ECONNREFUSED',
    );
  });

  it('redacts keys from any message', () => {
    expect(redact('bad abcd1234 and wxyz9876', { apiKey: 'abcd1234', appKey: 'wxyz9876' })).to.equal('bad *** and ***');
  });
});
