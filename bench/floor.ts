// The floor: the playbook's work as one shell snippet per task, sent over ONE persistent ssh2
// connection per host, hosts in parallel, tasks in order. Prints one JSON line:
//   {connectMs, execMs, totalMs, changed, hosts, tasks}
// connectMs = until every host is connected and authenticated; execMs = the tasks after that.
// usage: node dist/bench/floor.js PLAYBOOK -i INVENTORY --known-hosts FILE
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { parse } from 'yaml';
import { floorTasks, type FloorTask } from './floor-tasks.js';

interface InvHost { name: string; host: string; port: number; user: string; key: string }

function inventoryHosts(path: string, group: string): InvHost[] {
  const doc = parse(readFileSync(path, 'utf8')) as { all: { children: Record<string, { hosts: Record<string, Record<string, unknown>> }> } };
  const hosts = doc.all.children[group]?.hosts ?? {};
  return Object.entries(hosts).map(([name, v]) => ({
    name, host: String(v.ansible_host ?? name), port: Number(v.ansible_port ?? 22), user: String(v.ansible_user ?? 'root'),
    key: String(v.ansible_ssh_private_key_file),
  }));
}

/** known_hosts lines "[ip]:port type base64" or "ip type base64" -> base64 key by host name. */
function knownKeys(path: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [names, , key] = line.trim().split(/\s+/);
    if (names && key) for (const n of names.split(',')) m.set(n, key);
  }
  return m;
}

function connect(h: InvHost, expectedKey: string | undefined): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.once('ready', () => {
      c.setNoDelay(true); // small request/reply packets: without this, Nagle + delayed ACK add ~40 ms per task
      resolve(c);
    });
    c.once('error', reject);
    c.connect({
      host: h.host, port: h.port, username: h.user, privateKey: readFileSync(h.key), readyTimeout: 20000,
      hostVerifier: (key: Buffer) => expectedKey !== undefined && key.toString('base64') === expectedKey,
    });
  });
}

function exec(c: ssh2.Client, cmd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    c.exec(cmd, (err, ch) => {
      if (err) return reject(err);
      let out = '';
      ch.on('data', (d: Buffer) => (out += d));
      ch.stderr.on('data', (d: Buffer) => (out += d));
      ch.on('close', (code: number | null) => resolve({ code: code ?? 255, out }));
    });
  });
}

async function runHost(c: ssh2.Client, h: InvHost, tasks: FloorTask[]): Promise<number> {
  let changed = 0;
  for (const t of tasks) {
    const r = await exec(c, t.script(h.name));
    if (r.code !== 0) throw new Error(`floor: ${h.name} task ${JSON.stringify(t.name)} failed (${r.code}): ${r.out}`);
    if (r.out.includes('changed')) changed++;
  }
  return changed;
}

async function main(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const opt = (f: string) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : undefined; };
  const playbook = argv[0];
  const inv = opt('-i'), kh = opt('--known-hosts');
  if (!playbook || !inv || !kh) throw new Error('usage: floor.js PLAYBOOK -i INVENTORY --known-hosts FILE');
  const tasks = floorTasks(playbook);
  const hosts = inventoryHosts(inv, 'bench');
  const keys = knownKeys(kh);
  const conns = await Promise.all(hosts.map((h) => connect(h, keys.get(h.port === 22 ? h.host : `[${h.host}]:${h.port}`))));
  const t1 = performance.now();
  const changed = await Promise.all(hosts.map((h, i) => runHost(conns[i]!, h, tasks)));
  const t2 = performance.now();
  for (const c of conns) c.end();
  process.stdout.write(JSON.stringify({ connectMs: t1 - t0, execMs: t2 - t1, totalMs: t2 - t0,
    changed: changed.reduce((a, b) => a + b, 0), hosts: hosts.length, tasks: tasks.length }) + '\n');
}

main(process.argv.slice(2)).then(() => process.exit(0), (e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
