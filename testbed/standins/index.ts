// Offline stand-ins for the Datadog apt repo and PyPI: build (or reuse the cache), then serve
// both over HTTP on loopback. STAND-IN for offline tests; not the Datadog Agent.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { AGENT_VERSION, KEY_FILE, buildAptRepo, type AptRepo } from '../aptrepo/build.js';
import { DDTRACE_VERSION, buildPypiIndex, type PypiIndex } from '../pypi/build.js';
import { serveDir } from './server.js';
import { withLock } from './util.js';

export { AGENT_VERSION, DDTRACE_VERSION, KEY_FILE };
export const DEFAULT_CACHE_DIR = process.env.PLAY_STANDINS_CACHE ?? '/var/tmp/play-standins';

export interface StandinsOptions {
  aptPort?: number;
  pypiPort?: number;
  cacheDir?: string;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
}

export interface BuiltStandins {
  apt: AptRepo;
  pypi: PypiIndex;
  /** Milliseconds spent in buildStandins. */
  buildMs: number;
}

export interface Standins {
  /** Repo root, e.g. http://127.0.0.1:8701/ (use as `deb [signed-by=...] <aptUrl> stable 7`). */
  aptUrl: string;
  /** <aptUrl>DATADOG_APT_KEY_CURRENT.public (ASCII-armored public key). */
  keyUrl: string;
  /** 40-hex fingerprint of the throwaway signing key. */
  keyFingerprint: string;
  /** PEP 503 index, e.g. http://127.0.0.1:8702/simple/ */
  pypiUrl: string;
  agentVersion: string;
  flaskVersion: string;
  ddtraceVersion: string;
  /** Absolute path of the datadog-agent .deb in the cache. */
  agentDebPath: string;
  built: BuiltStandins;
  stop(): Promise<void>;
}

/** Build both stand-ins into cacheDir (reused when inputs are unchanged). */
export async function buildStandins(cacheDir = DEFAULT_CACHE_DIR): Promise<BuiltStandins> {
  const t0 = Date.now();
  await fs.mkdir(cacheDir, { recursive: true });
  return withLock(join(cacheDir, '.lock'), async () => {
    const apt = await buildAptRepo(cacheDir);
    const pypi = await buildPypiIndex(cacheDir);
    return { apt, pypi, buildMs: Date.now() - t0 };
  });
}

/** Build (or reuse) and serve the apt repo and the package index on loopback. */
export async function startStandins(opts: StandinsOptions = {}): Promise<Standins> {
  const host = opts.host ?? '127.0.0.1';
  if (!/^127\./.test(host)) throw new Error(`stand-ins bind to loopback only, got ${host}`);
  const built = await buildStandins(opts.cacheDir ?? DEFAULT_CACHE_DIR);
  const apt = await serveDir(built.apt.dir, opts.aptPort ?? 0, host);
  let pypi;
  try {
    pypi = await serveDir(built.pypi.dir, opts.pypiPort ?? 0, host);
  } catch (err) {
    await apt.close();
    throw err;
  }
  return {
    aptUrl: apt.url,
    keyUrl: `${apt.url}${KEY_FILE}`,
    keyFingerprint: built.apt.keyFingerprint,
    pypiUrl: `${pypi.url}simple/`,
    agentVersion: built.apt.agentVersion,
    flaskVersion: built.pypi.flaskVersion,
    ddtraceVersion: DDTRACE_VERSION,
    agentDebPath: join(built.apt.dir, built.apt.agentDeb),
    built,
    stop: async () => {
      await Promise.all([apt.close(), pypi.close()]);
    },
  };
}
