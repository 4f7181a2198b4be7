// The test box: built/reused by ensure-box.sh (cached under PLAY_VAGRANT_CACHE), added to a
// VAGRANT_HOME that libvirt's qemu user can read, re-added when the recipe hash changes.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { virsh } from './libvirt.js';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));

export const BOX_NAME = 'play-debian12';
export const DEFAULT_CACHE = '/var/cache/play-vagrant';

export interface BoxInfo {
  path: string;
  hash: string;
  built: boolean;
  ms: number;
}

/** Environment for `vagrant` with the test box: home outside /root, loopback SSH port, libvirt. */
export function vagrantEnv(home: string, sshPort: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    VAGRANT_HOME: home,
    VAGRANT_DEFAULT_PROVIDER: 'libvirt',
    VAGRANT_CHECKPOINT_DISABLE: '1',
    VAGRANT_NO_PLUGINS_UPDATE: '1',
    VAGRANT_LOOPBACK_SSH_PORT: String(sshPort),
  };
}

/** Runs ensure-box.sh (builds only when missing or stale); the script source sits next to this file. */
export async function ensureBox(cache = process.env.PLAY_VAGRANT_CACHE ?? DEFAULT_CACHE): Promise<BoxInfo> {
  const t0 = Date.now();
  const script = join(HERE, 'ensure-box.sh');
  const { stdout } = await run(script, [], { env: { ...process.env, PLAY_VAGRANT_CACHE: cache }, maxBuffer: 64 << 20 });
  const m = /^box: (cached|built) (\S+) (\S+)$/m.exec(stdout);
  if (!m) throw new Error(`ensure-box.sh printed no box line:\n${stdout.slice(-2000)}`);
  return { built: m[1] === 'built', path: m[2]!, hash: m[3]!, ms: Date.now() - t0 };
}

/** Adds the box to VAGRANT_HOME unless the same build is already there; drops stale pool volumes. */
export async function addBox(box: BoxInfo, env: NodeJS.ProcessEnv): Promise<boolean> {
  const home = env.VAGRANT_HOME!;
  const marker = join(home, `${BOX_NAME}.sha256`);
  if ((await fs.readFile(marker, 'utf8').catch(() => '')).trim() === box.hash) return false;
  await fs.mkdir(home, { recursive: true });
  await run('vagrant', ['box', 'add', '--force', '--name', BOX_NAME, box.path], { env, maxBuffer: 16 << 20 });
  // vagrant-libvirt reuses an uploaded base volume by name: remove one left by an older build.
  const vols = await virsh('vol-list', 'default').catch(() => '');
  for (const line of vols.split('\n').slice(2)) {
    const name = line.trim().split(/\s+/)[0];
    if (name && name.startsWith(`${BOX_NAME}_vagrant_box_image`)) await virsh('vol-delete', '--pool', 'default', name);
  }
  // qemu runs as libvirt-qemu and must reach the box's vmlinuz/initrd.img.
  await run('sh', ['-c', `d=${JSON.stringify(home)}; while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done; find ${JSON.stringify(home)} -type d -exec chmod o+rx {} +`]);
  await fs.writeFile(marker, `${box.hash}\n`);
  return true;
}
