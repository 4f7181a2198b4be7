// Builds the signed stand-in apt repository, laid out like apt.datadoghq.com:
//   dists/stable/{Release,InRelease,Release.gpg}, dists/stable/7/binary-<arch>/Packages(.gz),
//   pool/d/<pkg>/<pkg>_<ver>_<arch>.deb, DATADOG_APT_KEY_CURRENT.public (throwaway key, cached).
// STAND-IN for offline tests; not the Datadog Agent.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashInputs, readStamp, run, writeStamp } from '../standins/util.js';

export const AGENT_VERSION = '1:7.99.0-1+standin1';
export const SIGNING_KEYS_VERSION = '1:1.4.0-1+standin1';
export const STANDIN_DESCRIPTION = 'STAND-IN for offline tests; not the Datadog Agent';
export const KEY_FILE = 'DATADOG_APT_KEY_CURRENT.public';
const KEY_UID = 'Datadog apt STAND-IN key (offline tests only) <standin@127.0.0.1>';
const HERE = dirname(fileURLToPath(import.meta.url));
const PKG_SRC = join(HERE, 'pkg');

export interface AptRepo {
  /** Directory to serve over HTTP (repo root). */
  dir: string;
  keyFingerprint: string;
  arch: string;
  agentVersion: string;
  /** Path of the datadog-agent .deb inside dir. */
  agentDeb: string;
  rebuilt: boolean;
}

/** Run gpg with a private GNUPGHOME. */
function gpg(home: string, args: string[], input?: string) {
  return run('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { input });
}

/** The throwaway signing key: generated once per cache dir, then reused. */
async function ensureKey(cacheDir: string): Promise<{ home: string; fpr: string }> {
  const keyDir = join(cacheDir, 'gpg');
  const secret = join(keyDir, 'secret.asc');
  // Short GNUPGHOME path: gpg-agent socket paths are length-limited.
  const home = await fs.mkdtemp(join(tmpdir(), 'standin-gpg-'));
  await fs.chmod(home, 0o700);
  try {
    await fs.access(secret);
  } catch {
    await gpg(home, ['--passphrase', '', '--quick-gen-key', KEY_UID, 'rsa3072', 'sign', 'never']);
    await fs.mkdir(keyDir, { recursive: true });
    const { stdout } = await gpg(home, ['--armor', '--export-secret-keys']);
    await fs.writeFile(secret, stdout, { mode: 0o600 });
  }
  await gpg(home, ['--import', secret]);
  const { stdout } = await gpg(home, ['--list-secret-keys', '--with-colons']);
  const fpr = stdout.split('\n').find((l) => l.startsWith('fpr:'))?.split(':')[9];
  if (!fpr) throw new Error('stand-in apt key: no fingerprint found');
  return { home, fpr };
}

async function stopGpg(home: string): Promise<void> {
  await run('gpgconf', ['--homedir', home, '--kill', 'all']).catch(() => undefined);
  await fs.rm(home, { recursive: true, force: true });
}

function control(fields: Record<string, string>): string {
  return Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
}

async function buildAgentDeb(stage: string, out: string, arch: string): Promise<void> {
  const src = join(PKG_SRC, 'datadog-agent');
  await run('cp', ['-a', join(src, 'root') + '/.', stage]);
  await run('find', [stage, '-name', '__pycache__', '-prune', '-exec', 'rm', '-rf', '{}', '+']);
  await fs.mkdir(join(stage, 'DEBIAN'));
  for (const f of ['postinst', 'prerm', 'postrm', 'conffiles']) {
    await fs.copyFile(join(src, 'DEBIAN', f), join(stage, 'DEBIAN', f));
    await fs.chmod(join(stage, 'DEBIAN', f), f === 'conffiles' ? 0o644 : 0o755);
  }
  await fs.mkdir(join(stage, 'usr/bin'), { recursive: true });
  await fs.symlink('/opt/datadog-agent/bin/agent/agent', join(stage, 'usr/bin/datadog-agent'));
  await fs.mkdir(join(stage, 'usr/share/doc/datadog-agent'), { recursive: true });
  await fs.writeFile(join(stage, 'usr/share/doc/datadog-agent/README.standin'), `${STANDIN_DESCRIPTION}.\n`);
  await fs.writeFile(
    join(stage, 'DEBIAN/control'),
    control({
      Package: 'datadog-agent',
      Version: AGENT_VERSION,
      Architecture: arch,
      Maintainer: 'play testbed <standin@127.0.0.1>',
      Depends: 'python3, python3-yaml, python3-pymysql, adduser',
      Section: 'utils',
      Priority: 'extra',
      Homepage: 'https://www.datadoghq.com',
      Description: `${STANDIN_DESCRIPTION}\n Offline stand-in for the Datadog Agent 7 package: agent run/status/check/\n configcheck/hostname/version/health, an APM trace receiver on 127.0.0.1:8126,\n an LSB init script and a systemd unit, a real mysql check (PyMySQL). Sends no\n metrics; status asks the site's /api/v1/validate (URL from\n /etc/datadog-agent/standin-api-url) whether the API key is valid there.`,
    }),
  );
  await run('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', stage, out]);
}

async function buildSigningKeysDeb(stage: string, out: string): Promise<void> {
  await fs.mkdir(join(stage, 'DEBIAN'), { recursive: true });
  await fs.mkdir(join(stage, 'usr/share/doc/datadog-signing-keys'), { recursive: true });
  await fs.writeFile(join(stage, 'usr/share/doc/datadog-signing-keys/README.standin'), `${STANDIN_DESCRIPTION}.\n`);
  await fs.writeFile(
    join(stage, 'DEBIAN/control'),
    control({
      Package: 'datadog-signing-keys',
      Version: SIGNING_KEYS_VERSION,
      Architecture: 'all',
      Maintainer: 'play testbed <standin@127.0.0.1>',
      Section: 'misc',
      Priority: 'extra',
      Description: `STAND-IN for offline tests; not Datadog's signing keys package\n Empty stand-in for datadog-signing-keys; the keyring is managed by the role.`,
    }),
  );
  await run('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', stage, out]);
}

async function writeIndexes(repo: string, arch: string, home: string, fpr: string): Promise<void> {
  const bin = join(repo, 'dists/stable/7', `binary-${arch}`);
  await fs.mkdir(bin, { recursive: true });
  const { stdout: pkgs } = await run('apt-ftparchive', ['packages', 'pool'], { cwd: repo });
  await fs.writeFile(join(bin, 'Packages'), pkgs);
  await run('gzip', ['-9nk', join(bin, 'Packages')]);
  const opts = {
    Origin: 'Datadog, Inc. (STAND-IN)',
    Label: 'datadog-standin',
    Suite: 'stable',
    Codename: 'stable',
    Architectures: arch,
    Components: '7',
    Description: STANDIN_DESCRIPTION,
  };
  const args = Object.entries(opts).flatMap(([k, v]) => ['-o', `APT::FTPArchive::Release::${k}=${v}`]);
  const { stdout: release } = await run('apt-ftparchive', [...args, 'release', '.'], { cwd: join(repo, 'dists/stable') });
  const rel = join(repo, 'dists/stable/Release');
  await fs.writeFile(rel, release);
  const sign = ['--local-user', fpr, '--digest-algo', 'SHA256', '--yes'];
  await gpg(home, [...sign, '--clearsign', '-o', join(repo, 'dists/stable/InRelease'), rel]);
  await gpg(home, [...sign, '--armor', '--detach-sign', '-o', join(repo, 'dists/stable/Release.gpg'), rel]);
  const { stdout: pub } = await gpg(home, ['--armor', '--export', fpr]);
  await fs.writeFile(join(repo, KEY_FILE), pub);
}

/** Build (or reuse from cacheDir/apt) the signed stand-in repo. Caller holds the cache lock. */
export async function buildAptRepo(cacheDir: string): Promise<AptRepo> {
  const { stdout: archOut } = await run('dpkg', ['--print-architecture']);
  const arch = archOut.trim();
  const repo = join(cacheDir, 'apt');
  const inputs = await hashInputs([PKG_SRC, fileURLToPath(import.meta.url)], [arch, AGENT_VERSION]);
  const agentDeb = `pool/d/datadog-agent/datadog-agent_${AGENT_VERSION.replace(/^\d+:/, '')}_${arch}.deb`;
  const stamp = await readStamp(repo);
  const secretExists = await fs.access(join(cacheDir, 'gpg/secret.asc')).then(() => true, () => false);
  if (stamp && stamp.inputs === inputs && stamp.fingerprint && secretExists) {
    return { dir: repo, keyFingerprint: stamp.fingerprint, arch, agentVersion: AGENT_VERSION, agentDeb, rebuilt: false };
  }
  const { home, fpr } = await ensureKey(cacheDir);
  const work = await fs.mkdtemp(join(cacheDir, 'apt-build-'));
  try {
    const tmpRepo = join(work, 'repo');
    await fs.mkdir(join(tmpRepo, 'pool/d/datadog-agent'), { recursive: true });
    await fs.mkdir(join(tmpRepo, 'pool/d/datadog-signing-keys'), { recursive: true });
    await buildAgentDeb(join(work, 'stage-agent'), join(tmpRepo, agentDeb), arch);
    const skDeb = `pool/d/datadog-signing-keys/datadog-signing-keys_${SIGNING_KEYS_VERSION.replace(/^\d+:/, '')}_all.deb`;
    await buildSigningKeysDeb(join(work, 'stage-keys'), join(tmpRepo, skDeb));
    await writeIndexes(tmpRepo, arch, home, fpr);
    await writeStamp(tmpRepo, { inputs, fingerprint: fpr, agentVersion: AGENT_VERSION });
    await fs.rm(repo, { recursive: true, force: true });
    await fs.rename(tmpRepo, repo);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
    await stopGpg(home);
  }
  return { dir: repo, keyFingerprint: fpr, arch, agentVersion: AGENT_VERSION, agentDeb, rebuilt: true };
}
