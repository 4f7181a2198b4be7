// The demo: playbooks/site.yml against two local test hosts, with the offline stand-ins
// (signed apt repo, package index, Datadog API) on loopback. Runs it twice: the second run
// shows every task done before. `--keep` leaves everything up until Ctrl-C.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDatadogApi } from './datadog-api/server.js';
import { startStandins } from './standins/index.js';
import { cleanupStale } from './host.js';
import { startTestbed, type Testbed } from './testbed.js';

/** The checkout: the nearest directory above this file holding package.json. */
function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  throw new Error(`no package.json above ${from}`);
}

const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
const BASE = process.env.PLAY_DEMO_DIR ?? '/srv/testbed-demo';
const keep = process.argv.includes('--keep');
/** The demo's account lives on a non-US site: the Agents and the API calls must all go there. */
const SITE = 'datadoghq.eu';

function say(text: string): void {
  process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
}

function runPlay(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'bin', 'play'), args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

interface Verified {
  host: string;
  task: string;
  ok: boolean;
  text: string;
}

/** Runs only the tasks tagged `verify` (the roles' checks on the hosts) and returns what they said. */
function runVerify(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; results: Verified[] }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'bin', 'play'), [...args, '--tags', 'verify', '--json'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const results: Verified[] = [];
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as { kind: string; host?: string; task?: string; outcome?: { status: string; msg?: string; reason?: string } };
        if (e.kind !== 'host_result' || !e.task || !/^Verify|^The name the Agent reports/.test(e.task)) continue;
        results.push({ host: e.host!, task: e.task, ok: e.outcome?.status === 'ok', text: e.outcome?.msg ?? e.outcome?.reason ?? '' });
      }
      resolve({ code: code ?? 1, results });
    });
  });
}

async function main(): Promise<number> {
  mkdirSync(BASE, { recursive: true });
  await cleanupStale(BASE, { force: true });
  // A fresh demo: fresh hosts, so no recorded state and no API objects from an earlier demo.
  rmSync(join(BASE, 'state'), { recursive: true, force: true });
  rmSync(join(BASE, 'datadog-api.json'), { force: true });
  say('Starting 2 test hosts (sshd in their own namespaces, 127.0.5.2-3) and the offline stand-ins');
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));
  let testbed: Testbed;
  let standins: Awaited<ReturnType<typeof startStandins>>;
  let api: Awaited<ReturnType<typeof startDatadogApi>>;
  // Throwaway keys for this demo only: the stand-in API accepts exactly these.
  const secrets = { DD_API_KEY: randomBytes(16).toString('hex'), DD_APP_KEY: randomBytes(20).toString('hex'), DD_MYSQL_PASSWORD: randomBytes(12).toString('base64url'), DD_SITE: SITE };
  try {
    testbed = await startTestbed({ count: 2, firstIp: '127.0.5.2', baseDir: BASE, namePrefix: 'demo', group: 'datadog_hosts' });
    stops.push(() => testbed.stop());
    standins = await startStandins({ aptPort: 8701, pypiPort: 8702 });
    stops.push(() => standins.stop());
    api = await startDatadogApi({ port: 8703, dataFile: join(BASE, 'datadog-api.json'), apiKey: secrets.DD_API_KEY, appKey: secrets.DD_APP_KEY, site: SITE });
    stops.push(() => api.stop());
  } catch (err) {
    await stop();
    throw err;
  }
  try {
    // Where api.<site> is, for the stand-in Agents (what DNS and TLS are for the real one).
    for (const h of testbed.hosts) await h.exec(`mkdir -p /etc/datadog-agent && echo '${api.url}/{site}' > /etc/datadog-agent/standin-api-url`);
    const args = [
      'playbooks/site.yml', '-i', 'inventory/demo.yml', '--known-hosts', testbed.knownHostsPath, '--state-dir', join(BASE, 'state'),
      '--skip-tags', 'vm',
      '-e', JSON.stringify({ datadog_apt_key_fingerprints: [standins.keyFingerprint], dd_api_url: `${api.url}/{site}` }),
    ];
    say(`play ${args.join(' ')}`);
    const first = await runPlay(args, secrets);
    say('Second run: every task was recorded, so every task is done before');
    const second = await runPlay(args, secrets);
    say('Verification on the hosts (play ... --tags verify): what each role checked with the Agent itself');
    const verify = await runVerify(args, secrets);
    for (const r of verify.results) process.stdout.write(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.host}  ${r.task}\n        ${r.text}\n`);
    if (!verify.results.length) process.stdout.write('  (no verification results)\n');
    say('Where to look');
    for (const h of testbed.hosts) {
      const look = [
        `echo '$ datadog-agent status (Running Checks)'; datadog-agent status | sed -n '/Running Checks/,/APM Agent/p' | head -12`,
        `echo '$ datadog-agent check my_metric'; su -s /bin/sh dd-agent -c 'datadog-agent check my_metric' | grep -m2 -i 'my_metric'`,
        `echo '$ curl http://${h.ip}:5050/api/apm'; curl -s http://${h.ip}:5050/api/apm; echo`,
        `echo '$ traces received by the Agent:'; wc -l < /var/log/datadog/traces.jsonl`,
      ].join('; ');
      process.stdout.write(`--- ${h.name} (${h.ip})\n${(await h.exec(look)).stdout}`);
    }
    const stats = await fetch(`${api.url}/_standin/stats`).then((r) => r.json()).catch(() => ({}));
    process.stdout.write(`--- Datadog API stand-in at ${api.url}: ${JSON.stringify(stats)}\n`);
    process.stdout.write(`--- state store: bin/play state show --state-dir ${join(BASE, 'state')}\n`);
    if (keep) {
      process.stdout.write(`\nEverything stays up (hosts: ssh -i ${testbed.clientKeyPath} root@127.0.5.2). Ctrl-C to stop.\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    const verified = verify.code === 0 && verify.results.length > 0 && verify.results.every((r) => r.ok);
    return first === 0 && second === 0 && verified ? 0 : first || second || 1;
  } finally {
    await stop();
  }
}

process.exitCode = await main();
