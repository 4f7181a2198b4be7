// A set of test hosts plus the files a run needs to reach them: client key, inventory, known_hosts.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { assertLoopback, startHost, type TestHost } from './host.js';

const run = promisify(execFile);

export interface TestbedOptions {
  count: number;
  /** Default: env PLAY_TESTBED_FIRST_IP or 127.0.10.2. Host i gets firstIp + i. */
  firstIp?: string;
  /** Default: env PLAY_TESTBED_DIR or /srv/testbed. */
  baseDir?: string;
  namePrefix?: string;
  group?: string;
  /** Extra sshd options for every host (see StartHostOptions.sshdOptions). */
  sshdOptions?: string[];
}

export interface Testbed {
  hosts: TestHost[];
  baseDir: string;
  inventoryPath: string;
  knownHostsPath: string;
  clientKeyPath: string;
  /** Start one more host on the next address; inventory and known_hosts are rewritten. */
  addHost(name?: string): Promise<TestHost>;
  stop(opts?: { keep?: boolean }): Promise<void>;
}

export function defaultBaseDir(): string {
  return process.env.PLAY_TESTBED_DIR || '/srv/testbed';
}

export function defaultFirstIp(): string {
  return process.env.PLAY_TESTBED_FIRST_IP || '127.0.10.2';
}

/** The loopback address n steps after ip (carries into higher octets, stays in 127/8). */
export function nthIp(ip: string, n: number): string {
  assertLoopback(ip);
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  const v = ((b << 16) | (c << 8) | d) + n;
  if (v > 0xfffffe) throw new Error(`no loopback address ${n} after ${ip}`);
  return `${a}.${(v >> 16) & 255}.${(v >> 8) & 255}.${v & 255}`;
}

/** Generate the client ed25519 key once per baseDir; later calls reuse it. */
export async function ensureClientKey(baseDir: string): Promise<{ keyPath: string; publicKey: string }> {
  const keyPath = join(baseDir, 'client_ed25519');
  const have = await fs.stat(keyPath).then(() => true, () => false);
  if (!have) {
    await fs.rm(keyPath + '.pub', { force: true });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'play-testbed', '-f', keyPath]);
  }
  return { keyPath, publicKey: (await fs.readFile(keyPath + '.pub', 'utf8')).trim() };
}

export function inventoryYaml(hosts: TestHost[], group: string, keyPath: string): string {
  const entries: Record<string, unknown> = {};
  for (const h of hosts) {
    entries[h.name] = { ansible_host: h.ip, ansible_port: h.port, ansible_user: 'root',
      ansible_ssh_private_key_file: keyPath };
  }
  return stringify({ all: { children: { [group]: { hosts: entries } } } });
}

export function knownHostsText(hosts: TestHost[]): string {
  return hosts.map((h) => `${h.port === 22 ? h.ip : `[${h.ip}]:${h.port}`} ${h.hostKeyPublic}\n`).join('');
}

export async function startTestbed(opts: TestbedOptions): Promise<Testbed> {
  const baseDir = resolve(opts.baseDir ?? defaultBaseDir());
  const firstIp = opts.firstIp ?? defaultFirstIp();
  const prefix = opts.namePrefix ?? 'h';
  const group = opts.group ?? 'testhosts';
  assertLoopback(firstIp);
  await fs.mkdir(baseDir, { recursive: true, mode: 0o700 });
  const { keyPath, publicKey } = await ensureClientKey(baseDir);
  const inventoryPath = join(baseDir, 'inventory.yml');
  const knownHostsPath = join(baseDir, 'known_hosts');

  const hosts: TestHost[] = [];
  let next = 0;
  const start = (name?: string) => {
    const i = next++;
    return startHost({ name: name ?? `${prefix}${i + 1}`, ip: nthIp(firstIp, i), baseDir, clientPublicKey: publicKey, sshdOptions: opts.sshdOptions });
  };
  const writeFiles = async () => {
    await fs.writeFile(inventoryPath, inventoryYaml(hosts, group, keyPath));
    await fs.writeFile(knownHostsPath, knownHostsText(hosts));
  };

  const settled = await Promise.allSettled(Array.from({ length: opts.count }, () => start()));
  for (const s of settled) if (s.status === 'fulfilled') hosts.push(s.value);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.allSettled(hosts.map((h) => h.stop()));
    throw failed.reason;
  }
  await writeFiles();

  return {
    hosts, baseDir, inventoryPath, knownHostsPath, clientKeyPath: keyPath,
    async addHost(name?: string) {
      const h = await start(name);
      hosts.push(h);
      await writeFiles();
      return h;
    },
    async stop(o?: { keep?: boolean }) {
      const res = await Promise.allSettled(hosts.map((h) => h.stop(o)));
      const bad = res.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (bad) throw bad.reason;
    },
  };
}
