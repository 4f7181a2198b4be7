// The exercise end to end: playbooks/site.yml through the CLI against a real test host (sshd in
// namespaces over an overlay of /) with the offline stand-ins as apt repo, package index and the
// Datadog API of a non-US site (datadoghq.eu): the Agent's key check and the API calls both go there.
// Env: PLAY_TESTBED_FIRST_IP (default 127.0.20.2), PLAY_TESTBED_DIR (default /srv/testbed-e2).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import type { RunEvent } from '../../runner/events.js';
import { CLI } from '../support/play.js';
import { startStandins, type Standins } from '../../testbed/standins/index.js';
import { startDatadogApi, type DatadogApi } from '../../testbed/datadog-api/server.js';
import { randomBytes } from 'node:crypto';
import { startTestbed, type Testbed } from '../../testbed/testbed.js';
import type { TestHost } from '../../testbed/host.js';

const ROOT = join(import.meta.dirname, '..', '..');
const API_KEY = randomBytes(16).toString('hex');
const APP_KEY = randomBytes(20).toString('hex');
const SITE = 'datadoghq.eu';
/** The name the Agent detects (the host's UTS name), unlike the inventory name. */
const AGENT_HOSTNAME = 'exercise-vm-7';
const DB_PASSWORD = "Db'pw $(x) 7;";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  events: RunEvent[];
}

function runPlay(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, {
      cwd: ROOT, env: { ...process.env, DD_API_KEY: API_KEY, DD_APP_KEY: APP_KEY, DD_SITE: SITE, DD_MYSQL_PASSWORD: DB_PASSWORD, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunEvent);
      resolve({ code: code ?? 1, stdout, stderr, events });
    });
  });
}

function recapOf(run: Run, host: string) {
  const e = run.events.find((x) => x.kind === 'recap');
  if (!e || e.kind !== 'recap') throw new Error(`no recap:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  return e.hosts[host]!;
}

function outcomesOf(run: Run, host: string) {
  const out: Record<string, { status: string; text: string }> = {};
  for (const e of run.events) {
    if (e.kind !== 'host_result' || e.host !== host) continue;
    const o = e.outcome as { status: string; msg?: string; reason?: string };
    out[e.task] = { status: o.status, text: o.msg ?? o.reason ?? '' };
  }
  return out;
}

function failures(run: Run): string {
  return run.events
    .filter((e) => e.kind === 'host_result' && (e.outcome.status === 'failed' || e.outcome.status === 'unreachable'))
    .map((e) => JSON.stringify(e)).join('\n') + run.stderr.slice(-2000);
}

async function sh(host: TestHost, cmd: string): Promise<string> {
  const r = await host.exec(cmd);
  if (r.code !== 0) throw new Error(`${cmd} -> ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('Datadog host roles (playbooks/site.yml on a test host)', function () {
  let standins: Standins;
  let tb: Testbed;
  let host: TestHost;
  let dir: string;
  let args: (extra?: string[]) => string[];
  let first: Run;
  let api: DatadogApi;

  before(async function () {
    standins = await startStandins();
    dir = await fs.mkdtemp(join(tmpdir(), 'roles-spec-'));
    api = await startDatadogApi({ dataFile: join(dir, 'api.json'), apiKey: API_KEY, appKey: APP_KEY, site: SITE });
    tb = await startTestbed({
      count: 1, namePrefix: 'dd', group: 'datadog_hosts',
      firstIp: process.env.PLAY_TESTBED_FIRST_IP ?? '127.0.20.2', baseDir: process.env.PLAY_TESTBED_DIR ?? '/srv/testbed-e2',
    });
    host = tb.hosts[0]!;
    // The host's own name (what a VM would have), and where api.<site> is for the stand-in Agent
    // (DNS and TLS for the real one): the API stand-in, one path per site.
    await sh(host, `hostname ${AGENT_HOSTNAME}`);
    await sh(host, `mkdir -p /etc/datadog-agent && echo '${api.url}/{site}' > /etc/datadog-agent/standin-api-url`);
    const inventory = {
      all: { vars: { datadog_notify: 'candidate@example.org', dd_api_url: `${api.url}/{site}` }, children: { datadog_hosts: {
        hosts: { [host.name]: { ansible_host: host.ip, ansible_user: 'root', ansible_ssh_private_key_file: tb.clientKeyPath } },
        vars: {
          datadog_apt_repo_url: standins.aptUrl,
          datadog_apt_key_urls: [standins.keyUrl],
          datadog_apt_key_fingerprints: [standins.keyFingerprint],
          apm_pip_index_url: standins.pypiUrl,
          apm_flask_version: standins.flaskVersion,
          apm_ddtrace_version: standins.ddtraceVersion,
          datadog_env: 'exercise',
          datadog_host_tags: ['env:exercise', 'role:hiring-exercise'],
        },
      } } },
    };
    await fs.writeFile(join(dir, 'inventory.yml'), stringify(inventory));
    // The VM play (tag vm) has a suite of its own; the first run includes the API play.
    args = (extra = []) => ['playbooks/site.yml', '-i', join(dir, 'inventory.yml'), '--json', '--known-hosts', tb.knownHostsPath, '--skip-tags', 'vm,api', ...extra];
    const all = ['playbooks/site.yml', '-i', join(dir, 'inventory.yml'), '--json', '--known-hosts', tb.knownHostsPath, '--skip-tags', 'vm'];
    first = await runPlay([...all, '--state-dir', join(dir, 'state')]);
  });

  after(async function () {
    await tb?.stop();
    await standins?.stop();
    await api?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('converges the host without failures', () => {
    const r = recapOf(first, host.name);
    expect(r.failed + r.unreachable, failures(first)).to.equal(0);
    expect(r.changed).to.be.greaterThan(10);
    expect(first.code, failures(first)).to.equal(0);
  });

  it('verifies on the host, in plain words: Agent status and key on the site, mysql login, my_metric, traces', () => {
    const o = outcomesOf(first, host.name);
    expect(o['Verify the Agent runs and the API key is valid for the site'], failures(first)).to.deep.equal({ status: 'ok', text: `Agent running, API key valid for ${SITE}, no forwarder errors` });
    expect(o["Verify the Agent's mysql check logs in and reports mysql.* metrics"]!.text).to.match(/^datadog-agent check mysql ran: mysql\.performance\.queries = \d+, mysql\.can_connect OK$/);
    expect(o['Verify my_metric reports one value in 0..1000']!.text).to.match(/^datadog-agent check my_metric ran: my_metric = \d+$/);
    expect(o["Verify the trace agent accepted the app's traces"]!.text).to.match(/^the trace agent accepted \d+ trace payload\(s\)$/);
  });

  it('a non-US site end to end: datadog.yaml says datadoghq.eu and every API call went to it', async () => {
    const conf = parseYaml(await sh(host, 'cat /etc/datadog-agent/datadog.yaml')) as Record<string, any>;
    expect(conf.site).to.equal(SITE);
    const stats = api.stats();
    expect(Object.keys(stats.sites)).to.deep.equal([SITE]);
    expect(stats.writes).to.equal(5);
    expect(first.stdout).to.contain('https://app.datadoghq.eu/dashboard/');
  });

  it("scopes the dashboards to the name the Agent reports, not the inventory's", async () => {
    expect((await sh(host, 'datadog-agent hostname')).trim()).to.equal(AGENT_HOSTNAME);
    expect(outcomesOf(first, host.name)['The name the Agent reports for this host']!.text).to.equal(`the Agent reports the host as ${AGENT_HOSTNAME}`);
    const data = JSON.parse(await fs.readFile(join(dir, 'api.json'), 'utf8')) as { dashboards: Record<string, { widgets: { definition: { requests: { queries?: { query: string }[] }[] } }[] }> };
    const queries = Object.values(data.dashboards).flatMap((d) => d.widgets.flatMap((w) => w.definition.requests.flatMap((r) => (r.queries ?? []).map((q) => q.query))));
    const scoped = queries.filter((q) => q.includes('{host:'));
    expect(scoped.length).to.be.greaterThan(4);
    for (const q of scoped) expect(q).to.contain(`{host:${AGENT_HOSTNAME}}`);
  });

  it('writes datadog.yaml with the key, tags and apm_config, mode 0640 dd-agent:dd-agent', async () => {
    const conf = parseYaml(await sh(host, 'cat /etc/datadog-agent/datadog.yaml')) as Record<string, any>;
    expect(conf.api_key).to.equal(API_KEY);
    expect(conf.tags).to.deep.equal(['env:exercise', 'role:hiring-exercise']);
    expect(conf).to.not.have.property('hostname'); // the Agent detects it
    expect(conf.apm_config).to.deep.equal({ enabled: true });
    expect(conf.process_config.process_collection.enabled).to.equal(true);
    expect((await sh(host, 'stat -c "%a %U %G" /etc/datadog-agent/datadog.yaml')).trim()).to.equal('640 dd-agent dd-agent');
    expect(await sh(host, 'cat /etc/apt/sources.list.d/datadog.list')).to.contain(`deb [signed-by=/usr/share/keyrings/datadog-archive-keyring.gpg] ${standins.aptUrl} stable 7`);
  });

  it("gives 'datadog'@'localhost' exactly the reference grants, and the password works", async () => {
    const grants = (await sh(host, `mysql -N -B -e "SHOW GRANTS FOR 'datadog'@'localhost'"`)).trim().split('\n');
    expect(grants).to.have.length(2);
    // MariaDB >= 10.5 prints REPLICATION CLIENT as BINLOG MONITOR.
    expect(grants[0]).to.match(/^GRANT PROCESS, BINLOG MONITOR ON \*\.\* TO `datadog`@`localhost` IDENTIFIED BY PASSWORD '\*[0-9A-F]{40}' WITH MAX_USER_CONNECTIONS 5$/);
    expect(grants[1]).to.equal('GRANT SELECT ON `performance_schema`.* TO `datadog`@`localhost`');
    const pw = DB_PASSWORD.replace(/'/g, `'\\''`);
    expect((await sh(host, `MYSQL_PWD='${pw}' mysql -u datadog -N -B -e 'SELECT @@performance_schema'`)).trim()).to.equal('1');
    const conf = parseYaml(await sh(host, 'cat /etc/datadog-agent/conf.d/mysql.d/conf.yaml')) as Record<string, any>;
    expect(conf).to.have.property('init_config');
    expect(conf.instances[0]).to.deep.include({ host: '127.0.0.1', port: 3306, username: 'datadog', password: DB_PASSWORD });
    expect((await sh(host, 'stat -c "%a %U" /etc/datadog-agent/conf.d/mysql.d/conf.yaml')).trim()).to.equal('640 dd-agent');
  });

  it('runs my_metric with values spread over 0..1000, min_collection_interval 45, init_config present', async () => {
    const out = await sh(host, 'for i in $(seq 35); do runuser -u dd-agent -- datadog-agent check my_metric; done');
    const values = [...out.matchAll(/"metric": "my_metric",\s*"points": \[\s*\[\s*\d+,\s*([\d.]+)\s*\]/g)].map((m) => Number(m[1]));
    expect(values.length).to.be.at.least(35);
    for (const v of values) expect(Number.isInteger(v) && v >= 0 && v <= 1000, String(v)).to.equal(true);
    expect(Math.max(...values) - Math.min(...values)).to.be.greaterThan(300);
    const conf = parseYaml(await sh(host, 'cat /etc/datadog-agent/conf.d/my_metric.d/conf.yaml')) as Record<string, any>;
    expect(conf).to.have.property('init_config');
    expect(conf.instances[0].min_collection_interval).to.equal(45);
    const py = await sh(host, 'cat /etc/datadog-agent/checks.d/my_metric.py');
    expect(py).to.contain('random.randint(0, 1000)').and.contain('from datadog_checks.base import AgentCheck').and.not.contain('datadog_checks.checks');
    expect((await sh(host, 'stat -c "%a %U" /etc/datadog-agent/checks.d/my_metric.py')).trim()).to.equal('755 dd-agent');
  });

  it('serves /api/apm from a process started by ddtrace-run with DD_SERVICE set', async () => {
    expect((await sh(host, 'curl -s http://127.0.0.1:5050/api/apm')).trim()).to.equal('Getting APM Started');
    const pid = (await sh(host, 'cat /var/run/flask-app.pid')).trim();
    const env = (await sh(host, `tr '\\0' '\\n' < /proc/${pid}/environ`)).split('\n');
    expect(env).to.include.members(['DD_SERVICE=flask-app', 'DD_ENV=exercise', 'DD_VERSION=1.0.0', 'DD_AGENT_HOST=127.0.0.1', 'DD_TRACE_AGENT_PORT=8126']);
    // ddtrace-run puts its bootstrap (sitecustomize) on PYTHONPATH, then execs python.
    expect(env.find((l) => l.startsWith('PYTHONPATH='))).to.match(/ddtrace\/bootstrap/);
    expect(await sh(host, `tr '\\0' ' ' < /proc/${pid}/cmdline`)).to.contain('/opt/flask-app/app.py');
    expect((await sh(host, `stat -c %U /proc/${pid}`)).trim()).to.equal('flaskapp');
  });

  it('keeps the API key and DB password out of output, events and state', async () => {
    const files = await fs.readdir(join(dir, 'state'), { recursive: true, withFileTypes: true });
    const state = (await Promise.all(files.filter((f) => f.isFile()).map((f) => fs.readFile(join(f.parentPath, f.name), 'utf8')))).join('\n');
    expect(state.length).to.be.greaterThan(0);
    for (const secret of [API_KEY, APP_KEY, DB_PASSWORD, JSON.stringify(DB_PASSWORD).slice(1, -1)]) {
      expect(first.stdout).to.not.contain(secret);
      expect(first.stderr).to.not.contain(secret);
      expect(state).to.not.contain(secret);
    }
  });

  it('changes nothing on a second run and does not restart the Agent', async () => {
    const before = (await sh(host, 'wc -l < /var/log/datadog/starts.log')).trim();
    const again = await runPlay(args(['--no-state']));
    const r = recapOf(again, host.name);
    expect(r.failed, failures(again)).to.equal(0);
    const changed = again.events.filter((e) => e.kind === 'host_result' && e.outcome.status === 'changed').map((e) => e.kind === 'host_result' && e.task);
    expect(changed).to.deep.equal([]);
    expect((await sh(host, 'wc -l < /var/log/datadog/starts.log')).trim()).to.equal(before);
  });

  it('restarts the Agent once to verify a new datadog.yaml, and once at the end for check configs', async () => {
    const before = Number(await sh(host, 'wc -l < /var/log/datadog/starts.log'));
    const extra = ['--no-state', '-e', JSON.stringify({ custom_check_min_collection_interval: 60, datadog_host_tags: ['env:exercise', 'role:changed'] })];
    const run = await runPlay(args(extra));
    expect(recapOf(run, host.name).failed, failures(run)).to.equal(0);
    const changed = run.events.filter((e) => e.kind === 'host_result' && e.outcome.status === 'changed').map((e) => e.kind === 'host_result' && e.task);
    expect(changed).to.include.members(['Write /etc/datadog-agent/datadog.yaml', 'Configure the my_metric check', 'restart datadog-agent']);
    expect(changed.filter((t) => t === 'restart datadog-agent')).to.have.length(2);
    expect(Number(await sh(host, 'wc -l < /var/log/datadog/starts.log'))).to.equal(before + 2);
    const conf = parseYaml(await sh(host, 'cat /etc/datadog-agent/conf.d/my_metric.d/conf.yaml')) as Record<string, any>;
    expect(conf.instances[0].min_collection_interval).to.equal(60);
  });

  it('removes legacy unsigned Datadog lines from every sources file', async () => {
    await sh(host, "echo 'deb https://apt.datadoghq.com/ stable 7' > /etc/apt/sources.list.d/old-datadog.list && echo 'deb http://apt.datadoghq.com/ stable main' >> /etc/apt/sources.list");
    const run = await runPlay(args(['--no-state']));
    expect(recapOf(run, host.name).failed, failures(run)).to.equal(0);
    const left = await host.exec("grep -rhE '^[[:space:]]*deb[[:space:]]+https?://apt[.]datadoghq[.]com/' /etc/apt/sources.list /etc/apt/sources.list.d/ || true");
    expect(left.stdout.trim()).to.equal('');
  });

  it('a wrong API key fails the verification, saying the key or the site is wrong', async () => {
    const run = await runPlay(args(['--no-state']), { DD_API_KEY: randomBytes(16).toString('hex') });
    const o = outcomesOf(run, host.name)['Verify the Agent runs and the API key is valid for the site']!;
    expect(o.status).to.equal('failed');
    expect(o.text).to.contain(`${SITE} refused the API key`).and.contain('the site may be wrong').and.contain('HTTP 403');
  });

  it('a wrong site fails the verification the same way, naming the site', async () => {
    const run = await runPlay(args(['--no-state']), { DD_SITE: 'us5.datadoghq.com' });
    const o = outcomesOf(run, host.name)['Verify the Agent runs and the API key is valid for the site']!;
    expect(o.status).to.equal('failed');
    expect(o.text).to.contain('us5.datadoghq.com refused the API key').and.contain('datadog_site / DD_SITE');
  });

  it("a MySQL password that no longer logs in fails the mysql check's verification", async () => {
    await sh(host, `mysql -e "ALTER USER 'datadog'@'localhost' IDENTIFIED BY 'changed-by-the-dba-1'"`);
    const run = await runPlay(args(['--no-state', '-e', '{"datadog_mysql_update_password": "on_create"}']));
    const o = outcomesOf(run, host.name)["Verify the Agent's mysql check logs in and reports mysql.* metrics"]!;
    expect(o.status, failures(run)).to.equal('failed');
    expect(o.text).to.contain('Error establishing connection to 127.0.0.1:3306 as datadog').and.contain('Access denied');
    expect(o.text).to.contain('mysql.can_connect is not OK');
    expect(run.stdout + run.stderr).to.not.contain(DB_PASSWORD);
  });
});
