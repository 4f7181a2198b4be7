// Builds the stand-in Python package index (PEP 503) into <cacheDir>/pypi:
// real Flask + deps repacked as wheels from Debian's python3-* .debs, plus the STAND-IN ddtrace.
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashInputs, readStamp, run, writeStamp } from '../standins/util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEBIAN_PACKAGES = [
  'python3-flask',
  'python3-werkzeug',
  'python3-jinja2',
  'python3-itsdangerous',
  'python3-click',
  'python3-markupsafe',
  'python3-blinker',
];
export const DDTRACE_VERSION = '4.14.0+standin';

export interface PypiIndex {
  /** Directory to serve (contains simple/ and packages/). */
  dir: string;
  /** Wheel file names, e.g. flask-2.2.2-py3-none-any.whl. */
  wheels: string[];
  /** Version of the Flask wheel (from Debian's python3-flask). */
  flaskVersion: string;
  rebuilt: boolean;
}

/** `apt-get download` the .debs into dir (cached); runs `apt-get update` once if lists are missing. */
async function downloadDebs(dir: string): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const have = async () => (await fs.readdir(dir)).filter((f) => f.endsWith('.deb'));
  const missing = async () => {
    const files = await have();
    return DEBIAN_PACKAGES.filter((p) => !files.some((f) => f.startsWith(`${p}_`)));
  };
  let need = await missing();
  if (need.length) {
    try {
      await run('apt-get', ['download', ...need], { cwd: dir });
    } catch {
      await run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update']);
      await run('apt-get', ['download', ...(await missing())], { cwd: dir });
    }
  }
  need = await missing();
  if (need.length) throw new Error(`could not download ${need.join(', ')}`);
  return (await have()).sort();
}

async function listWheels(dir: string): Promise<string[]> {
  return (await fs.readdir(join(dir, 'packages'))).filter((f) => f.endsWith('.whl')).sort();
}

function flaskVersionOf(wheels: string[]): string {
  const w = wheels.find((f) => f.startsWith('flask-'));
  if (!w) throw new Error('no flask wheel built');
  return w.split('-')[1]!;
}

/** Build (or reuse from cacheDir/pypi) the index. Caller holds the cache lock. */
export async function buildPypiIndex(cacheDir: string): Promise<PypiIndex> {
  const out = join(cacheDir, 'pypi');
  const inputs = await hashInputs(
    [join(HERE, 'ddtrace-src'), join(HERE, 'mkwheels.py'), fileURLToPath(import.meta.url)],
    DEBIAN_PACKAGES,
  );
  const stamp = await readStamp(out);
  if (stamp && stamp.inputs === inputs) {
    const wheels = await listWheels(out);
    return { dir: out, wheels, flaskVersion: flaskVersionOf(wheels), rebuilt: false };
  }
  const debs = await downloadDebs(join(cacheDir, 'debs'));
  const work = await fs.mkdtemp(join(cacheDir, 'pypi-build-'));
  try {
    const root = join(work, 'root');
    for (const d of debs) await run('dpkg-deb', ['-x', join(cacheDir, 'debs', d), root]);
    const tmpOut = join(work, 'out');
    await run('/usr/bin/python3', [
      join(HERE, 'mkwheels.py'),
      join(root, 'usr/lib/python3/dist-packages'),
      join(HERE, 'ddtrace-src'),
      tmpOut,
    ]);
    await writeStamp(tmpOut, { inputs, debs: debs.join(' ') });
    await fs.rm(out, { recursive: true, force: true });
    await fs.rename(tmpOut, out);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  const wheels = await listWheels(out);
  return { dir: out, wheels, flaskVersion: flaskVersionOf(wheels), rebuilt: true };
}
