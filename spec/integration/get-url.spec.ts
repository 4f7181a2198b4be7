// get_url on a real test host against a loopback HTTP server the spec runs: what was requested
// (If-Modified-Since, Cache-Control, auth), idempotence, checksums, and no password in any argv.
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, results, statuses } from '../support/play.js';
import { basicAuth, fileRoute, startLogServer, type LogServer } from '../support/http-log-server.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Every process's argv on this machine (the test hosts' processes included: their pid namespace is a child of ours). */
function allArgv(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch { /* gone */ }
  }
  return out;
}

describe('get_url on a real host', function () {
  this.timeout(120000);
  const tb = useTestbed(1, { namePrefix: 'gu' });
  let srv: LogServer;
  let hello = 'hello v1\n';
  let helloTime = new Date(Date.now() - 3600_000);
  const password = `pw-${randomBytes(6).toString('hex')}`;
  let argvDuringSlow: string[] = [];

  before(async () => {
    srv = await startLogServer();
    srv.routes.set('/files/hello.txt', fileRoute(() => hello, () => helloTime));
    srv.routes.set('/files/SHA256SUMS', (_q, res) => { res.writeHead(200).end(`${sha256('other\n')}  other.txt\n${sha256(hello)} *./hello.txt\n`); });
    srv.routes.set('/secret/data.txt', basicAuth('deploy', password, fileRoute(() => 'secret data\n', () => new Date(0))));
    srv.routes.set('/slow/data.txt', basicAuth('deploy', password, async (_q, res) => {
      await new Promise((r) => setTimeout(r, 600));
      argvDuringSlow = allArgv();
      res.writeHead(200).end('slow data\n');
    }));
    srv.routes.set('/dl', (_q, res) => { res.writeHead(200, { 'content-disposition': 'attachment; filename="named.bin"' }).end('named\n'); });
  });
  after(() => srv.close());

  const run = async (tasks: string, extra: string[] = []) => {
    const pb = join(mkdtempSync(join(tmpdir(), 'play-gu-')), 'pb.yml');
    writeFileSync(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
    return play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', ...extra]);
  };
  const sh = async (cmd: string) => (await tb.current.hosts[0]!.exec(cmd)).stdout;
  const since = (n: number) => srv.log.slice(n);
  /** The registered result a `debug: {var: r}` task named `name` printed. */
  const registered = (r: Awaited<ReturnType<typeof run>>, name: string): Record<string, unknown> => {
    const o = results(r, { task: name })[0]!.outcome;
    if (o.status !== 'ok') throw new Error(`${name}: ${JSON.stringify(o)}`);
    return JSON.parse(o.reason.slice(o.reason.indexOf(': ') + 2)) as Record<string, unknown>;
  };

  it('downloads with mode, then sends If-Modified-Since and is ok on 304; --check changes nothing', async () => {
    const task = `    - name: hello\n      get_url: {url: "${srv.url}/files/hello.txt", dest: /srv/hello.txt, mode: "0640"}\n`;
    const check = await run(task, ['--check']);
    expect(statuses(check, 'gu1').hello, check.stdout.slice(-2000)).to.equal('changed');
    expect(await sh('test -e /srv/hello.txt && echo yes || echo no')).to.equal('no\n');
    expect(srv.log.at(-1)!.method, 'check mode sends a HEAD, as Ansible').to.equal('HEAD');
    const first = await run(`${task}      register: r\n    - name: show\n      debug: {var: r}\n`);
    expect(statuses(first, 'gu1').hello, first.stdout.slice(-2000)).to.equal('changed');
    expect(await sh('cat /srv/hello.txt; stat -c %a /srv/hello.txt')).to.equal('hello v1\n640\n');
    expect(registered(first, 'show')).to.include({ status_code: 200, dest: '/srv/hello.txt', checksum_src: createHash('sha1').update(hello).digest('hex'), mode: '0640' });
    const n = srv.log.length;
    const second = await run(task);
    expect(statuses(second, 'gu1').hello).to.equal('ok');
    expect(since(n).map((q) => [q.method, Boolean(q.headers['if-modified-since'])])).to.deep.equal([['GET', true]]);
    const again = await run(task, ['--check']);
    expect(statuses(again, 'gu1').hello, 'HEAD answered 304').to.equal('ok');
  });

  it('force: yes downloads every time: ok when the bytes match, changed when the server has new ones', async () => {
    const task = `    - name: forced\n      get_url: {url: "${srv.url}/files/hello.txt", dest: /srv/hello.txt, force: true, mode: "0640"}\n`;
    const n = srv.log.length;
    expect(statuses(await run(task), 'gu1').forced).to.equal('ok');
    expect(since(n).map((q) => [q.method, q.headers['cache-control'], q.headers['if-modified-since']])).to.deep.equal([['GET', 'no-cache', undefined]]);
    hello = 'hello v2\n';
    helloTime = new Date();
    expect(statuses(await run(task), 'gu1').forced).to.equal('changed');
    expect(await sh('cat /srv/hello.txt')).to.equal('hello v2\n');
  });

  it('a matching checksum keeps an existing dest without any request; a wrong one fails and writes nothing', async () => {
    const n = srv.log.length;
    const keep = await run(`    - name: kept\n      get_url: {url: "${srv.url}/files/hello.txt", dest: /srv/hello.txt, checksum: "sha256:${sha256(hello)}"}\n`);
    expect(statuses(keep, 'gu1').kept).to.equal('ok');
    expect(since(n), 'no request at all').to.deep.equal([]);
    const bad = await run(`    - name: bad sum\n      get_url: {url: "${srv.url}/files/hello.txt", dest: /srv/bad.txt, checksum: "sha256:${sha256('nope')}"}\n`);
    const r = results(bad, { task: 'bad sum' })[0]!;
    expect(r.outcome.status).to.equal('failed');
    if (r.outcome.status === 'failed') expect(r.outcome.msg).to.match(/The checksum for \/srv\/bad.txt did not match [0-9a-f]{64}; it was [0-9a-f]{64}\./);
    expect(await sh('test -e /srv/bad.txt && echo yes; ls /tmp | grep -c play-get_url || true')).to.equal('0\n');
  });

  it('checksum from a checksum file URL: downloads, then only the checksum file is fetched', async () => {
    const task = `    - name: by sums\n      get_url: {url: "${srv.url}/files/hello.txt", dest: /srv/sums.txt, checksum: "sha256:${srv.url}/files/SHA256SUMS"}\n`;
    expect(statuses(await run(task), 'gu1')['by sums']).to.equal('changed');
    const n = srv.log.length;
    expect(statuses(await run(task), 'gu1')['by sums']).to.equal('ok');
    expect(since(n).map((q) => q.path)).to.deep.equal(['/files/SHA256SUMS']);
  });

  it('basic auth: credentials after the 401 challenge, or up front with force_basic_auth; never in an argv or the output', async () => {
    const n = srv.log.length;
    const t = (name: string, path: string, dest: string, force: boolean) =>
      `    - name: ${name}\n      get_url: {url: "${srv.url}${path}", dest: ${dest}, url_username: deploy, url_password: "${password}", force_basic_auth: ${force}}\n`;
    const r = await run(t('challenged', '/secret/data.txt', '/srv/secret.txt', false) + t('up front', '/slow/data.txt', '/srv/slow.txt', true));
    expect(statuses(r, 'gu1'), r.stdout.slice(-2000)).to.deep.include({ challenged: 'changed', 'up front': 'changed' });
    expect(since(n).map((q) => [q.path, q.headers.authorization !== undefined])).to.deep.equal([
      ['/secret/data.txt', false], ['/secret/data.txt', true], ['/slow/data.txt', true],
    ]);
    expect(await sh('cat /srv/secret.txt /srv/slow.txt')).to.equal('secret data\nslow data\n');
    expect(argvDuringSlow.length).to.be.greaterThan(10);
    expect(argvDuringSlow.filter((a) => a.includes('curl')).length, 'curl was running while the response was held').to.be.greaterThan(0);
    expect(argvDuringSlow.filter((a) => a.includes(password))).to.deep.equal([]);
    expect(r.stdout + r.stderr).not.to.contain(password);
  });

  it('a directory dest takes the name from Content-Disposition; headers are sent; a 404 fails with its status', async () => {
    const n = srv.log.length;
    const r = await run(`    - name: named\n      get_url: {url: "${srv.url}/dl", dest: /srv/, headers: {X-Play: yes please}}\n    - name: missing\n      get_url: {url: "${srv.url}/nope.txt", dest: /srv/nope.txt}\n      ignore_errors: true\n      register: miss\n    - name: show\n      debug: {var: miss}\n`);
    expect(statuses(r, 'gu1')).to.deep.include({ named: 'changed', missing: 'failed' });
    expect(since(n)[0]!.headers['x-play']).to.equal('yes please');
    expect(await sh('cat /srv/named.bin')).to.equal('named\n');
    expect(registered(r, 'show')).to.include({ status_code: 404, msg: 'Request failed' });
    expect(await sh('test -e /srv/nope.txt && echo yes || echo no')).to.equal('no\n');
  });
});
