// ping, slurp, fetch: what they return, and fetch's layout on the controller.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingModule } from '../../../runner/modules/ping.js';
import { slurpModule } from '../../../runner/modules/slurp.js';
import { decideFetch, fetchDest, fetchModule, parseFetchRemote } from '../../../runner/modules/fetch.js';
import type { ModuleDef, ProbeContext } from '../../../runner/modules/types.js';
import { dctx, failMsg, reason } from './helpers.js';
import { localConn } from './local-conn.js';
import { apply, step } from './round-trip.js';

let dir = '';
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'play-read-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function probeWith<A, P>(m: ModuleDef<A, P>, args: A, vars = {}): Promise<P> {
  const ctx: ProbeContext = { conn: localConn(), host: 'h1', vars, diff: false };
  return m.probe(args, ctx);
}

describe('ping', () => {
  it('returns ping: pong (or data), and fails on data=crash', async () => {
    const d = await step(pingModule, {});
    expect(d.kind === 'noop' && d.result).to.deep.equal({ ping: 'pong' });
    const e = await step(pingModule, { data: 'hi' });
    expect(e.kind === 'noop' && e.result).to.deep.equal({ ping: 'hi' });
    expect(failMsg(await step(pingModule, { data: 'crash' }))).to.equal('boom');
  });
});

describe('slurp', () => {
  it('returns the content in base64 with encoding and source', async () => {
    const src = join(dir, 'f');
    writeFileSync(src, Buffer.from([0, 1, 2, 255]));
    const d = await step(slurpModule, { src });
    expect(d.kind === 'noop' && d.result).to.deep.equal({ content: 'AAEC/w==', encoding: 'base64', source: src });
  });
  it('fails as the module does on a missing file and a directory; path is an alias', async () => {
    expect(failMsg(await step(slurpModule, { src: join(dir, 'nope') }))).to.equal(`file not found: ${join(dir, 'nope')}`);
    expect(failMsg(await step(slurpModule, { src: dir }))).to.equal('source is a directory and must be a file');
    expect(slurpModule.normalize!({ path: '/x' })).to.deep.equal({ src: '/x' });
  });
});

describe('fetch', () => {
  const vars = { inventory_hostname: 'web1', playbook_dir: '/pb' };
  it('lays out dest/<host>/<src>, or dest (dest/ + basename) when flat; relative to the playbook', () => {
    expect(fetchDest({ src: '/etc/motd', dest: 'out' }, vars)).to.equal('/pb/out/web1/etc/motd');
    expect(fetchDest({ src: '/etc/motd', dest: '/o/', flat: true }, vars)).to.equal('/o/motd');
    expect(fetchDest({ src: '/etc/motd', dest: 'x.txt', flat: true }, vars)).to.equal('/pb/x.txt');
  });
  it('writes the file on the controller, then is a noop', async () => {
    const src = join(dir, 'remote.conf');
    writeFileSync(src, 'hello\n');
    const args = { src, dest: join(dir, 'fetched') };
    const v = { inventory_hostname: 'web1' };
    const first = fetchModule.decide(args, await probeWith(fetchModule, args, v), dctx());
    await apply(first);
    const local = join(dir, 'fetched', 'web1', src);
    expect(readFileSync(local, 'utf8')).to.equal('hello\n');
    expect(reason(fetchModule.decide(args, await probeWith(fetchModule, args, v), dctx()))).to.match(/already has the content/);
  });
  it('a missing file fails, or with fail_on_missing: false is ok; check mode does nothing', () => {
    const p = { remote: parseFetchRemote('state=missing\n'), local: { path: '/o/x', isDir: false } };
    expect(failMsg(decideFetch({ src: '/x', dest: '/o' }, p, false))).to.equal('the remote file does not exist, not transferring, ignored');
    expect(reason(decideFetch({ src: '/x', dest: '/o', fail_on_missing: false }, p, false))).to.equal('the remote file does not exist, not transferring, ignored');
    expect(reason(decideFetch({ src: '/x', dest: '/o' }, p, true))).to.match(/check mode not \(yet\) supported/);
  });
  it('flat into an existing directory without a trailing slash is refused', async () => {
    mkdirSync(join(dir, 'o'));
    writeFileSync(join(dir, 'f'), 'x');
    const args = { src: join(dir, 'f'), dest: join(dir, 'o'), flat: true };
    expect(failMsg(fetchModule.decide(args, await probeWith(fetchModule, args), dctx()))).to.match(/use a trailing slash/);
  });
});
