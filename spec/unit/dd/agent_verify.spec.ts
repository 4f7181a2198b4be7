// datadog_agent_verify's decisions over the Agent's own outputs: plain words for what is wrong.
import { expect } from 'chai';
import { decideVerify, type AgentVerifyArgs } from '../../../runner/modules/dd/agent_verify.js';

const probe = (stdout: string, code = 0, stderr = '') => ({ stdout, stderr, code, missing: false });
const status = (fwd: object, extra: object = {}) => JSON.stringify({ running: true, site: 'datadoghq.eu', apmStats: { enabled: true, running: true }, forwarderStats: fwd, ...extra });
const checkOut = (metrics: { metric: string; v: number }[], err = '', warnings: string[] = [], sc?: { status: number; message?: string }) =>
  'some log line\n' + JSON.stringify([{ aggregator: { metrics: metrics.map((m) => ({ metric: m.metric, points: [[1, m.v]] })), service_checks: sc ? [{ check: 'mysql.can_connect', ...sc }] : [] },
    runner: { Checks: { x: { 'x:1': { LastError: err, LastWarnings: warnings } } } } }]);

describe('datadog_agent_verify', () => {
  const st: AgentVerifyArgs = { what: 'status', site: 'datadoghq.eu' };

  it('status: running with a valid key and no errors is a noop that says so', () => {
    const d = decideVerify(st, probe(status({ APIKeyStatus: { 'API key ending with abcde': 'API Key valid' }, Transactions: { Errors: 0 } })), false);
    expect(d).to.deep.include({ kind: 'noop', reason: 'Agent running, API key valid for datadoghq.eu, no forwarder errors' });
  });

  it('status: a key refused by the site says the site may be wrong, and shows forwarder errors', () => {
    const d = decideVerify(st, probe(status({ APIKeyFailure: { 'API key ending with abcde': 'API Key invalid' }, Transactions: { Errors: 1, HTTPErrorsByCode: { 403: 1 } } })), false);
    expect(d.kind).to.equal('fail');
    if (d.kind === 'fail') {
      expect(d.msg).to.contain('datadoghq.eu refused the API key').and.contain('the site may be wrong');
      expect(d.msg).to.contain('the forwarder has 1 failed transaction(s) to datadoghq.eu (HTTP 403 x1)');
    }
  });

  it('status: an Agent that does not answer, or reports to another site', () => {
    const down = decideVerify(st, probe('', 1, 'Error: could not reach agent'), false);
    expect(down).to.deep.include({ kind: 'fail', msg: 'the Datadog Agent is not running or does not answer: Error: could not reach agent' });
    const other = decideVerify(st, probe(status({ APIKeyStatus: { k: 'API Key valid' } }, { site: 'datadoghq.com' })), false);
    expect(other.kind === 'fail' && other.msg).to.contain('the Agent reports to datadoghq.com, not to datadog_site datadoghq.eu');
  });

  it('check: one my_metric value in 0..1000, else what is off', () => {
    const a: AgentVerifyArgs = { what: 'check', check: 'my_metric', metric: 'my_metric', min: 0, max: 1000, count: 1 };
    expect(decideVerify(a, probe(checkOut([{ metric: 'my_metric', v: 417 }])), false)).to.deep.include({ kind: 'noop', reason: 'datadog-agent check my_metric ran: my_metric = 417' });
    const out = decideVerify(a, probe(checkOut([{ metric: 'my_metric', v: 1001 }, { metric: 'my_metric', v: 3 }])), false);
    expect(out.kind === 'fail' && out.msg).to.equal('datadog-agent check my_metric: expected 1 value(s) of my_metric, got 2; my_metric = 1001 is outside 0..1000');
  });

  it('check: a mysql login failure or a missing grant is named', () => {
    const a: AgentVerifyArgs = { what: 'check', check: 'mysql', metric: 'mysql.performance.queries', service_check: 'mysql.can_connect', no_warnings: true };
    const login = decideVerify(a, probe(checkOut([], "Exception: Error establishing connection to 127.0.0.1:3306 as datadog: (1045, \"Access denied for user 'datadog'@'localhost'\")", [], { status: 2, message: 'Access denied' }), 1), false);
    expect(login.kind === 'fail' && login.msg).to.contain('the check failed: Exception: Error establishing connection to 127.0.0.1:3306 as datadog').and.contain('mysql.can_connect is not OK: Access denied');
    const grant = decideVerify(a, probe(checkOut([{ metric: 'mysql.performance.queries', v: 5 }], '', ['Privilege error accessing the INNODB status (GRANT PROCESS ON *.* TO the user)'], { status: 0 })), false);
    expect(grant.kind === 'fail' && grant.msg).to.contain('warning: Privilege error accessing the INNODB status');
  });

  it('traces: counts what the trace agent accepted', () => {
    const t = decideVerify({ what: 'traces' }, probe(JSON.stringify({ apmStats: { enabled: true, receiver: [{ TracesReceived: 12 }] } })), false);
    expect(t).to.deep.include({ kind: 'noop', reason: 'the trace agent accepted 12 trace payload(s)' });
    const none = decideVerify({ what: 'traces' }, probe(JSON.stringify({ apmStats: { enabled: true, receiver: [] } })), false);
    expect(none.kind === 'fail' && none.msg).to.contain('the trace agent has received no traces yet');
  });

  it('hostname: the reported name, checked against datadog_hostname; not installed under --check is a noop', () => {
    expect(decideVerify({ what: 'hostname' }, probe('vm-1\n'), false)).to.deep.include({ kind: 'noop', result: { hostname: 'vm-1' } });
    const off = decideVerify({ what: 'hostname', expect_hostname: 'dd-exercise' }, probe('vm-1\n'), false);
    expect(off.kind === 'fail' && off.msg).to.equal('the Agent reports the host as vm-1, but datadog_hostname is dd-exercise');
    expect(decideVerify({ what: 'status' }, { stdout: '', stderr: '', code: 127, missing: true }, true).kind).to.equal('noop');
  });
});
