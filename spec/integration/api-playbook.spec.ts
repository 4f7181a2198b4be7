// The datadog-api-objects role through the real CLI, against the Datadog API stand-in.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDatadogApi, type DatadogApi } from '../../testbed/datadog-api/server.js';
import { play, recap, results, ROOT } from '../support/play.js';

// Throwaway keys made per run (the stand-in's shapes: 32 and 40 hex), so nothing key-like is committed.
const API_KEY = randomBytes(16).toString('hex');
const APP_KEY = randomBytes(20).toString('hex');

/** An HTTPS front for the stand-in, with a self-signed certificate made now. */
async function httpsFront(target: string, dir: string): Promise<{ url: string; cert: string; close: () => void }> {
  const key = join(dir, 'front-key.pem');
  const cert = join(dir, 'front-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=play test CA', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const to = new URL(target);
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const up = httpRequest({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, cert, close: () => { server.closeAllConnections(); server.close(); } };
}

describe('datadog-api-objects through the runner (API stand-in)', function () {
  let api: DatadogApi;
  let dir: string;
  let playbook: string;
  const env = { DD_API_KEY: API_KEY, DD_APP_KEY: APP_KEY };
  const given = { datadog_hostname: 'dd-exercise', datadog_notify: 'candidate@example.org' };
  const args = (...extra: string[]) => [playbook, '--roles-path', join(ROOT, 'roles'), '--json', '--state-dir', join(dir, 'state'), '-e', JSON.stringify({ dd_api_url: api.url, ...given }), ...extra];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'play-api-'));
    api = await startDatadogApi({ dataFile: join(dir, 'api.json'), apiKey: API_KEY, appKey: APP_KEY });
    playbook = join(dir, 'api.yml');
    writeFileSync(playbook, `- hosts: localhost\n  gather_facts: false\n  roles:\n    - datadog-api-objects\n`);
  });
  after(async () => api.stop());

  it('--check first: reports what it would create and makes no write call', async () => {
    const run = await play(args('--check'), { env, cwd: ROOT });
    expect(run.code, run.stderr).to.equal(0);
    expect(recap(run).localhost!.changed).to.equal(5);
    expect(api.stats().writes).to.equal(0);
  });

  it('creates the two dashboards, the monitor and the two downtimes, then changes nothing', async () => {
    const first = await play(args('--role', 'datadog-api-objects'), { env });
    expect(first.code, first.stderr + first.stdout.slice(-2000)).to.equal(0);
    expect(recap(first).localhost!.changed).to.equal(5);
    expect(api.stats().writes).to.equal(5);
    const second = await play(args(), { env });
    expect(second.code).to.equal(0);
    expect(recap(second).localhost).to.include({ changed: 0, failed: 0 });
    expect(api.stats().writes, 'no write on the second run').to.equal(5);
    for (const r of results(second)) if (r.outcome.status === 'ok' && r.task !== 'Dashboard links') expect(r.outcome.reason).to.match(/already matches/);
    expect(second.stdout).to.match(/Hiring exercise - my_metric \[managed\]: https:\/\/app\.datadoghq\.com\/dashboard\/[a-z0-9-]+\//);
  });

  it('after a threshold edit: exactly one update, with a diff, and no duplicate', async () => {
    const run = await play(args('-D', '-e', '{"dd_monitor_critical": 900}'), { env });
    expect(run.code, run.stderr).to.equal(0);
    const changed = results(run).filter((r) => r.outcome.status === 'changed');
    expect(changed.map((r) => r.task)).to.have.length(1);
    const outcome = changed[0]!.outcome;
    if (outcome.status === 'changed') expect(outcome.diff).to.match(/-\s+"critical": 800[\s\S]*\+\s+"critical": 900/);
    expect(api.stats().writes).to.equal(6);
    const monitors = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')).monitors as Record<string, unknown>;
    expect(Object.keys(monitors)).to.have.length(1);
  });

  it('over HTTPS, trusts a CA given in NODE_EXTRA_CA_CERTS (bin/play defers reading it) and no other', async () => {
    const front = await httpsFront(api.url, dir);
    try {
      const over = (extraCa: string) => play(args('--check', '-e', JSON.stringify({ dd_api_url: front.url })), { env: { ...env, NODE_EXTRA_CA_CERTS: extraCa } });
      const trusted = await over(front.cert);
      expect(trusted.code, trusted.stderr + trusted.stdout.slice(-2000)).to.equal(0);
      expect(recap(trusted).localhost).to.include({ failed: 0 });
      const untrusted = await over('');
      expect(untrusted.code).to.equal(2);
      const failed = results(untrusted).find((r) => r.outcome.status === 'failed');
      expect(failed && failed.outcome.status === 'failed' ? failed.outcome.msg : '').to.match(/self[- ]signed certificate/i);
    } finally {
      front.close();
    }
  });

  it('the notification handle is required: without it nothing runs and the load error names datadog_notify', async () => {
    const run = await play([playbook, '--roles-path', join(ROOT, 'roles'), '--json', '-e', JSON.stringify({ dd_api_url: api.url, datadog_hostname: 'h' })], { env });
    expect(run.code).to.not.equal(0);
    expect(run.stdout + run.stderr).to.match(/missing required variable 'datadog_notify' in role 'datadog-api-objects'/);
    expect(run.stdout + run.stderr).to.not.match(/example\.com/);
  });

  it('keys held in a vault (no DD_API_KEY/DD_APP_KEY in the environment) reach the API tasks', async () => {
    const pass = join(dir, 'vault-pass');
    writeFileSync(pass, randomBytes(12).toString('hex') + '\n');
    const vars = join(dir, 'keys.yml');
    writeFileSync(vars, `datadog_api_key: ${API_KEY}\ndatadog_app_key: ${APP_KEY}\n`);
    execFileSync('ansible-vault', ['encrypt', '--vault-password-file', pass, vars]);
    const vaulted = join(dir, 'api-vault.yml');
    writeFileSync(vaulted, `- hosts: localhost\n  gather_facts: false\n  vars_files: [keys.yml]\n  roles:\n    - datadog-api-objects\n`);
    const run = await play([vaulted, '--roles-path', join(ROOT, 'roles'), '--json', '--check', '--vault-password-file', pass, '-e', JSON.stringify({ dd_api_url: api.url, ...given })], { env: { DD_API_KEY: '', DD_APP_KEY: '' } });
    expect(run.code, run.stderr + run.stdout.slice(-1500)).to.equal(0);
    expect(recap(run).localhost).to.include({ failed: 0 });
    for (const key of [API_KEY, APP_KEY]) expect(run.stdout + run.stderr).to.not.include(key);
  });

  it('a wrong API key: a clear error naming the endpoint, no write, and the key printed nowhere', async () => {
    const wrong = randomBytes(16).toString('hex');
    const run = await play(args(), { env: { ...env, DD_API_KEY: wrong } });
    expect(run.code).to.equal(2);
    const failed = results(run).filter((r) => r.outcome.status === 'failed');
    expect(failed.length).to.be.greaterThan(0);
    if (failed[0]!.outcome.status === 'failed') expect(failed[0]!.outcome.msg).to.match(/DD_API_KEY was rejected by .*\/api\/v1\/validate \(403\)/);
    expect(api.stats().writes).to.equal(6);
    const written = [run.stdout, run.stderr, ...readdirSync(join(dir, 'state')).map((f) => readFileSync(join(dir, 'state', f), 'utf8'))].join('\n');
    for (const key of [wrong, API_KEY, APP_KEY]) expect(written).to.not.include(key);
  });
});
