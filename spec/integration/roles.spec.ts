// The Datadog host roles end to end: playbooks/site.yml through the CLI against a real test host
// (sshd in namespaces over an overlay of /) with the offline stand-ins as apt repo and package index.
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
import { startTestbed, type Testbed } from '../../testbed/testbed.js';
import type { TestHost } from '../../testbed/host.js';

const ROOT = join(import.meta.dirname, '..', '..');
const API_KEY = 'e2ab' + 'c0ffee'.repeat(4) + '1234';
const DB_PASSWORD = "Db'pw $(x) 7;";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  events: RunEvent[];
}

function runPlay(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, {
      cwd: ROOT, env: { ...process.env, DD_API_KEY: API_KEY, DD_MYSQL_PASSWORD: DB_PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'],
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

  before(async function () {
    standins = await startStandins();
    tb = await startTestbed({
      count: 1, namePrefix: 'dd', group: 'datadog_hosts',
      firstIp: process.env.PLAY_TESTBED_FIRST_IP ?? '127.0.20.2', baseDir: process.env.PLAY_TESTBED_DIR ?? '/srv/testbed-e2',
    });
    host = tb.hosts[0]!;
    dir = await fs.mkdtemp(join(tmpdir(), 'roles-spec-'));
    const inventory = {
      all: { children: { datadog_hosts: {
        hosts: { [host.name]: { ansible_host: host.ip, ansible_user: 'root', ansible_ssh_private_key_file: tb.clientKeyPath, datadog_hostname: host.name } },
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
    // The VM play (tag vm) and the API play (tag api) have suites of their own.
    args = (extra = []) => ['playbooks/site.yml', '-i', join(dir, 'inventory.yml'), '--json', '--known-hosts', tb.knownHostsPath, '--skip-tags', 'vm,api', ...extra];
    first = await runPlay(args(['--state-dir', join(dir, 'state')]));
  });

  after(async function () {
    await tb?.stop();
    await standins?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('converges the host without failures', () => {
    const r = recapOf(first, host.name);
    expect(r.failed + r.unreachable, failures(first)).to.equal(0);
    expect(r.changed).to.be.greaterThan(10);
    expect(first.code, failures(first)).to.equal(0);
  });

  it('writes datadog.yaml with the key, tags and apm_config, mode 0640 dd-agent:dd-agent', async () => {
    const conf = parseYaml(await sh(host, 'cat /etc/datadog-agent/datadog.yaml')) as Record<string, any>;
    expect(conf.api_key).to.equal(API_KEY);
    expect(conf.tags).to.deep.equal(['env:exercise', 'role:hiring-exercise']);
    expect(conf.hostname).to.equal(host.name);
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
    for (const secret of [API_KEY, DB_PASSWORD, JSON.stringify(DB_PASSWORD).slice(1, -1)]) {
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

  it('restarts the Agent exactly once when two of its config files change in one run', async () => {
    const before = Number(await sh(host, 'wc -l < /var/log/datadog/starts.log'));
    const extra = ['--no-state', '-e', JSON.stringify({ custom_check_min_collection_interval: 60, datadog_host_tags: ['env:exercise', 'role:changed'] })];
    const run = await runPlay(args(extra));
    expect(recapOf(run, host.name).failed, failures(run)).to.equal(0);
    const changed = run.events.filter((e) => e.kind === 'host_result' && e.outcome.status === 'changed').map((e) => e.kind === 'host_result' && e.task);
    expect(changed).to.include.members(['Write /etc/datadog-agent/datadog.yaml', 'Configure the my_metric check', 'restart datadog-agent']);
    expect(changed.filter((t) => t === 'restart datadog-agent')).to.have.length(1);
    expect(Number(await sh(host, 'wc -l < /var/log/datadog/starts.log'))).to.equal(before + 1);
    const conf = parseYaml(await sh(host, 'cat /etc/datadog-agent/conf.d/my_metric.d/conf.yaml')) as Record<string, any>;
    expect(conf.instances[0].min_collection_interval).to.equal(60);
  });
});
