// A pool of bench test hosts (group "bench"). A "cold" reset stops hosts and starts them again on the
// same name and address: a fresh, empty overlay upper dir (and a new host key, so known_hosts is rewritten).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { startHost, type TestHost } from '../testbed/host.js';
import { ensureClientKey, inventoryYaml, knownHostsText, nthIp } from '../testbed/testbed.js';

export interface HostPool {
  hosts: TestHost[];
  knownHostsPath: string;
  clientKeyPath: string;
  /** Inventory file with the first n hosts in group "bench". */
  inventory(n: number): Promise<string>;
  /** Stop and start hosts [0, n) again: fresh overlays. */
  reset(n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPool(count: number, baseDir: string, firstIp: string): Promise<HostPool> {
  await fs.mkdir(baseDir, { recursive: true, mode: 0o700 });
  const { keyPath, publicKey } = await ensureClientKey(baseDir);
  const knownHostsPath = join(baseDir, 'known_hosts');
  const start = (i: number) => startHost({ name: `h${i + 1}`, ip: nthIp(firstIp, i), baseDir, clientPublicKey: publicKey });
  const hosts: TestHost[] = [];
  // start in batches: 50 ssh-keygen + unshare at once on 2 cores is slow but fine; bounded anyway
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(10, count - i) }, (_, k) => start(i + k)));
    for (const b of batch) if (b.status === 'fulfilled') hosts.push(b.value);
    const bad = batch.find((b): b is PromiseRejectedResult => b.status === 'rejected');
    if (bad) {
      await Promise.allSettled(hosts.map((h) => h.stop()));
      throw bad.reason;
    }
  }
  const writeKnownHosts = () => fs.writeFile(knownHostsPath, knownHostsText(hosts));
  await writeKnownHosts();
  return {
    hosts, knownHostsPath, clientKeyPath: keyPath,
    async inventory(n) {
      const p = join(baseDir, `bench-inventory-${n}.yml`);
      await fs.writeFile(p, inventoryYaml(hosts.slice(0, n), 'bench', keyPath));
      return p;
    },
    async reset(n) {
      for (let i = 0; i < n; i += 10) {
        const idx = Array.from({ length: Math.min(10, n - i) }, (_, k) => i + k);
        await Promise.all(idx.map((j) => hosts[j]!.stop()));
        const fresh = await Promise.all(idx.map((j) => start(j)));
        idx.forEach((j, k) => (hosts[j] = fresh[k]!));
      }
      await writeKnownHosts();
    },
    async stop() {
      await Promise.allSettled(hosts.map((h) => h.stop()));
    },
  };
}
