// libvirtd + virtlogd for the VM tests, started by hand (no systemd in CI) and stopped by PID.
// Safety: libvirt's `default` NAT network must stay inactive with no autostart link; no bridge.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { isAlive } from '../proc.js';

const run = promisify(execFile);
const AUTOSTART = '/etc/libvirt/qemu/networks/autostart';
const DAEMONS = [
  { name: 'virtlogd', bin: '/usr/sbin/virtlogd', pidFile: '/run/virtlogd.pid' },
  { name: 'libvirtd', bin: '/usr/sbin/libvirtd', pidFile: '/run/libvirtd.pid' },
] as const;

export interface LibvirtHandle {
  /** Daemons this call started (stopLibvirt stops only these when given the handle). */
  started: Array<{ name: string; pid: number; pidFile: string }>;
  startMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


async function pidFrom(file: string): Promise<number | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export async function virsh(...args: string[]): Promise<string> {
  const { stdout } = await run('virsh', ['-c', 'qemu:///system', ...args], { timeout: 60_000 });
  return stdout;
}

/** Pure: parses `virsh net-list --all` into {name, active, autostart}. */
export function parseNetList(text: string): Array<{ name: string; active: boolean; autostart: boolean }> {
  return text
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && f[0])
    .map((f) => ({ name: f[0]!, active: f[1] === 'active', autostart: f[2] === 'yes' }));
}

/** Throws unless every libvirt network is inactive and none autostarts. */
export async function assertNoLibvirtNetwork(): Promise<void> {
  const nets = parseNetList(await virsh('net-list', '--all'));
  const bad = nets.filter((n) => n.active || n.autostart);
  if (bad.length) throw new Error(`libvirt network(s) ${bad.map((n) => n.name).join(', ')} active or autostarting; the tests never use one`);
  const links = await fs.readdir(AUTOSTART).catch(() => [] as string[]);
  if (links.length) throw new Error(`autostart links in ${AUTOSTART}: ${links.join(', ')}`);
}

/** Starts virtlogd and libvirtd unless already running (by their PID files), then checks networks. */
export async function ensureLibvirt(): Promise<LibvirtHandle> {
  const t0 = Date.now();
  // What udev would do: without it libvirt re-probes qemu on every API call (minutes per `up`).
  await run('sh', ['-c', '[ -e /dev/kvm ] && getent group kvm >/dev/null && chgrp kvm /dev/kvm && chmod 660 /dev/kvm || true']);
  // Never let the packaged `default` NAT network (192.168.122.0/24) come up with libvirtd.
  await fs.rm(`${AUTOSTART}/default.xml`, { force: true });
  const started: LibvirtHandle['started'] = [];
  for (const d of DAEMONS) {
    const pid = await pidFrom(d.pidFile);
    if (pid && isAlive(pid)) continue;
    await run(d.bin, ['-d']);
    for (let i = 0; i < 50; i++) {
      const p = await pidFrom(d.pidFile);
      if (p && isAlive(p)) {
        started.push({ name: d.name, pid: p, pidFile: d.pidFile });
        break;
      }
      await sleep(100);
    }
  }
  for (let i = 0; ; i++) {
    try {
      await virsh('version');
      break;
    } catch (e) {
      if (i >= 100) throw new Error(`libvirtd did not answer: ${(e as Error).message}`);
      await sleep(200);
    }
  }
  await assertNoLibvirtNetwork();
  return { started, startMs: Date.now() - t0 };
}

/** Stops libvirtd then virtlogd by PID (those in `handle`, or whatever the PID files name). */
export async function stopLibvirt(handle?: LibvirtHandle): Promise<string[]> {
  const stopped: string[] = [];
  for (const d of [...DAEMONS].reverse()) {
    const pid = handle ? handle.started.find((s) => s.name === d.name)?.pid : await pidFrom(d.pidFile);
    if (!pid || !isAlive(pid)) continue;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    stopped.push(`${d.name}:${pid}`);
  }
  return stopped;
}
