// uri on a real test host against a loopback HTTP server: bodies as Ansible encodes them, status
// codes, JSON results, dest and its If-Modified-Since, creates, and no password in any argv.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, results, statuses } from '../support/play.js';
import { basicAuth, fileRoute, startLogServer, type LogServer } from '../support/http-log-server.js';

function allArgv(): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((pid) => {
    try { return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')]; } catch { return []; }
  });
}

describe('uri on a real host', function () {
  this.timeout(120000);
  const tb = useTestbed(1, { namePrefix: 'uri' });
  let srv: LogServer;
  const password = `pw-${randomBytes(6).toString('hex')}`;
  let argvDuringSlow: string[] = [];

  before(async () => {
    srv = await startLogServer();
    srv.routes.set('/api/thing', (req, res, body) => {
      if (req.method === 'POST') { res.writeHead(201, { 'content-type': 'application/json', 'x-id': '7' }).end(JSON.stringify({ created: true, got: body })); return; }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"name": "thing", "n": [1, 2]}');
    });
    srv.routes.set('/api/slow', basicAuth('api', password, async (_q, res) => {
      await new Promise((r) => setTimeout(r, 600));
      argvDuringSlow = allArgv();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('slow\n');
    }));
    srv.routes.set('/files/report.txt', fileRoute(() => 'report\n', () => new Date(Date.now() - 3600_000)));
  });
  after(() => srv.close());

  const run = async (tasks: string, extra: string[] = []) => {
    const pb = join(mkdtempSync(join(tmpdir(), 'play-uri-')), 'pb.yml');
    writeFileSync(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
    return play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', ...extra]);
  };
  const registered = (r: Awaited<ReturnType<typeof run>>, name: string): Record<string, unknown> => {
    const o = results(r, { task: name })[0]!.outcome;
    if (o.status !== 'ok') throw new Error(`${name}: ${JSON.stringify(o)}`);
    return JSON.parse(o.reason.slice(o.reason.indexOf(': ') + 2)) as Record<string, unknown>;
  };
  const sh = async (cmd: string) => (await tb.current.hosts[0]!.exec(cmd)).stdout;

  it('GET is ok (not changed) and returns status, headers and the parsed JSON', async () => {
    const r = await run(`    - name: get\n      uri: {url: "${srv.url}/api/thing"}\n      register: g\n    - name: show\n      debug: {var: g}\n`);
    expect(statuses(r, 'uri1').get, r.stdout.slice(-1500)).to.equal('ok');
    const g = registered(r, 'show');
    expect(g).to.deep.include({ status: 200, json: { name: 'thing', n: [1, 2] }, content_type: 'application/json; charset=utf-8', redirected: false, url: `${srv.url}/api/thing` });
    expect(g).not.to.have.property('content');
  });

  it('POST a JSON body (Python json.dumps bytes, Content-Type added) and a form body; status_code lists; return_content', async () => {
    const n = srv.log.length;
    const r = await run([
      `    - name: json\n      uri: {url: "${srv.url}/api/thing", method: POST, body_format: json, body: {a: 1, b: "é x"}, status_code: [200, 201], return_content: true}\n      register: j\n    - name: show\n      debug: {var: j}\n`,
      `    - name: form\n      uri: {url: "${srv.url}/api/thing", method: POST, body_format: form-urlencoded, body: {q: "a b&c", list: [1, 2]}, status_code: 201}\n`,
    ].join(''));
    expect(statuses(r, 'uri1'), r.stdout.slice(-1500)).to.deep.include({ json: 'ok', form: 'ok' });
    const [json, form] = srv.log.slice(n);
    expect(json!.body).to.equal('{"a": 1, "b": "\\u00e9 x"}');
    expect(json!.headers['content-type']).to.equal('application/json');
    expect(form!.body).to.equal('q=a+b%26c&list=1&list=2');
    expect(form!.headers['content-type']).to.equal('application/x-www-form-urlencoded');
    const j = registered(r, 'show');
    expect(j).to.deep.include({ status: 201, x_id: '7', json: { created: true, got: '{"a": 1, "b": "\\u00e9 x"}' } });
    expect(j.content).to.be.a('string');
  });

  it('a status outside status_code fails with Ansible\'s message; creates skips the request', async () => {
    const n = srv.log.length;
    const r = await run(`    - name: missing\n      uri: {url: "${srv.url}/nope"}\n      ignore_errors: true\n    - name: created\n      uri: {url: "${srv.url}/api/thing", method: DELETE, creates: /etc/hostname}\n`);
    const m = results(r, { task: 'missing' })[0]!.outcome;
    expect(m.status).to.equal('failed');
    if (m.status === 'failed') expect(m.msg).to.equal('Status code was 404 and not [200]: HTTP Error 404: Not Found');
    expect(statuses(r, 'uri1').created).to.equal('ok');
    expect(srv.log.slice(n).map((q) => q.path)).to.deep.equal(['/nope']);
  });

  it('dest: written and changed; a rerun gets 304, which fails unless status_code lists it (as Ansible 2.14); mode set', async () => {
    const task = (codes: string) => `    - name: save\n      uri: {url: "${srv.url}/files/report.txt", dest: /srv/report.txt, mode: "0600", status_code: ${codes}}\n      ignore_errors: true\n`;
    expect(statuses(await run(task('200')), 'uri1').save).to.equal('changed');
    expect(await sh('cat /srv/report.txt; stat -c %a /srv/report.txt')).to.equal('report\n600\n');
    const n = srv.log.length;
    const again = await run(task('200'));
    const o = results(again, { task: 'save' })[0]!.outcome;
    expect(o.status === 'failed' && o.msg).to.equal('Status code was 304 and not [200]: HTTP Error 304: Not Modified');
    expect(srv.log.slice(n)[0]!.headers['if-modified-since']).to.be.a('string');
    expect(statuses(await run(task('[200, 304]')), 'uri1').save).to.equal('ok');
  });

  it('--check: a POST is not sent (would change); a GET is made, read-only, and its answer is real', async () => {
    const n = srv.log.length;
    const check = await run(`    - name: post\n      uri: {url: "${srv.url}/api/thing", method: POST, body: x, status_code: 201}\n    - name: get\n      uri: {url: "${srv.url}/api/thing"}\n      register: g\n    - name: show\n      debug: {var: g}\n`, ['--check']);
    expect(statuses(check, 'uri1'), check.stdout.slice(-1500)).to.deep.include({ post: 'changed', get: 'ok' });
    expect(srv.log.slice(n).map((q) => q.method)).to.deep.equal(['GET']);
    expect(registered(check, 'show')).to.deep.include({ status: 200, json: { name: 'thing', n: [1, 2] } });
  });

  it('credentials ride in stdin, never in an argv or the output', async () => {
    const r = await run(`    - name: slow\n      uri: {url: "${srv.url}/api/slow", url_username: api, url_password: "${password}", force_basic_auth: true, return_content: true}\n`);
    expect(statuses(r, 'uri1').slow, r.stdout.slice(-1500)).to.equal('ok');
    expect(argvDuringSlow.filter((a) => a.includes('curl')).length).to.be.greaterThan(0);
    expect(argvDuringSlow.filter((a) => a.includes(password))).to.deep.equal([]);
    expect(r.stdout + r.stderr).not.to.contain(password);
  });
});
