// Integration tests for the offline stand-ins (apt repo, stand-in Agent, package index, ddtrace).
// Runs on this machine without touching its apt configuration: every apt call uses temp dirs.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandins, type Standins } from '../../testbed/standins/index.js';
import { APP_PY, MY_METRIC_PY, freePort, poll, sh } from '../../testbed/standins/testkit.js';
import { startTestbed, type Testbed } from '../../testbed/testbed.js';

/** A throwaway key made per run, so nothing key-like is committed; the stand-in only needs one. */
const TEST_API_KEY = randomBytes(16).toString('hex');

describe('offline stand-ins (apt repo, stand-in Agent, package index)', () => {
  let s: Standins;
  let tmp: string;

  before(async () => {
    s = await startStandins();
    tmp = await fs.mkdtemp(join(tmpdir(), 'standins-spec-'));
  });

  after(async () => {
    await s?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  describe('signed apt repository', () => {
    let aptOpts: string[];
    let keyring: string;

    before(async () => {
      const d = join(tmp, 'apt');
      await fs.mkdir(join(d, 'lists/partial'), { recursive: true });
      await fs.mkdir(join(d, 'cache/archives/partial'), { recursive: true });
      await fs.mkdir(join(d, 'gnupg'), { recursive: true, mode: 0o700 });
      keyring = join(d, 'datadog-archive-keyring.gpg');
      await fs.writeFile(keyring, ''); // like the install script: touch first => binary keyring format
      const key = await (await fetch(s.keyUrl)).text();
      await fs.writeFile(join(d, 'key.public'), key);
      const imp = await sh('gpg', ['--homedir', join(d, 'gnupg'), '--batch', '--no-default-keyring',
        '--keyring', keyring, '--import', join(d, 'key.public')]);
      expect(imp.code, imp.stderr).to.equal(0);
      await fs.writeFile(join(d, 'sources.list'), `deb [signed-by=${keyring}] ${s.aptUrl} stable 7\n`);
      aptOpts = ['-o', `Dir::Etc::sourcelist=${join(d, 'sources.list')}`, '-o', 'Dir::Etc::sourceparts=-',
        '-o', `Dir::State::Lists=${join(d, 'lists')}`, '-o', `Dir::Cache=${join(d, 'cache')}`,
        '-o', 'APT::Sandbox::User=root', '-o', 'Debug::NoLocking=1'];
    });

    it('serves the key whose fingerprint startStandins reports', async () => {
      const list = await sh('gpg', ['--homedir', join(tmp, 'apt/gnupg'), '--batch', '--no-default-keyring',
        '--keyring', keyring, '--list-keys', '--with-colons']);
      const fprs = list.stdout.split('\n').filter((l) => l.startsWith('fpr:')).map((l) => l.split(':')[9]);
      expect(s.keyFingerprint).to.match(/^[0-9A-F]{40}$/);
      expect(fprs).to.include(s.keyFingerprint);
    });

    it('apt-get update verifies the signed Release and apt-cache sees the stand-in agent', async () => {
      const up = await sh('apt-get', [...aptOpts, 'update']);
      expect(up.code, up.stdout + up.stderr).to.equal(0);
      expect(up.stdout + up.stderr).to.not.match(/NO_PUBKEY|not signed|W: GPG error/);
      const pol = await sh('apt-cache', [...aptOpts, 'policy', 'datadog-agent']);
      expect(pol.stdout).to.match(/Candidate: 1:7\.99\.0-1\+standin1/);
      expect(pol.stdout).to.contain(`${s.aptUrl.replace(/\/$/, '')} stable/7`);
      const show = await sh('apt-cache', [...aptOpts, 'show', 'datadog-signing-keys']);
      expect(show.stdout).to.contain('STAND-IN for offline tests');
    });

    it('apt-get update refuses the repo when the keyring lacks the signing key', async () => {
      const d = join(tmp, 'apt-bad');
      await fs.mkdir(join(d, 'lists/partial'), { recursive: true });
      await fs.writeFile(join(d, 'empty.gpg'), '');
      await fs.writeFile(join(d, 'sources.list'), `deb [signed-by=${join(d, 'empty.gpg')}] ${s.aptUrl} stable 7\n`);
      const opts = aptOpts.map((o) => o.replace(join(tmp, 'apt/sources.list'), join(d, 'sources.list'))
        .replace(join(tmp, 'apt/lists'), join(d, 'lists')));
      const up = await sh('apt-get', [...opts, 'update']);
      expect(up.stdout + up.stderr).to.match(/NO_PUBKEY|not signed|is not signed|public key is not available/);
      const pol = await sh('apt-cache', [...opts, 'policy', 'datadog-agent']);
      expect(pol.stdout).to.not.contain('standin1');
    });
  });

  describe('stand-in datadog-agent package', () => {
    let root: string;
    let etc: string;
    let agent: string;

    before(async () => {
      root = join(tmp, 'root');
      const x = await sh('dpkg-deb', ['-x', s.agentDebPath, root]);
      expect(x.code, x.stderr).to.equal(0);
      agent = join(root, 'opt/datadog-agent/bin/agent/agent');
      etc = join(tmp, 'etc-dd');
      await fs.mkdir(join(etc, 'conf.d/my_metric.d'), { recursive: true });
      await fs.mkdir(join(etc, 'checks.d'), { recursive: true });
      await fs.writeFile(join(etc, 'checks.d/my_metric.py'), MY_METRIC_PY);
      await fs.writeFile(join(etc, 'conf.d/my_metric.d/conf.yaml'), 'init_config:\n\ninstances:\n  - min_collection_interval: 45\n');
    });

    async function writeConfig(extra: string): Promise<void> {
      await fs.writeFile(join(etc, 'datadog.yaml'),
        `confd_path: ${join(etc, 'conf.d')}\nadditional_checksd: ${join(etc, 'checks.d')}\n` +
        `log_file: ${join(tmp, 'log/agent.log')}\nrun_path: ${join(tmp, 'run')}\n${extra}`);
    }

    it('dpkg-deb --info shows the STAND-IN description and dependencies', async () => {
      const info = await sh('dpkg-deb', ['--info', s.agentDebPath]);
      expect(info.stdout).to.match(/Description: STAND-IN for offline tests; not the Datadog Agent/);
      expect(info.stdout).to.match(/Version: 1:7\.99\.0-1\+standin1/);
      expect(info.stdout).to.match(/Depends: .*python3-yaml/);
      const files = await sh('dpkg-deb', ['-c', s.agentDebPath]);
      for (const f of ['./etc/init.d/datadog-agent', './lib/systemd/system/datadog-agent.service',
        './etc/datadog-agent/datadog.yaml.example', './etc/datadog-agent/conf.d/mysql.d/conf.yaml.example',
        './usr/bin/datadog-agent -> /opt/datadog-agent/bin/agent/agent']) {
        expect(files.stdout).to.contain(f);
      }
    });

    it('`agent check my_metric` runs the custom check and prints my_metric in 0..1000', async () => {
      await writeConfig('');
      const r = await sh(agent, ['-c', etc, 'check', 'my_metric', '--json']);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as Array<{ aggregator: { metrics: Array<{ metric: string; points: number[][]; tags: string[]; type: string }> } }>;
      const m = out[0]!.aggregator.metrics.find((x) => x.metric === 'my_metric');
      expect(m, r.stdout).to.not.equal(undefined);
      const value = m!.points[0]![1]!;
      expect(value).to.be.within(0, 1000);
      expect(Number.isInteger(value)).to.equal(true);
      expect(m!.type).to.equal('gauge');
      expect(m!.tags).to.include('check:my_metric');
      const text = await sh(agent, ['-c', etc, 'check', 'my_metric']);
      expect(text.stdout).to.contain('"metric": "my_metric"');
      expect(text.stdout).to.contain('my_metric (1.0.0)');
    });

    it('`agent check` exits non-zero when the check raises', async () => {
      await fs.mkdir(join(etc, 'conf.d/broken.d'), { recursive: true });
      await fs.writeFile(join(etc, 'conf.d/broken.d/conf.yaml'), 'init_config:\ninstances:\n  - {}\n');
      await fs.writeFile(join(etc, 'checks.d/broken.py'),
        'from datadog_checks.base import AgentCheck\nclass B(AgentCheck):\n    def check(self, instance):\n        raise RuntimeError("boom")\n');
      const r = await sh(agent, ['-c', etc, 'check', 'broken']);
      expect(r.code).to.not.equal(0);
      expect(r.stdout).to.contain('RuntimeError: boom');
      await fs.rm(join(etc, 'conf.d/broken.d'), { recursive: true });
    });

    it('`agent run` refuses to start without an api_key or with unparsable YAML', async () => {
      await writeConfig('');
      const r = await sh(agent, ['-c', etc, 'run']);
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/no API key configured/);
      await fs.writeFile(join(etc, 'datadog.yaml'), 'api_key: [unclosed\n');
      const bad = await sh(agent, ['-c', etc, 'run']);
      expect(bad.code).to.not.equal(0);
      expect(bad.stderr).to.match(/unable to load Datadog config file/);
    });

    it('`agent run` receives traces on its APM port, records them and shows in status', async () => {
      const port = await freePort();
      await writeConfig(`api_key: "${TEST_API_KEY}"\nhostname: dd-exercise\ntags:\n  - env:exercise\napm_config:\n  enabled: true\n  receiver_port: ${port}\n`);
      const pidfile = join(tmp, 'run/agent.pid');
      const daemon: ChildProcess = spawn(agent, ['-c', etc, 'run', '-p', pidfile], { stdio: 'ignore' });
      try {
        const info = await poll(async () => (await fetch(`http://127.0.0.1:${port}/info`)).json() as Promise<{ version: string }>);
        expect(info?.version).to.equal('7.99.0');
        const put = await fetch(`http://127.0.0.1:${port}/v0.4/traces`, {
          method: 'PUT', headers: { 'Content-Type': 'application/json', 'DD-API-KEY': 'secret-should-not-be-logged' },
          body: JSON.stringify([[{ name: 'flask.request', service: 'flask-app' }]]),
        });
        expect(put.status).to.equal(200);
        const traces = await fs.readFile(join(tmp, 'log/traces.jsonl'), 'utf8');
        expect(traces).to.contain('"service": "flask-app"');
        expect(traces).to.not.contain('secret-should-not-be-logged');
        const st = await sh(agent, ['-c', etc, 'status']);
        expect(st.code, st.stdout).to.equal(0);
        expect(st.stdout).to.match(/my_metric \(1\.0\.0\)[\s\S]*min_collection_interval: 45/);
        expect(st.stdout).to.match(/APM Agent[\s\S]*apm_config\.enabled: true[\s\S]*receiver_port: \d+/);
        expect(st.stdout).to.contain('env:exercise');
        expect((await sh(agent, ['-c', etc, 'hostname'])).stdout.trim()).to.equal('dd-exercise');
        const starts = await fs.readFile(join(tmp, 'log/starts.log'), 'utf8');
        expect(starts.trim().split('\n')).to.have.length(1);
      } finally {
        daemon.kill('SIGTERM');
      }
    });
  });

  describe('installing from the repo inside a test host (apt, postinst, init script)', () => {
    let tb: Testbed;
    const exec = async (cmd: string) => tb.hosts[0]!.exec(cmd);

    before(async () => {
      tb = await startTestbed({ count: 1, baseDir: join(tmp, 'tb'), firstIp: '127.0.77.2', namePrefix: 'standin' });
    });

    after(async () => {
      await tb?.stop();
    });

    it('apt-get installs datadog-agent from the signed repo; postinst creates dd-agent and does not start it', async () => {
      const kr = '/usr/share/keyrings/datadog-archive-keyring.gpg';
      const setup = await exec(`set -e
echo 'deb [signed-by=${kr}] ${s.aptUrl} stable 7' > /etc/apt/sources.list.d/datadog.list
touch ${kr} && chmod a+r ${kr}
curl -fsSL ${s.keyUrl} | gpg --no-default-keyring --keyring ${kr} --import --batch
apt-get -o DPkg::Lock::Timeout=600 -o Dir::Etc::sourcelist=/etc/apt/sources.list.d/datadog.list -o Dir::Etc::sourceparts=- update
DEBIAN_FRONTEND=noninteractive apt-get install -y datadog-agent datadog-signing-keys`);
      expect(setup.code, setup.stdout + setup.stderr).to.equal(0);
      const q = await exec("dpkg-query --showformat '${Status} ${Version}\\n' --show datadog-agent");
      expect(q.stdout.trim()).to.equal('install ok installed 1:7.99.0-1+standin1');
      const id = await exec('id -u dd-agent && stat -c %U /etc/datadog-agent/conf.d /etc/datadog-agent/checks.d /var/log/datadog');
      expect(id.code).to.equal(0);
      expect(id.stdout.trim().split('\n').slice(1)).to.deep.equal(['dd-agent', 'dd-agent', 'dd-agent']);
      expect((await exec('test -f /etc/datadog-agent/conf.d/mysql.d/conf.yaml.example && readlink /usr/bin/datadog-agent')).stdout.trim())
        .to.equal('/opt/datadog-agent/bin/agent/agent');
      const st = await exec('service datadog-agent status');
      expect(st.code).to.equal(3);
      const start = await exec('service datadog-agent start');
      expect(start.code).to.not.equal(0);
      expect(start.stderr).to.match(/datadog\.yaml does not exist/);
    });

    it('service start/restart run the daemon as dd-agent and log one line per real start', async () => {
      const port = await freePort();
      const cfg = await exec(`printf 'api_key: "${TEST_API_KEY}"\\nhostname: dd-exercise\\napm_config:\\n  enabled: true\\n  receiver_port: ${port}\\n' > /etc/datadog-agent/datadog.yaml
chown dd-agent:dd-agent /etc/datadog-agent/datadog.yaml && chmod 0640 /etc/datadog-agent/datadog.yaml
service datadog-agent start && service datadog-agent start && service datadog-agent restart`);
      expect(cfg.code, cfg.stdout + cfg.stderr).to.equal(0);
      const lines = (await exec('cat /var/log/datadog/starts.log')).stdout.trim().split('\n');
      expect(lines).to.have.length(2);
      const ps = await exec('ps -o user= -p "$(cat /var/run/datadog/agent.pid)"');
      expect(ps.stdout.trim()).to.equal('dd-agent');
      const health = await exec('datadog-agent health && datadog-agent hostname');
      expect(health.stdout).to.contain('dd-exercise');
      const info = await fetch(`http://127.0.0.1:${port}/info`);
      expect(info.status).to.equal(200);
      const stop = await exec('service datadog-agent stop; service datadog-agent status');
      expect(stop.code).to.equal(3);
    });
  });

  describe('package index and stand-in ddtrace', () => {
    const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
    let receiver: Server;
    let venv: string;
    let app: ChildProcess | undefined;

    before(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
      venv = join(tmp, 'venv');
    });

    after(async () => {
      app?.kill('SIGTERM');
      await new Promise<void>((r) => receiver.close(() => r()));
    });

    const pipEnv = (): NodeJS.ProcessEnv => ({ ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INPUT: '1' });

    it('pip installs flask and ddtrace==4.14.0 from the index alone', async () => {
      const mk = await sh('/usr/bin/python3', ['-m', 'venv', venv]);
      expect(mk.code, mk.stderr).to.equal(0);
      const pip = await sh(join(venv, 'bin/pip'), ['install', '--disable-pip-version-check', '--no-cache-dir',
        '--index-url', s.pypiUrl, `flask==${s.flaskVersion}`, 'ddtrace==4.14.0'], { env: pipEnv() });
      expect(pip.code, pip.stdout + pip.stderr).to.equal(0);
      const v = await sh(join(venv, 'bin/python'), ['-c', 'import ddtrace, flask, importlib.metadata as m; print(ddtrace.__version__, m.version("flask"))']);
      expect(v.stdout.trim()).to.equal(`4.14.0+standin ${s.flaskVersion}`);
      const show = await sh(join(venv, 'bin/pip'), ['show', 'ddtrace'], { env: pipEnv() });
      expect(show.stdout).to.contain("Summary: STAND-IN for offline tests; not Datadog's ddtrace");
    });

    it('`ddtrace-run python app.py` sends a flask.request span with service=DD_SERVICE', async () => {
      const { port: agentPort } = receiver.address() as AddressInfo;
      const appPort = await freePort();
      await fs.writeFile(join(tmp, 'app.py'), APP_PY);
      const env = { ...process.env, PATH: `${join(venv, 'bin')}:${process.env.PATH ?? ''}`, APP_PORT: String(appPort),
        DD_SERVICE: 'flask-app', DD_ENV: 'exercise', DD_VERSION: '1.0', DD_AGENT_HOST: '127.0.0.1',
        DD_TRACE_AGENT_PORT: String(agentPort) };
      const info = await sh(join(venv, 'bin/ddtrace-run'), ['--info'], { env });
      expect(info.stdout).to.contain('Application service: flask-app');
      expect(info.stdout).to.contain(`Agent URL: http://127.0.0.1:${agentPort}`);
      app = spawn(join(venv, 'bin/ddtrace-run'), ['python', 'app.py'], { cwd: tmp, env, stdio: 'ignore' });
      const body = await poll(async () => {
        const r = await fetch(`http://127.0.0.1:${appPort}/api/apm`);
        return r.status === 200 ? r.text() : undefined;
      });
      expect(body).to.equal('Getting APM Started');
      const span = await poll(async () => {
        for (const r of received) {
          if (r.url !== '/v0.4/traces' || r.method !== 'PUT') continue;
          const traces = JSON.parse(r.body) as Array<Array<Record<string, unknown>>>;
          const sp = traces.flat().find((x) => x.resource === 'GET /api/apm');
          if (sp) return { sp, headers: r.headers };
        }
        return undefined;
      });
      expect(span, JSON.stringify(received)).to.not.equal(undefined);
      expect(span!.headers['content-type']).to.equal('application/json');
      expect(span!.sp).to.include({ name: 'flask.request', service: 'flask-app', type: 'web' });
      expect(span!.sp.meta).to.include({ env: 'exercise', version: '1.0', 'http.status_code': '200' });
    });

    it('the traced app keeps serving when the trace agent is down', async () => {
      const appPort = await freePort();
      const env = { ...process.env, PATH: `${join(venv, 'bin')}:${process.env.PATH ?? ''}`, APP_PORT: String(appPort),
        DD_SERVICE: 'flask-app', DD_TRACE_AGENT_URL: `http://127.0.0.1:${await freePort()}` };
      const p = spawn(join(venv, 'bin/ddtrace-run'), ['python', 'app.py'], { cwd: tmp, env, stdio: 'ignore' });
      try {
        const first = await poll(async () => {
          const r = await fetch(`http://127.0.0.1:${appPort}/`);
          return r.status === 200 ? r.text() : undefined;
        });
        expect(first).to.equal('Entrypoint to the Application');
        const second = await fetch(`http://127.0.0.1:${appPort}/api/trace`);
        expect(await second.text()).to.equal('Posting Traces');
      } finally {
        p.kill('SIGTERM');
      }
    });
  });
});
