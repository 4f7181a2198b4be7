// STAND-IN hosts for scale runs past what real test hosts hold on this machine (each real one is an
// sshd in its own namespaces over an overlay of /). One Node process serves every stand-in: an ssh2
// Server listening on the stand-in's own loopback address, port 22, with its own host key. A command
// runs in real /bin/sh, in a private mount namespace where the stand-in's own directory is bound over
// the bench's roots (/srv/bench, /opt/bench) and over /tmp, /run/lock and /etc/machine-id. So each
// stand-in has its own files, identity and lock, and a command costs a fork, an unshare and a shell,
// as under sshd, without sshd's per-connection process and privilege separation.
// Not a test host: no chroot, no users, no sftp; it serves exactly what the bench playbook needs.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { stringify } from 'yaml';
import { assertLoopback } from '../testbed/host.js';
import { ensureClientKey, nthIp } from '../testbed/testbed.js';

const { Server, utils } = ssh2;

/** Paths bound per stand-in: [inside the stand-in's dir, where it appears]. */
const BINDS: ReadonlyArray<readonly [string, string]> = [
  ['srv', '/srv/bench'], ['opt', '/opt/bench'], ['tmp', '/tmp'], ['lock', '/run/lock'], ['machine-id', '/etc/machine-id'],
];

/** $1 = the stand-in's dir, $2 = the command. Binds, then runs the command as sshd would (sh -c). */
const PRELUDE = BINDS.map(([from, to]) => `mount --bind "$1/${from}" ${to}`).join(' && ') + ' && cd / && exec /bin/sh -c "$2"';

export interface StandinHost {
  name: string;
  ip: string;
  dir: string;
  hostKeyPublic: string;
}

export interface StandinPool {
  hosts: StandinHost[];
  knownHostsPath: string;
  inventory(n: number): Promise<string>;
  /** Empties the first n stand-ins' files (a cold start; host keys are kept). */
  reset(n: number): Promise<void>;
  stop(): Promise<void>;
}

async function freshDir(dir: string, machineId: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  for (const [from] of BINDS) if (from !== 'machine-id') await fs.mkdir(join(dir, from), { recursive: true });
  await fs.chmod(join(dir, 'tmp'), 0o1777);
  await fs.writeFile(join(dir, 'machine-id'), machineId + '\n');
}

/** An ed25519 host key. ssh2 now and then writes one its own parser rejects (seen at ~1 in 100): made again. */
function hostKey(): { private: string; public: string } {
  for (let i = 0; ; i++) {
    const key = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(key.private) instanceof Error) || i >= 10) return key;
  }
}

export async function startStandins(count: number, baseDir: string, firstIp: string): Promise<StandinPool> {
  assertLoopback(firstIp);
  await fs.mkdir(baseDir, { recursive: true, mode: 0o700 });
  for (const [, to] of BINDS) if (to !== '/etc/machine-id') await fs.mkdir(to, { recursive: true });
  const { keyPath, publicKey } = await ensureClientKey(baseDir);
  const allowed = utils.parseKey(publicKey);
  if (allowed instanceof Error) throw allowed;
  const hosts: StandinHost[] = [];
  const servers: InstanceType<typeof Server>[] = [];
  const children = new Set<ReturnType<typeof spawn>>();
  for (let i = 0; i < count; i++) {
    const name = `s${i + 1}`;
    const ip = nthIp(firstIp, i);
    const dir = join(baseDir, name);
    await freshDir(dir, randomBytes(16).toString('hex'));
    const key = hostKey();
    const hostKeyPublic = key.public.trim().split(/\s+/).slice(0, 2).join(' ');
    const server = new Server({ hostKeys: [key.private] }, (client) => {
      (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true); // as sshd does (TCP_NODELAY for interactive sessions): no Nagle + delayed ACK stall
      client.on('error', () => client.end());
      client.on('authentication', (ctx) => {
        const ok = ctx.method === 'publickey' && ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH());
        if (!ok) return ctx.reject(['publickey']);
        if (!ctx.signature) return ctx.accept();
        return allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(['publickey']);
      });
      client.on('ready', () => client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          const child = spawn('unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', PRELUDE, 'sh', dir, info.command], {
            stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', USER: 'root', LANG: 'C.UTF-8' },
          });
          children.add(child);
          stream.pipe(child.stdin!).on('error', () => undefined);
          child.stdout!.pipe(stream, { end: false });
          child.stderr!.pipe(stream.stderr, { end: false });
          child.on('close', (code, signal) => {
            children.delete(child);
            if (signal) stream.exit(signal.replace(/^SIG/, ''), false, '');
            else stream.exit(code ?? 255);
            stream.end();
          });
          stream.on('close', () => child.stdin?.end());
        });
      }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(22, ip, () => resolve());
    });
    servers.push(server);
    hosts.push({ name, ip, dir, hostKeyPublic });
  }
  const knownHostsPath = join(baseDir, 'standin_known_hosts');
  await fs.writeFile(knownHostsPath, hosts.map((h) => `${h.ip} ${h.hostKeyPublic}\n`).join(''));
  return {
    hosts, knownHostsPath,
    async inventory(n) {
      const entries = Object.fromEntries(hosts.slice(0, n).map((h) => [h.name, { ansible_host: h.ip, ansible_port: 22, ansible_user: 'root', ansible_ssh_private_key_file: keyPath }]));
      const p = join(baseDir, `standin-inventory-${n}.yml`);
      await fs.writeFile(p, stringify({ all: { children: { bench: { hosts: entries } } } }));
      return p;
    },
    async reset(n) {
      await Promise.all(hosts.slice(0, n).map((h) => freshDir(h.dir, randomBytes(16).toString('hex'))));
    },
    async stop() {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
      await fs.rm(baseDir, { recursive: true, force: true });
    },
  };
}
