import { expect } from 'chai';
import { parseUriOutput, uriCommand, uriModule } from '../../../runner/modules/dd/uri.js';

const ctx = { host: 'h', check: false, diff: false, vars: {} };

describe('uri', () => {
  it('runs curl on the host with the URL quoted', () => {
    expect(uriCommand({ url: 'http://127.0.0.1:5050/api/apm' })).to.match(/^curl -sS --max-time 30 -X GET -w [^]*-- http:\/\/127\.0\.0\.1:5050\/api\/apm/);
  });

  it('returns status and content as a noop result', () => {
    const p = parseUriOutput('Getting APM Started\n@@play-status@@200', '', 0);
    const d = uriModule.decide({ url: 'http://x/', return_content: true }, p, ctx);
    expect(d).to.deep.equal({ kind: 'noop', reason: 'http://x/ answered 200', result: { status: 200, url: 'http://x/', content: 'Getting APM Started' } });
  });

  it('fails on an unexpected status or no answer', () => {
    expect(uriModule.decide({ url: 'http://x/' }, parseUriOutput('nope\n@@play-status@@404', '', 0), ctx).kind).to.equal('fail');
    expect(uriModule.decide({ url: 'http://x/', status_code: [200, 404] }, parseUriOutput('nope\n@@play-status@@404', '', 0), ctx).kind).to.equal('noop');
    const down = parseUriOutput('\n@@play-status@@000', 'curl: (7) Failed to connect', 7);
    expect(uriModule.decide({ url: 'http://x/' }, down, ctx)).to.deep.include({ kind: 'fail', msg: 'http://x/: curl: (7) Failed to connect' });
  });
});
