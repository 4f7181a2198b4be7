// get_url: checksum argument and checksum files, the curl config, and probe -> decision (no host).
import { expect } from 'chai';
import { decideGetUrl, displayUrl, getUrlModule, interpretFetch, parseFetched, type GetUrlProbe } from '../../../runner/modules/get_url.js';
import { parseChecksumArg, pickChecksum } from '../../../runner/modules/get_url-checksum.js';
import { curlConfig, curlQuote, urlFilename } from '../../../runner/modules/http-curl.js';
import { parseFileInfo } from '../../../runner/modules/fileinfo.js';
import { cmds, failMsg, reason } from './helpers.js';

const SUM = 'a'.repeat(64);
const file = (extra = ''): GetUrlProbe['info'] =>
  parseFileInfo(`path=/srv/x\ntype=file\nsize=6\nmode=644\nuid=0\ngid=0\nowner=root\ngroup=root\nmtime=1\nkind=regular file\n${extra}`);
const absent = (): GetUrlProbe => ({ info: parseFileInfo('path=/srv/x\ntype=absent\n'), parentExists: true });
const dec = (a: Record<string, unknown>, p: GetUrlProbe, check = false) => decideGetUrl({ url: 'http://h/x', dest: '/srv/x', ...a }, p, { check });

describe('get_url checksum argument', () => {
  it('reads <alg>:<hex>, <alg>:<url> and refuses a value without a colon (Ansible message)', () => {
    expect(parseChecksumArg(`SHA256:${SUM.toUpperCase()}\u200b`)).to.deep.equal({ kind: 'hex', alg: 'sha256', hex: SUM });
    expect(parseChecksumArg('sha256:https://h/SHA256SUMS')).to.deep.equal({ kind: 'url', alg: 'sha256', url: 'https://h/SHA256SUMS' });
    expect(parseChecksumArg('abc')).to.deep.equal({ kind: 'bad', msg: 'The checksum parameter has to be in format <algorithm>:<checksum>' });
    expect(parseChecksumArg(undefined)).to.deep.equal({ kind: 'none' });
  });
  it('picks the digest for the URL file name from a sums file (text, binary, ./ names) or a bare digest', () => {
    const sums = `${'b'.repeat(64)}  other.tgz\n${SUM} *./app.tgz\n`;
    expect(pickChecksum(sums, 'app.tgz')).to.equal(SUM);
    expect(pickChecksum(sums, 'nope.tgz')).to.equal(undefined);
    expect(pickChecksum(`${SUM}\n`, 'anything')).to.equal(SUM);
  });
  it('url_filename: last path segment, query dropped, index.html for a bare host', () => {
    expect(urlFilename('https://h/a/b/app.tgz?x=1#f')).to.equal('app.tgz');
    expect(urlFilename('https://h')).to.equal('index.html');
    expect(urlFilename('https://h/dir/')).to.equal('index.html');
  });
});

describe('get_url curl config (stdin, never argv)', () => {
  it('carries URL, headers and credentials; anyauth unless force_basic_auth', () => {
    const c = curlConfig({ url: 'u', url_username: 'me', url_password: 'p"w\\x', headers: { 'X-A': 'b' }, validate_certs: false, timeout: 5 }, { url: 'http://h/x' });
    expect(c).to.contain('url = "http://h/x"').and.contain('user = "me:p\\"w\\\\x"').and.contain('anyauth').and.contain('header = "X-A: b"').and.contain('insecure');
    expect(c).to.contain('connect-timeout = 5').and.contain('user-agent = "ansible-httpget"');
    expect(curlConfig({ url: 'u', url_username: 'me', url_password: 'x', force_basic_auth: true }, { url: 'u' })).to.match(/\nbasic\n/);
    expect(curlQuote('a\nb\t"')).to.equal('"a\\nb\\t\\""');
  });
  it('never shows user:password@ of a URL', () => {
    expect(displayUrl('https://me:s3cret@h/x')).to.equal('https://h/x');
  });
  it('normalize maps username/password to url_username/url_password', () => {
    expect(getUrlModule.normalize!({ url: 'u', dest: 'd', username: 'a', password: 'b' })).to.deep.equal({ url: 'u', dest: 'd', url_username: 'a', url_password: 'b' });
  });
  it('reads a fetched checksum file: body, status, curl code', () => {
    const b64 = Buffer.from(`${SUM}  x\n\n200 0`).toString('base64');
    expect(parseFetched(`cksum=${b64}\n`)).to.deep.equal({ rc: 0, status: '200', body: `${SUM}  x\n` });
  });
});

describe('get_url decide', () => {
  it('an existing dest with the matching checksum is ok without a download, and says why', () => {
    const p: GetUrlProbe = { info: file(), parentExists: true, destDigest: SUM };
    expect(reason(dec({ checksum: `sha256:${SUM}` }, p))).to.equal(`/srv/x already exists with sha256 ${SUM.slice(0, 12)}…, so nothing is downloaded; mode 0644, owner root, group root`);
    expect(cmds(dec({ checksum: `sha256:${SUM}`, mode: '0600' }, p))).to.deep.equal(['chmod -- 0600 /srv/x']);
  });
  it('a checksum mismatch or force downloads; the password rides in stdin only', () => {
    const p: GetUrlProbe = { info: file(), parentExists: true, destDigest: 'c'.repeat(64) };
    const d = dec({ checksum: `sha256:${SUM}`, url_username: 'u', url_password: 'hunter22' }, p);
    expect(d.kind).to.equal('change');
    if (d.kind !== 'change') return;
    const s = d.steps[0]!;
    expect(s.kind === 'exec' && s.cmd).not.to.contain('hunter22');
    expect(s.kind === 'exec' && String(s.stdin)).to.contain('hunter22');
    expect(s.kind === 'exec' && s.cmd).to.contain(`sha256sum < "$tmp"`);
    expect(dec({ force: true, checksum: `sha256:${SUM}` }, { ...p, destDigest: SUM }).kind).to.equal('change');
  });
  it('without checksum and force an existing dest is fetched with If-Modified-Since (curl -z), as Ansible 2.14 does', () => {
    const d = dec({}, { info: file(), parentExists: true });
    expect(cmds(d)[0]).to.contain('set -- -z "$dest"');
    expect(cmds(dec({ force: true }, { info: file(), parentExists: true }))[0]).to.contain('Cache-Control: no-cache');
  });
  it('fails early: bad checksum hex, unknown algorithm, a missing checksum in a sums file, a missing parent', () => {
    expect(failMsg(dec({ checksum: 'sha256:xyz' }, absent()))).to.equal('The checksum format is invalid');
    expect(failMsg(dec({ checksum: `crc32:${SUM}` }, absent()))).to.match(/crc32 is not supported/);
    const p = { ...absent(), checksumFile: { rc: 0, status: '200', body: `${SUM}  other\n${SUM}  more\n` } };
    expect(failMsg(dec({ checksum: 'sha256:http://h/SUMS' }, p))).to.equal("Unable to find a checksum for file 'x' in 'http://h/SUMS'");
    expect(failMsg(dec({}, { ...absent(), parentExists: false }))).to.equal('Destination /srv does not exist');
  });
  it('--check: a 304 to the HEAD is ok, a 404 fails, a file: URL with the same bytes is ok', () => {
    const p = { info: file(), parentExists: true };
    expect(reason(dec({}, { ...p, check: { rc: 0, status: '304' } }, true))).to.match(/not modified .* \(HTTP 304\)/);
    expect(failMsg(dec({}, { ...p, check: { rc: 0, status: '404' } }, true))).to.equal('Request failed');
    expect(dec({}, { ...p, check: { rc: 0, status: '200' } }, true).kind).to.equal('change');
    expect(dec({ url: 'file:///a' }, { ...p, check: { rc: 0, srcSha1: 'f', finalSha1: 'f' } }, true).kind).to.equal('noop');
  });
});

describe('get_url host report', () => {
  it('changed, same bytes, 304 and failures', () => {
    const out = (stdout: string, code = 0) => interpretFetch({ code, stdout, stderr: '' }, 'http://h/x');
    const yes = out('status_code=200\ndest=/srv/x\nchecksum_src=abc\nmode=640\nowner=root\nplay-changed=yes\n');
    expect(yes).to.deep.equal({ result: { url: 'http://h/x', dest: '/srv/x', checksum_src: 'abc', owner: 'root', status_code: 200, mode: '0640', state: 'file' } });
    expect(out('dest=/srv/x\nchecksum_src=abcdef\nplay-changed=no\n').unchanged).to.equal('/srv/x already has the content of http://h/x (sha1 abcdef…)');
    expect(out('status_code=304\nplay-unchanged=Not Modified\n').unchanged).to.equal('Not Modified');
    expect(out('status_code=404\nplay-fail=Request failed\n')).to.deep.include({ fail: 'Request failed' });
    expect(out('', 1).fail).to.match(/failed \(rc 1\)/);
  });
});
