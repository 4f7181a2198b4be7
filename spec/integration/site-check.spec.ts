// --check of playbooks/site.yml on the demo's fresh hosts (127.0.5.2-3) with the fixed-port stand-ins
// (:8701 apt, :8702 pypi, :8703 Datadog API), as testbed/demo.ts runs it: exit 0 and a full plan that
// matches the first real run's changed tasks one for one, with no host changed by the plan.
// Shared addresses and ports: run it under `flock /tmp/play-hosts.lock npx mocha spec/integration/site-check.spec.ts`.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../runner/events.js';
import { startDatadogApi, type DatadogApi } from '../../testbed/datadog-api/server.js';
import { startStandins, type Standins } from '../../testbed/standins/index.js';
import { startTestbed, type Testbed } from '../../testbed/testbed.js';
import { play, type PlayRun } from '../support/play.js';
import { snapshot } from '../support/upper.js';

const SITE = 'datadoghq.eu';
type HostResult = Extract<RunEvent, { kind: 'host_result' }>;

/** host -> task -> status, for every host result of the run (handlers included). */
function table(run: PlayRun): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const e of run.events) {
    if (e.kind !== 'host_result') continue;
    const r = e as HostResult;
    if (!out.has(r.host)) out.set(r.host, new Map());
    out.get(r.host)!.set(r.task, r.outcome.status);
  }
  return out;
}

describe('--check of playbooks/site.yml on the demo\'s fresh hosts', function () {
  this.timeout(1200000);
  let tb: Testbed;
  let standins: Standins;
  let api: DatadogApi;
  let args: string[];
  const env = { DD_API_KEY: randomBytes(16).toString('hex'), DD_APP_KEY: randomBytes(20).toString('hex'), DD_MYSQL_PASSWORD: randomBytes(12).toString('base64url'), DD_SITE: SITE };
  const dir = mkdtempSync(join(tmpdir(), 'play-site-check-'));

  before(async function () {
    tb = await startTestbed({ count: 2, firstIp: '127.0.5.2', baseDir: '/srv/testbed-demo', namePrefix: 'demo', group: 'datadog_hosts' });
    standins = await startStandins({ aptPort: 8701, pypiPort: 8702 });
    api = await startDatadogApi({ port: 8703, dataFile: join(dir, 'datadog-api.json'), apiKey: env.DD_API_KEY, appKey: env.DD_APP_KEY, site: SITE });
    for (const h of tb.hosts) await h.exec(`mkdir -p /etc/datadog-agent && echo '${api.url}/{site}' > /etc/datadog-agent/standin-api-url`);
    args = ['playbooks/site.yml', '-i', 'inventory/demo.yml', '--known-hosts', tb.knownHostsPath, '--state-dir', join(dir, 'state'), '--skip-tags', 'vm', '--json',
      '-e', JSON.stringify({ datadog_apt_key_fingerprints: [standins.keyFingerprint], dd_api_url: `${api.url}/{site}` })];
  });

  after(async function () {
    await tb?.stop();
    await standins?.stop();
    await api?.stop();
  });

  it('plans without failing or changing a host, and the plan matches the first real run one for one', async () => {
    const before = tb.hosts.map((h) => snapshot(h.upperDir));
    const check = await play([...args, '--check'], { env });
    expect(check.code, check.stdout.split('\n').filter((l) => /"failed"/.test(l)).join('\n') + check.stderr).to.equal(0);
    tb.hosts.forEach((h, i) => expect(snapshot(h.upperDir), `${h.name} is not changed under --check`).to.deep.equal(before[i]));
    const plan = check.events.find((e) => e.kind === 'plan');
    expect(plan && plan.kind === 'plan' && plan.total.fail).to.equal(0);

    const first = await play(args, { env });
    expect(first.code, first.stderr.slice(-2000)).to.equal(0);
    const planned = table(check);
    const real = table(first);
    const problems: string[] = [];
    for (const [host, tasks] of real) {
      for (const [task, status] of tasks) {
        const p = planned.get(host)?.get(task);
        if (status === 'changed' && p !== 'changed' && p !== 'unknown') problems.push(`${host}: '${task}' changed, the plan said ${p ?? 'nothing'}`);
      }
    }
    for (const [host, tasks] of planned) {
      for (const [task, status] of tasks) {
        if (status === 'changed' && real.get(host)?.get(task) !== 'changed') problems.push(`${host}: the plan said '${task}' would change, the run said ${real.get(host)?.get(task) ?? 'nothing'}`);
      }
    }
    expect(problems, check.stdout.split('\n').filter((l) => l.includes('host_result')).map((l) => { const e = JSON.parse(l) as HostResult; return `${e.host} ${e.task}: ${JSON.stringify(e.outcome)}`; }).join('\n')).to.deep.equal([]);
  });
});
