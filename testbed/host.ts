// One test host: an sshd in its own mount/UTS/PID namespace, chrooted into an overlay of "/",
// listening on its own loopback address. Writes land in <baseDir>/<name>/upper.
// Recipe: /work/shared/testbed/mkhost.sh; this is the project's own implementation.
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, openSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killTree, descendants, isAlive, waitGone, unmountUnder, removeHostDirs } from './proc.js';

const run = promisify(execFile);

export interface HostExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestHost {
  name: string;
  ip: string;
  port: 22;
  /** Pid of the `unshare` process (in this machine's pid namespace). */
  pid: number;
  /** Pid of the namespace's init (a shell that keeps the namespace alive). */
  initPid: number;
  hostDir: string;
  upperDir: string;
  mergedDir: string;
  logPath: string;
  /** "ssh-ed25519 AAAA..." */
  hostKeyPublic: string;
  machineId: string;
  stop(opts?: { keep?: boolean }): Promise<void>;
  /** SIGKILL the sshd listener and every session under it: the host becomes unreachable. */
  killSshd(): Promise<void>;
  /** Start sshd again after killSshd (daemonized inside the namespace) and wait for the port. */
  restartSshd(): Promise<void>;
  /** Run a command inside the host (namespaces + chroot), for test assertions. */
  exec(cmd: string): Promise<HostExecResult>;
}

export interface StartHostOptions {
  name: string;
  ip: string;
  baseDir: string;
  clientPublicKey: string;
  /** Bound on waiting for the port (default 15000 ms). */
  readyTimeoutMs?: number;
  /**
   * Extra sshd `-o` options (e.g. 'PasswordAuthentication=yes', 'ListenAddress=IP:2222' with IP as
   * the literal text `IP`). They come first, so they win over the defaults: sshd keeps the first value.
   */
  sshdOptions?: string[];
}

const AUTH_KEYS = '/etc/ssh/play_authorized_keys';
const HOST_KEY = '/etc/ssh/play_host_ed25519_key';

export function assertLoopback(ip: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip) || ip.split('.').some((o) => Number(o) > 255)) {
    throw new Error(`test hosts use loopback addresses only (127.x.y.z), got ${JSON.stringify(ip)}`);
  }
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Create a directory inside the upper layer with the same mode as the real one in "/". */
async function mirrorDir(upper: string, rel: string): Promise<void> {
  const parts = rel.split('/').filter(Boolean);
  let cur = '';
  for (const p of parts) {
    cur += '/' + p;
    const st = await fs.stat(cur).catch(() => null);
    await fs.mkdir(upper + cur, { recursive: true });
    await fs.chmod(upper + cur, st ? st.mode & 0o7777 : 0o755);
  }
}

/** Files the host gets before its overlay is mounted: host key, machine-id, profiles, authorized_keys. */
async function seedUpper(upper: string, hostDir: string, name: string, clientPublicKey: string) {
  await mirrorDir(upper, '/etc/ssh');
  await mirrorDir(upper, '/root');
  const keyPath = join(hostDir, 'ssh_host_ed25519_key');
  await fs.rm(keyPath, { force: true });
  await fs.rm(keyPath + '.pub', { force: true });
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${name}`, '-f', keyPath]);
  const hostKeyPublic = (await fs.readFile(keyPath + '.pub', 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
  await fs.copyFile(keyPath, upper + HOST_KEY);
  await fs.chmod(upper + HOST_KEY, 0o600);
  await fs.copyFile(keyPath + '.pub', upper + HOST_KEY + '.pub');
  const machineId = randomBytes(16).toString('hex');
  await fs.writeFile(join(upper, 'etc/machine-id'), machineId + '\n', { mode: 0o444 });
  await fs.writeFile(join(upper, 'etc/hostname'), name + '\n', { mode: 0o644 });
  // 0644: sshd reads an absolute AuthorizedKeysFile as the user logging in, so non-root users need to read it.
  await fs.writeFile(upper + AUTH_KEYS, clientPublicKey.trim() + '\n', { mode: 0o644 });
  // A stock shell profile: this machine's /root/.bashrc runs pyenv init (~100 ms per remote command).
  for (const f of ['.bashrc', '.profile']) await fs.copyFile(join('/etc/skel', f), join(upper, 'root', f));
  return { hostKeyPublic, machineId };
}

function sshdArgs(ip: string, extra: string[] = []): string[] {
  return ['-e', '-p', '22', '-h', HOST_KEY, ...extra.flatMap((o) => ['-o', shq(o.replace(/\bIP\b/g, ip))]),
    '-o', `ListenAddress=${ip}`, '-o', 'PermitRootLogin=prohibit-password', '-o', 'UsePAM=no',
    '-o', 'PasswordAuthentication=no', '-o', 'KbdInteractiveAuthentication=no',
    '-o', `AuthorizedKeysFile=${AUTH_KEYS}`, '-o', 'StrictModes=yes',
    '-o', 'MaxSessions=64', '-o', 'MaxStartups=100:30:200', '-o', 'LogLevel=ERROR',
    '-o', 'PidFile=/run/sshd.pid'];
}

function innerScript(ip: string, name: string, upper: string, work: string, merged: string, extra: string[]): string {
  const sshd = ['/usr/sbin/sshd', '-D', ...sshdArgs(ip, extra)].join(' ');
  const m = shq(merged);
  return `set -e
mount --make-rprivate /
mount -t overlay overlay -o lowerdir=/,upperdir=${shq(upper)},workdir=${shq(work)} ${m}
mount -t proc proc ${m}/proc
mount --rbind /dev ${m}/dev
mount --rbind /sys ${m}/sys
mount -t tmpfs tmpfs ${m}/run
mount -t tmpfs -o mode=1777 tmpfs ${m}/tmp
hostname ${shq(name)}
mkdir -p ${m}/run/sshd
chroot ${m} ${sshd} &
set +e
# stay alive as the namespace's init (and reap orphans) even after sshd is killed
while :; do sleep 3600; done
`;
}

function probePort(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: ip, port });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

async function waitPort(ip: string, pid: number, logPath: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probePort(ip, 22)) return;
    const log = await fs.readFile(logPath, 'utf8').catch(() => '');
    if (!isAlive(pid) || /error|fatal|cannot|failed/i.test(log)) {
      throw new Error(`test host on ${ip} failed to start (see ${logPath}):\n${log.trim()}`);
    }
    if (Date.now() > deadline) throw new Error(`test host on ${ip}: port 22 not open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** The sshd listener: the child of the namespace init that runs /usr/sbin/sshd. */
async function sshdPid(initPid: number): Promise<number | undefined> {
  for (const pid of await descendants(initPid)) {
    const cmd = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === initPid && /^(sshd: )?\/usr\/sbin\/sshd/.test(cmd)) return pid;
  }
  return undefined;
}

export async function startHost(opts: StartHostOptions): Promise<TestHost> {
  const { name, ip, baseDir } = opts;
  assertLoopback(ip);
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name)) throw new Error(`bad test host name ${JSON.stringify(name)}`);
  if (await probePort(ip, 22)) throw new Error(`${ip}:22 is already in use; pick another address`);
  const hostDir = join(baseDir, name);
  const upper = join(hostDir, 'upper'), work = join(hostDir, 'work'), merged = join(hostDir, 'merged');
  await removeHostDirs(hostDir);
  for (const d of [upper, work, merged]) await fs.mkdir(d, { recursive: true });
  const { hostKeyPublic, machineId } = await seedUpper(upper, hostDir, name, opts.clientPublicKey);

  const logPath = join(hostDir, 'sshd.log');
  const fd = openSync(logPath, 'w');
  const child = spawn('unshare', ['--mount', '--uts', '--pid', '--fork', '--kill-child', '--mount-proc',
    'sh', '-c', innerScript(ip, name, upper, work, merged, opts.sshdOptions ?? [])], { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn unshare for ${name}`);
  // "<unshare pid> <owner pid>": cleanupStale leaves hosts of a live owner alone
  await fs.writeFile(join(hostDir, 'pid'), `${pid} ${process.pid}\n`);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  let stopped = false;
  const stop = async (o?: { keep?: boolean }) => {
    if (!stopped) {
      stopped = true;
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      await waitGone(pid);
      // and reaped (it is our child): bounded, the process is already dead
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      // --kill-child takes the namespace; wait until its init is gone too
      if (initPid) await waitGone(initPid);
    }
    if (!o?.keep) await removeHostDirs(hostDir);
  };

  let initPid = 0;
  try {
    await waitPort(ip, pid, logPath, opts.readyTimeoutMs ?? 15000);
    const kids = await descendants(pid, false);
    if (kids.length === 0) throw new Error(`test host ${name}: namespace init not found`);
    initPid = kids[0]!;
  } catch (e) {
    await stop({ keep: true });
    throw e;
  }

  const exec = async (cmd: string): Promise<HostExecResult> => {
    const args = ['--target', String(initPid), '--mount', '--uts', '--pid', 'chroot', merged, 'sh', '-c', cmd];
    return new Promise((resolve, reject) => {
      execFile('nsenter', args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? Number(err.code) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  };

  const killSshd = async () => {
    const s = await sshdPid(initPid);
    if (s !== undefined) await killTree(s);
  };

  const restartSshd = async () => {
    const r = await exec(['/usr/sbin/sshd', ...sshdArgs(ip, opts.sshdOptions ?? []), '-E', '/run/sshd.log'].join(' '));
    if (r.code !== 0) throw new Error(`restarting sshd on ${name} failed: ${r.stderr}`);
    await waitPort(ip, pid, logPath, opts.readyTimeoutMs ?? 15000);
  };

  return { name, ip, port: 22, pid, initPid, hostDir, upperDir: upper, mergedDir: merged, logPath,
    hostKeyPublic, machineId, stop, killSshd, restartSshd, exec };
}

/**
 * Kill test hosts left over by a crashed run (pids recorded in <baseDir>/<name>/pid), unmount leftovers,
 * remove their upper/work dirs. Hosts whose owning process is still alive are left alone unless force.
 */
export async function cleanupStale(baseDir: string, opts: { force?: boolean } = {}): Promise<string[]> {
  const cleaned: string[] = [];
  const entries = await fs.readdir(baseDir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const hostDir = join(baseDir, e.name);
    const pidText = await fs.readFile(join(hostDir, 'pid'), 'utf8').catch(() => null);
    if (pidText === null) continue;
    const [pid = 0, owner = 0] = pidText.trim().split(/\s+/).map(Number);
    if (!opts.force && owner > 0 && owner !== process.pid && isAlive(owner)) continue;
    const cmd = pid > 0 ? await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') : '';
    // only kill what is really our unshare for this host dir (pids get reused)
    if (cmd.startsWith('unshare') && cmd.includes(join(hostDir, 'merged'))) {
      await killTree(pid);
    }
    await unmountUnder(hostDir);
    await removeHostDirs(hostDir);
    cleaned.push(e.name);
  }
  await unmountUnder(baseDir);
  return cleaned;
}
