// The floors: the playbook's work as one shell snippet per task, over ONE ssh2 connection per host,
// hosts in parallel, tasks in order. Three ways to send the snippets (--mode):
//   task       one exec per task: the least a runner that waits for each task can do;
//   one-exec   the true floor: every task's snippet in one script, one exec per host;
//   pipelined  one `sh` per host, every snippet written to its stdin at once, ends read back.
// Prints one JSON line: {connectMs, execMs, totalMs, changed, hosts, tasks, mode}
// connectMs = until every host is connected and authenticated; execMs = the tasks after that.
// usage: node dist/bench/floor.js PLAYBOOK -i INVENTORY --known-hosts FILE [--mode task|one-exec|pipelined]
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

export type FloorMode = 'task' | 'one-exec' | 'pipelined';

/** Marks the end of task i in a combined script's output; the exit status follows it. */
const END = '@@floor-end@@';

/** All snippets as one script: each in a subshell, its end and status marked, stop at the first failure. */
export function combinedScript(host: string, tasks: FloorTask[]): string {
  return tasks.map((t, i) => `( ${t.script(host)} ); s=$?; echo "${END}${i} $s"; [ $s -eq 0 ] || exit $s`).join('\n') + '\n';
}

/** Counts the tasks whose output says "changed"; throws on a failed or missing task. */
export function combinedChanged(out: string, tasks: FloorTask[], host: string): number {
  let changed = 0;
  let rest = out;
  for (const [i, t] of tasks.entries()) {
    const at = rest.indexOf(`${END}${i} `);
    if (at < 0) throw new Error(`floor: ${host} task ${JSON.stringify(t.name)} did not finish: ${rest.slice(-300)}`);
    const eol = rest.indexOf('\n', at);
    const status = Number(rest.slice(at + END.length + String(i).length + 1, eol < 0 ? undefined : eol));
    if (status !== 0) throw new Error(`floor: ${host} task ${JSON.stringify(t.name)} failed (${status}): ${rest.slice(0, at)}`);
    if (rest.slice(0, at).includes('changed')) changed++;
    rest = eol < 0 ? '' : rest.slice(eol + 1);
  }
  return changed;
}

/** One `sh` on the host; the whole combined script written to its stdin at once. */
function pipelined(c: ssh2.Client, script: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    c.exec('sh', (err, ch) => {
      if (err) return reject(err);
      let out = '';
      ch.on('data', (d: Buffer) => (out += d));
      ch.stderr.on('data', (d: Buffer) => (out += d));
      ch.on('close', (code: number | null) => resolve({ code: code ?? 255, out }));
      ch.end(script);
    });
  });
}

async function runHost(c: ssh2.Client, h: InvHost, tasks: FloorTask[], mode: FloorMode): Promise<number> {
  if (mode !== 'task') {
    const script = combinedScript(h.name, tasks);
    const r = mode === 'one-exec' ? await exec(c, script) : await pipelined(c, script);
    return combinedChanged(r.out, tasks, h.name);
  }
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
  const mode = (opt('--mode') ?? 'task') as FloorMode;
  if (!playbook || !inv || !kh || !['task', 'one-exec', 'pipelined'].includes(mode)) {
    throw new Error('usage: floor.js PLAYBOOK -i INVENTORY --known-hosts FILE [--mode task|one-exec|pipelined]');
  }
  const tasks = floorTasks(playbook);
  const hosts = inventoryHosts(inv, 'bench');
  const keys = knownKeys(kh);
  const conns = await Promise.all(hosts.map((h) => connect(h, keys.get(h.port === 22 ? h.host : `[${h.host}]:${h.port}`))));
  const t1 = performance.now();
  const changed = await Promise.all(hosts.map((h, i) => runHost(conns[i]!, h, tasks, mode)));
  const t2 = performance.now();
  for (const c of conns) c.end();
  process.stdout.write(JSON.stringify({ connectMs: t1 - t0, execMs: t2 - t1, totalMs: t2 - t0,
    changed: changed.reduce((a, b) => a + b, 0), hosts: hosts.length, tasks: tasks.length, mode }) + '\n');
}

if (process.argv[1]?.endsWith('floor.js')) main(process.argv.slice(2)).then(() => process.exit(0), (e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
