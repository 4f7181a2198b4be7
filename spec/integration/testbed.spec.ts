// The testbed itself: isolation of hosts, generated inventory/known_hosts, parallel start, clean stop.
import { expect } from 'chai';
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { openSsh } from '../../runner/connection/ssh.js';
import { cleanupStale, startHost } from '../../testbed/host.js';
import { descendants, isAlive } from '../../testbed/proc.js';
import { defaultFirstIp, ensureClientKey, nthIp, startTestbed } from '../../testbed/testbed.js';
import { useTestbed } from '../support/testbed.js';

const mountedUnder = (dir: string) => readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(dir));

describe('testbed', () => {
  const tb = useTestbed(3, { namePrefix: 'tb' });

  it('writes an Ansible YAML inventory and an OpenSSH known_hosts', async () => {
    const t = tb.current;
    const inv = parse(await fs.readFile(t.inventoryPath, 'utf8'));
    const hosts = inv.all.children.testhosts.hosts;
    expect(Object.keys(hosts)).to.deep.equal(['tb1', 'tb2', 'tb3']);
    expect(hosts.tb2).to.deep.equal({ ansible_host: nthIp(defaultFirstIp(), 1), ansible_port: 22, ansible_user: 'root',
      ansible_ssh_private_key_file: t.clientKeyPath });
    const kh = (await fs.readFile(t.knownHostsPath, 'utf8')).trim().split('\n');
    expect(kh).to.deep.equal(t.hosts.map((h) => `${h.ip} ${h.hostKeyPublic}`));
    expect(new Set(t.hosts.map((h) => h.hostKeyPublic)).size).to.equal(3);
    expect((await ensureClientKey(t.baseDir)).keyPath).to.equal(t.clientKeyPath);
  });

  it('gives each host its own hostname, machine-id, host key and files', async () => {
    const [a, b] = tb.current.hosts;
    const ra = await a!.exec('hostname; cat /etc/machine-id; cat /etc/ssh/play_host_ed25519_key.pub');
    expect(ra.stdout.split('\n').slice(0, 2)).to.deep.equal([a!.name, a!.machineId]);
    expect(ra.stdout).to.contain(a!.hostKeyPublic);
    expect((await b!.exec('hostname')).stdout).to.equal(`${b!.name}\n`);
    const marker = `/etc/testbed-marker-${process.pid}`;
    expect((await a!.exec(`touch ${marker}`)).code).to.equal(0);
    expect((await b!.exec(`test -e ${marker}`)).code).to.equal(1);
    expect(existsSync(marker)).to.equal(false);
    expect(existsSync(join(a!.upperDir, marker))).to.equal(true);
    // a stock profile, not this machine's (its /root/.bashrc runs pyenv init)
    expect((await a!.exec('cmp /etc/skel/.bashrc /root/.bashrc && echo same')).stdout).to.equal('same\n');
  });

  it('refuses addresses outside 127/8', async () => {
    let err: Error | undefined;
    await startHost({ name: 'bad', ip: '10.0.0.1', baseDir: tb.current.baseDir, clientPublicKey: 'x' })
      .catch((e: Error) => { err = e; });
    expect(err?.message).to.match(/loopback addresses only/);
  });

  it('adds a host later and lists it in inventory and known_hosts', async () => {
    const h = await tb.current.addHost();
    expect(h.name).to.equal('tb4');
    expect(h.ip).to.equal(nthIp(defaultFirstIp(), 3));
    expect(await fs.readFile(tb.current.inventoryPath, 'utf8')).to.contain('tb4:');
    expect(await fs.readFile(tb.current.knownHostsPath, 'utf8')).to.contain(`${h.ip} ${h.hostKeyPublic}`);
  });

  it('starts 10 hosts in parallel, all reachable over ssh, and stop() leaves no process or mount', async () => {
    const baseDir = join(tb.current.baseDir, 'ten');
    const t0 = Date.now();
    const ten = await startTestbed({ count: 10, baseDir, firstIp: nthIp(defaultFirstIp(), 16), namePrefix: 'ten' });
    console.log(`      10 hosts up in ${Date.now() - t0} ms`);
    const pids: number[] = [];
    try {
      const names = await Promise.all(ten.hosts.map(async (h) => {
        pids.push(h.pid, ...(await descendants(h.pid)));
        // the overlay exists only inside the host's mount namespace
        expect(readFileSync(`/proc/${h.initPid}/mounts`, 'utf8')).to.contain(`overlay ${h.mergedDir} overlay`);
        const c = await openSsh({ host: h.name, kind: 'ssh', address: h.ip, port: 22, user: 'root',
          privateKeyFile: ten.clientKeyPath }, { hostKeyCheck: 'strict', knownHostsFiles: [ten.knownHostsPath] });
        const r = await c.exec('hostname');
        await c.close();
        return r.stdout.trim();
      }));
      expect(names).to.deep.equal(ten.hosts.map((h) => h.name));
      expect(pids.length).to.be.greaterThan(20); // unshare, init and sshd per host at least
    } finally {
      await ten.stop();
    }
    for (const p of pids) expect(isAlive(p), `pid ${p} (zombies count as gone)`).to.equal(false);
    expect(mountedUnder(baseDir)).to.deep.equal([]);
    for (const h of ten.hosts) expect(existsSync(h.upperDir)).to.equal(false);
  });

  it('cleanupStale kills and removes hosts a crashed run left behind', async () => {
    const baseDir = join(tb.current.baseDir, 'stale');
    const { publicKey } = await ensureClientKey(tb.current.baseDir);
    const h = await startHost({ name: 'stale1', ip: nthIp(defaultFirstIp(), 30), baseDir, clientPublicKey: publicKey });
    const pids = [h.pid, ...(await descendants(h.pid))];
    expect(await cleanupStale(baseDir)).to.deep.equal(['stale1']);
    for (const p of pids) expect(isAlive(p), `pid ${p} (zombies count as gone)`).to.equal(false);
    expect(existsSync(h.upperDir)).to.equal(false);
    expect(mountedUnder(baseDir)).to.deep.equal([]);
    await h.stop(); // already dead: stop() still completes
  });
});
