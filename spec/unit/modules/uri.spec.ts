// uri: bodies as Ansible encodes them, the response as Ansible returns it, probe -> decision (no host).
import { expect } from 'chai';
import { decideUri, interpretUri, statusCodes, uriModule } from '../../../runner/modules/uri.js';
import { buildBody, formUrlencoded, isJsonType, parseHeaderDump, pyJsonDumps } from '../../../runner/modules/uri-body.js';
import { failMsg, reason } from './helpers.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const answer = (status: number, headers: string, body: string, extra = '') =>
  ({ code: 0, stderr: '', stdout: `status=${status}\nurl=http://h/x\nelapsed=0\nheaders=${b64(headers)}\nbody=${b64(body)}\n${extra}` });

describe('uri bodies', () => {
  it("json.dumps' bytes: ', ' and ': ', non-ASCII escaped; strings pass as pre-formatted JSON", () => {
    expect(pyJsonDumps({ a: 1, b: ['x', true, null], c: 'é' })).to.equal('{"a": 1, "b": ["x", true, null], "c": "\\u00e9"}');
    expect(buildBody('{"raw":1}', 'json', {})).to.deep.equal({ ok: true, text: '{"raw":1}', contentType: 'application/json' });
    expect(buildBody({ a: 1 }, 'json', { 'content-type': 'application/vnd+json' })).to.deep.equal({ ok: true, text: '{"a": 1}' });
  });
  it('form-urlencoded as urlencode(doseq): quote_plus, repeated keys for lists, Python booleans', () => {
    expect(formUrlencoded({ q: 'a b&c/d', l: [1, 2], t: true })).to.equal('q=a+b%26c%2Fd&l=1&l=2&t=True');
    expect(buildBody({ a: 'b' }, 'form-urlencoded', {})).to.deep.equal({ ok: true, text: 'a=b', contentType: 'application/x-www-form-urlencoded' });
    expect(buildBody({}, 'form-multipart', {})).to.deep.include({ ok: false });
  });
  it('status_code: an int, a list, or "200,201"', () => {
    expect(statusCodes(undefined)).to.deep.equal([200]);
    expect(statusCodes([200, '201'])).to.deep.equal([200, 201]);
    expect(statusCodes('200, 204')).to.deep.equal([200, 204]);
    expect(statusCodes('ok')).to.equal(undefined);
  });
});

describe('uri responses', () => {
  it('headers of the last response (after a redirect), lowercased with _; JSON types', () => {
    const h = parseHeaderDump('HTTP/1.1 302 Found\r\nLocation: /y\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/problem+json\r\nX-Req-Id: 1\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n');
    expect(h).to.deep.equal({ statusLine: 'HTTP/1.1 200 OK', headers: { content_type: 'application/problem+json', x_req_id: '1', set_cookie: 'a=1, b=2' } });
    expect(isJsonType('application/problem+json')).to.equal(true);
    expect(isJsonType('text/html; charset=utf-8')).to.equal(false);
  });
  it('a wanted status is ok with json and (return_content) content; another fails with Ansible\'s message', () => {
    const how = { url: 'http://h/x', method: 'GET', codes: [200], returnContent: true };
    const ok = interpretUri(answer(200, 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n', '{"a": 1}'), how);
    expect(ok.result).to.deep.include({ status: 200, json: { a: 1 }, content: '{"a": 1}', msg: 'OK (8 bytes)', redirected: false });
    expect(ok.unchanged).to.equal('GET http://h/x answered 200');
    const bad = interpretUri(answer(404, 'HTTP/1.1 404 Not Found\r\n\r\n', 'nope'), { ...how, codes: [200, 201] });
    expect(bad.fail).to.equal('Status code was 404 and not [200, 201]: HTTP Error 404: Not Found');
    expect(interpretUri({ code: 0, stderr: '', stdout: 'play-fail=Request failed: curl: (7) Failed to connect\n' }, how).fail).to.equal('Status code was -1 and not [200]: Request failed: curl: (7) Failed to connect');
    expect(interpretUri(answer(200, 'HTTP/1.1 200 OK\r\n\r\n', 'x', 'path=/d\nplay-changed=yes\n'), how).unchanged).to.equal(undefined);
  });
});

describe('uri decide', () => {
  it('creates/removes skip with the reason; a bad method fails', () => {
    expect(reason(decideUri({ url: 'http://h/', creates: '/x' }, { createsExists: true }))).to.equal('skipped, since /x exists');
    expect(reason(decideUri({ url: 'http://h/', removes: '/x' }, { removesExists: false }))).to.equal('skipped, since /x does not exist');
    expect(failMsg(decideUri({ url: 'http://h/', method: 'GET x' }, {}))).to.match(/single word in uppercase/);
  });
  it('a POST is a step whose body and password ride in stdin, not in the command', () => {
    const d = decideUri({ url: 'http://h/api', method: 'post', body: { token: 'tok-123456' }, body_format: 'json', url_password: 'hunter22', url_username: 'u' }, {});
    expect(d.kind).to.equal('change');
    if (d.kind !== 'change' || d.steps[0]!.kind !== 'exec') return;
    const s = d.steps[0]!;
    expect(d.summary).to.equal('POST http://h/api');
    expect(s.cmd).not.to.contain('hunter22').and.not.to.contain('tok-123456');
    expect(String(s.stdin)).to.contain('request = "POST"').and.contain('data-raw = "{\\"token\\": \\"tok-123456\\"}"').and.contain('header = "Content-Type: application/json"');
  });
  it('a GET answered in the probe is a noop with the result, or a failure', () => {
    const good = decideUri({ url: 'http://h/x' }, { response: answer(200, 'HTTP/1.1 200 OK\r\n\r\n', 'hi') });
    expect(reason(good)).to.equal('GET http://h/x answered 200');
    expect(failMsg(decideUri({ url: 'http://h/x' }, { response: answer(500, 'HTTP/1.1 500 Oops\r\n\r\n', '') }))).to.equal('Status code was 500 and not [200]: HTTP Error 500: Oops');
  });
  it('normalize maps user/password', () => {
    expect(uriModule.normalize!({ url: 'u', user: 'a', password: 'b' })).to.deep.equal({ url: 'u', url_username: 'a', url_password: 'b' });
  });
});
