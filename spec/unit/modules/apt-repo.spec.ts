// apt_repository's SourcesList model and apt_key's ids: probe output -> decision (no host).
import { expect } from 'chai';
import { addSource, dumpSources, parseSourceLine, parseSourcesFile, removeSource, suggestFilename } from '../../../runner/modules/apt-sources.js';
import { decideAptRepository, parseAptSourcesProbe } from '../../../runner/modules/apt_repository.js';
import { decideAptKey, parseKeyId, parseKeyList } from '../../../runner/modules/apt_key.js';
import { cmds, failMsg, reason } from './helpers.js';

const D = '/etc/apt/sources.list.d/';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const probe = (files: Record<string, string>) =>
  parseAptSourcesProbe(`sourcelist=/etc/apt/sources.list\nsourceparts=${D}\n${Object.entries(files).map(([p, t]) => `@@file 644 root:root ${p}\n${b64(t)}\n`).join('')}`);

describe('apt_repository sources model', () => {
  it("suggests Ansible's file names", () => {
    expect(suggestFilename('deb http://127.0.0.1:8702/ stable 7')).to.equal('127_0_0_1_8702.list');
    expect(suggestFilename('deb [arch=amd64 signed-by=/k.gpg] https://u:p@apt.example.com/debian bookworm main')).to.equal('apt_example_com_debian.list');
    expect(suggestFilename('deb http://x/ y', 'google-chrome')).to.equal('google-chrome.list');
  });
  it('parses lines as _parse: disabled, trailing comments, collapsed whitespace, non-sources', () => {
    expect(parseSourceLine('#  deb  http://a  b c # note')).to.deep.equal({ valid: true, enabled: false, source: 'deb http://a b c', comment: 'note' });
    expect(parseSourceLine('#just words')).to.deep.equal({ valid: false, enabled: false, source: 'just words', comment: '' });
  });
  it('add re-enables every match or appends to the suggested file; remove drops enabled matches', () => {
    const files = new Map([[`${D}a.list`, parseSourcesFile('# deb http://a b c\n')]]);
    const again = addSource(files, 'deb http://a b c', D);
    expect(again.ok && dumpSources(again.files).get(`${D}a.list`)).to.equal('deb http://a b c\n');
    const fresh = addSource(files, 'deb http://n/x b c', D);
    expect(fresh.ok && fresh.added).to.equal(`${D}n_x.list`);
    const gone = removeSource(new Map([[`${D}a.list`, parseSourcesFile('deb http://a b c\n')]]), 'deb http://a b c');
    expect(gone.ok && dumpSources(gone.files).size).to.equal(0);
    expect(addSource(files, 'http://a b c', D)).to.deep.equal({ ok: false, msg: 'Invalid repository string: http://a b c' });
  });
});

describe('apt_repository decide', () => {
  it('noop when the line is there and enabled, with the reason', () => {
    expect(reason(decideAptRepository({ repo: 'deb http://a b c' }, probe({ [`${D}a.list`]: 'deb http://a  b c\n' }), { diff: false }))).to.equal('deb http://a b c is already an enabled source');
  });
  it('a new file (mode from the task), then apt-get update that reverts on failure', () => {
    const d = decideAptRepository({ repo: 'deb http://n/x b c', mode: '0600' }, probe({}), { diff: true });
    const c = cmds(d);
    expect(c[0]).to.equal(`put ${D}n_x.list 600`);
    expect(c[1]).to.contain('apt-get update').and.contain(`rm -f -- ${D}n_x.list`);
    expect(d.kind === 'change' && d.diff).to.contain('+deb http://n/x b c');
  });
  it('removing the last line deletes the file; without update_cache there is no update', () => {
    const d = decideAptRepository({ repo: 'deb http://a b c', state: 'absent', update_cache: false }, probe({ [`${D}a.list`]: 'deb http://a b c\n' }), { diff: false });
    expect(cmds(d)).to.deep.equal([`rm -f -- ${D}a.list`]);
  });
  it('ppa: lines fail clearly', () => {
    expect(failMsg(decideAptRepository({ repo: 'ppa:x/y' }, probe({}), { diff: false }))).to.match(/ppa: repositories/);
  });
});

describe('apt_key', () => {
  const listing = 'pub   rsa2048/C0BA5CE6DC6315A3 2021-05-04 [SC]\nuid   x\nsub   rsa4096/6ED0E7B82643E131 2023-01-21 [S]\npub   rsa1024/AAAAAAAABBBBBBBB 2001-01-01 [SC] [expired: 2002-01-01]\n';
  it('lists long ids of pub and sub lines, skipping expired keys; parses ids as parse_key_id', () => {
    expect(parseKeyList(listing)).to.deep.equal(['C0BA5CE6DC6315A3', '6ED0E7B82643E131']);
    expect(parseKeyId('0x35BAA0B33E9EB396F59CA838C0BA5CE6DC6315A3')).to.deep.equal({ ok: true, short: 'DC6315A3', fingerprint: 'C0BA5CE6DC6315A3', keyId: '35BAA0B33E9EB396F59CA838C0BA5CE6DC6315A3' });
    expect(parseKeyId('12345')).to.deep.equal({ ok: false });
  });
  it('present: ok when listed (long or short id); otherwise add and verify; absent: del by short id', () => {
    const keys = parseKeyList(listing);
    expect(reason(decideAptKey({ id: '35BAA0B33E9EB396F59CA838C0BA5CE6DC6315A3' }, { keys }))).to.equal("key C0BA5CE6DC6315A3 is already in apt's keyring");
    expect(reason(decideAptKey({ id: 'DC6315A3' }, { keys }))).to.match(/DC6315A3 is already/);
    const add = cmds(decideAptKey({ url: 'http://k/key.asc' }, { keys: [], derivedId: 'ABCDEF0123456789' }));
    expect(add[0]).to.contain('curl --config -').and.contain("grep -q -- '/ABCDEF0123456789 '");
    expect(cmds(decideAptKey({ id: 'C0BA5CE6DC6315A3', state: 'absent', keyring: '/k.gpg' }, { keys }))[0]).to.contain('apt-key --keyring /k.gpg del DC6315A3');
  });
  it('fails as Ansible: keyserver without id, an invalid id, exclusive sources', () => {
    expect(failMsg(decideAptKey({ keyserver: 'hkp://k' }, { keys: [] }))).to.equal('Missing key_id, required with keyserver.');
    expect(failMsg(decideAptKey({ id: 'xyz' }, { keys: [] }))).to.equal('Invalid key_id');
    expect(failMsg(decideAptKey({ id: 'DC6315A3', url: 'u', data: 'd' }, { keys: [] }))).to.match(/mutually exclusive: data\|url/);
  });
});
