// SSH transport: one persistent node-ssh (ssh2) connection per host, through its ProxyJump hops if any;
// commands go through one long-lived remote sh on it (or a channel each when that shell is busy or cannot
// start); put goes over the same connection: small files on exec stdin, large ones over SFTP. Every hop's
// host key is checked against known_hosts; authentication follows OpenSSH's order (auth.ts).
import { createHash } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Algorithms, Client } from 'ssh2';
import { ConnectionError } from '../errors.js';
import type { ConnectionSpec } from '../types.js';
import type { Duplex } from 'node:stream';
import { authHandler, describeSteps, planAuth } from './auth.js';
import {
  appendKnownHost, checkHostKey, entriesFor, formatKnownHost, hostKeyAlgorithms, hostKeyName, type HostKeyVerdict, readKnownHosts,
} from './known-hosts.js';
import { expandPath } from './ssh-config.js';
import { SshChannels } from './ssh-session.js';
import type { Connection, ExecOptions, ExecResult, HeldCommand, PutOptions } from './types.js';

export type HostKeyCheck = 'strict' | 'accept-new' | 'off';

export interface SshOptions {
  /** The run's policy (--ssh-host-key-check); a host's ansible_ssh_common_args win, ssh_config loses. Default strict. */
  hostKeyCheck?: HostKeyCheck;
  /** Default: ssh_config's UserKnownHostsFile, else ~/.ssh/known_hosts; then /etc/ssh/ssh_known_hosts. accept-new appends to the first. */
  knownHostsFiles?: string[];
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** Private key text; otherwise the agent, then the spec's identity files (or ~/.ssh/id_*), then its password. */
  privateKey?: string;
  /** Agent socket (default SSH_AUTH_SOCK; '' for none). */
  agentSocket?: string;
  /** Asks for a key passphrase (default: on /dev/tty, without echo). */
  ask?: (question: string) => Promise<string>;
  /** Channels open at once on the connection (OpenSSH's default MaxSessions is 10). */
  maxChannels?: number;
  /** Run commands through one long-lived remote `sh` instead of a channel each (default true). */
  persistentShell?: boolean;
  /** -vvvv: the SSH library's debug lines. */
  debug?: (line: string) => void;
}

export function defaultKnownHostsFiles(): string[] {
  return [join(homedir(), '.ssh', 'known_hosts'), GLOBAL_KNOWN_HOSTS];
}
const GLOBAL_KNOWN_HOSTS = '/etc/ssh/ssh_known_hosts';

function knownHostsFor(spec: ConnectionSpec, opts: SshOptions): string[] {
  if (spec.knownHostsFiles) return spec.knownHostsFiles.map((f) => expandPath(f, { host: spec.address, user: spec.user, port: spec.port }));
  if (opts.knownHostsFiles) return opts.knownHostsFiles;
  if (spec.configKnownHostsFiles) return [...spec.configKnownHostsFiles.map((f) => expandPath(f, { host: spec.address, user: spec.user, port: spec.port })), GLOBAL_KNOWN_HOSTS];
  return defaultKnownHostsFiles();
}

function describeFailure(spec: ConnectionSpec, e: unknown, tried: string, notes: string[]): string {
  const err = e as NodeJS.ErrnoException & { level?: string };
  const where = `${spec.user}@${spec.address}:${spec.port}`;
  if (err.code === 'ECONNREFUSED') return `connection refused by ${spec.address}:${spec.port} (is sshd running?)`;
  if (err.code === 'ETIMEDOUT' || /timed out/i.test(err.message ?? '')) return `timed out connecting to ${where}`;
  if (err.level === 'client-authentication') {
    return `authentication failed for ${where} (tried ${tried})${notes.length ? `; ${notes.join('; ')}` : ''}`;
  }
  return `cannot connect to ${where}: ${err.message ?? String(e)}`;
}

// The SSH library is loaded on the first connect, not at start-up: commands that contact no host
// (validate, --list-tasks, state) never pay for it, and a run loads it while sshd accepts the socket.
let sshLibrary: Promise<[typeof import('node-ssh'), typeof import('ssh2')]> | undefined;
// ssh2 is CommonJS: from an ES module its exports may sit under `default`
const loadSshLibrary = () => (sshLibrary ??= Promise.all([import('node-ssh'),
  import('ssh2').then((m) => (m as unknown as { default?: typeof import('ssh2') }).default ?? m)]));

/** Open one SSH connection to spec.address, through spec.jumps first; fails with ConnectionError. */
export async function openSsh(spec: ConnectionSpec, opts: SshOptions): Promise<Connection> {
  for (const s of [...(spec.jumps ?? []), spec]) if (s.problem) throw new ConnectionError(spec.host, s.problem);
  const hops = spec.jumps ?? [];
  const clients: Client[] = [];
  const closeAll = () => { for (const c of clients.reverse()) c.end(); };
  try {
    let via: Client | undefined;
    for (const hop of [...hops, spec]) {
      const name = hop === spec ? spec.host : `${spec.host} (jump host ${hop.host})`;
      const client = await connectHop({ ...hop, host: name }, hop === spec ? opts : { ...opts, privateKey: undefined }, via);
      clients.push(client);
      via = client;
    }
  } catch (e) {
    closeAll();
    throw e;
  }
  const target = clients[clients.length - 1]!;
  const jumps = clients.slice(0, -1);
  // a jump connection that fails later closes the target's channel, which reports it; its own error must not go unheard
  for (const j of jumps) j.on('error', () => undefined);
  return new SshConnection(spec.host, spec.address, target, opts.maxChannels ?? 8, opts.persistentShell ?? true, jumps, verifiedKeys.get(target) ?? '');
}

/** One hop: a TCP socket, or a channel forwarded by the hop before it. */
async function connectHop(spec: ConnectionSpec, opts: SshOptions, via: Client | undefined): Promise<Client> {
  // Our own socket, opened first: the host accepts it while we read known_hosts, the key and the SSH
  // library. TCP_NODELAY is on from the first packet: the handshake and auth are small request/reply
  // packets, and Nagle against the host's delayed ACK would add 40 ms to connecting.
  const sock: Duplex = via ? await forward(via, spec) : tcpConnect({ host: spec.address, port: spec.port, noDelay: true });
  let sockError: Error | undefined;
  sock.on('error', (e: Error) => (sockError ??= e));
  // A host that accepts and then closes (a port that is not sshd, a full server) sends no error:
  // without this, the handshake would wait on a socket that will never speak.
  sock.once('close', () => (sockError ??= new Error(`${spec.address}:${spec.port} closed the connection before the SSH handshake`)));
  try {
    return await handshake(spec, opts, sock, () => sockError);
  } catch (e) {
    sock.destroy();
    throw e;
  }
}

function forward(via: Client, spec: ConnectionSpec): Promise<Duplex> {
  return new Promise((resolve, reject) => via.forwardOut('127.0.0.1', 0, spec.address, spec.port, (err, ch) => {
    if (err) reject(new ConnectionError(spec.host, `cannot reach ${spec.address}:${spec.port} through the jump host: ${err.message}`));
    else resolve(ch);
  }));
}

async function handshake(spec: ConnectionSpec, opts: SshOptions, sock: Duplex, sockError: () => Error | undefined): Promise<Client> {
  const policy: HostKeyCheck = spec.hostKeyCheck ?? opts.hostKeyCheck ?? spec.configHostKeyCheck ?? 'strict';
  const files = knownHostsFor(spec, opts);
  const name = hostKeyName(spec.address, spec.port);
  const entries = policy === 'off' ? [] : await readKnownHosts(files);
  const known = entriesFor(entries, name).filter((e) => !e.marker);
  // Like OpenSSH: ask for the key types we already know for this host, so a mismatch means "changed".
  const algs = [...new Set(known.flatMap((e) => hostKeyAlgorithms(e.keyType)))];
  let refusal: string | undefined;
  let toAppend: string | undefined;

  let hostKey = '';
  const hostVerifier = (blob: Buffer): boolean => {
    hostKey = createHash('sha256').update(blob).digest('hex'); // part of the host's identity (state/identity.ts)
    if (policy === 'off') return true;
    const v = checkHostKey(entries, name, blob);
    switch (v.kind) {
      case 'match':
        return true;
      case 'revoked':
      case 'changed':
        refusal = hostKeyRefusal(spec, v);
        return false;
      case 'unknown':
        if (policy === 'accept-new') {
          toAppend = formatKnownHost(name, blob);
          return true;
        }
        refusal = hostKeyRefusal(spec, v, files);
        return false;
    }
  };

  const [{ NodeSSH }, lib] = await loadSshLibrary();
  const notes: string[] = [];
  const steps = await planAuth(lib, spec, opts, notes);
  const early = sockError();
  if (early) throw new ConnectionError(spec.host, describeFailure(spec, early, '', []));
  const ssh = new NodeSSH();
  const algorithms = algs.length ? ({ serverHostKey: algs } as Algorithms) : undefined;
  // Our own handshake timer (not ssh2's readyTimeout): it stops while a passphrase is being typed.
  const timeoutMs = spec.connectTimeoutSec ? spec.connectTimeoutSec * 1000 : opts.connectTimeoutMs ?? 10000;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  // The handshake ends in ready, an error, our timer, or the socket closing: ssh2 reports nothing
  // for a socket that closes before its first byte, so the last two settle it here.
  let fail!: (e: Error) => void;
  const failed = new Promise<never>((_, rej) => { fail = rej; });
  failed.catch(() => undefined);
  const onClose = () => fail(sockError() ?? new Error('connection closed during setup'));
  sock.once('close', onClose);
  const arm = (on: boolean) => {
    clearTimeout(timer);
    if (on) timer = setTimeout(() => { timedOut = true; sock.destroy(new Error('timed out')); fail(new Error('timed out')); }, timeoutMs);
  };
  arm(true);
  const keepaliveInterval = spec.serverAliveIntervalSec !== undefined ? spec.serverAliveIntervalSec * 1000 : opts.keepaliveIntervalMs ?? 15000;
  try {
    await Promise.race([failed, ssh.connect({
      sock: sock as Socket, host: spec.address, port: spec.port, username: spec.user,
      authHandler: authHandler(lib, spec, steps, opts, notes, (paused) => arm(!paused)),
      readyTimeout: 0, keepaliveInterval, keepaliveCountMax: 3, hostVerifier, algorithms,
      ...(opts.debug ? { debug: opts.debug } : {}),
    })]);
  } catch (e) {
    ssh.dispose();
    throw new ConnectionError(spec.host, refusal ?? describeFailure(spec, timedOut ? new Error('timed out') : e, describeSteps(steps), notes));
  } finally {
    arm(false);
    sock.removeListener('close', onClose);
  }
  const client = ssh.connection as Client | null;
  if (!client) throw new ConnectionError(spec.host, `connection to ${spec.address} closed during setup`);
  if (toAppend && files[0]) await appendKnownHost(files[0], toAppend);
  verifiedKeys.set(client, hostKey);
  return client;
}

/** The sha256 of the host key each connected client verified (read once, by openSsh). */
const verifiedKeys = new WeakMap<Client, string>();

/** What to say when a host key is unknown, changed or revoked; the commands carry -p for non-22 ports. */
export function hostKeyRefusal(spec: ConnectionSpec, v: HostKeyVerdict, files: string[] = []): string {
  const name = hostKeyName(spec.address, spec.port);
  const portArg = spec.port === 22 ? '' : `-p ${spec.port} `;
  switch (v.kind) {
    case 'revoked':
      return `host key for ${name} is marked @revoked in ${v.entry.file}:${v.entry.line}; refusing to connect`;
    case 'changed': {
      const at = v.entries.map((e) => `${e.file}:${e.line}`).join(', ');
      return `host key for ${name} CHANGED (known_hosts says otherwise at ${at}); someone may be ` +
        `intercepting the connection, or the host was reinstalled; refusing to connect. If the change is expected, ` +
        `remove the old entry with \`ssh-keygen -R '${name}'\` and add the new one with \`ssh-keyscan ${portArg}-H ${spec.address} >> ~/.ssh/known_hosts\``;
    }
    case 'unknown':
      return `host key for ${name} is not in known_hosts (${files.join(', ')}); add it with ` +
        `\`ssh-keyscan ${portArg}-H ${spec.address} >> ~/.ssh/known_hosts\`, or run with --ssh-host-key-check=accept-new ` +
        `for throwaway hosts`;
    case 'match':
      return `host key for ${name} matches`;
  }
}

class SshConnection implements Connection {
  readonly #ch: SshChannels;
  readonly #jumps: Client[];
  constructor(readonly host: string, address: string, client: Client, maxChannels: number, persistentShell: boolean, jumps: Client[], readonly hostKey: string) {
    this.#ch = new SshChannels(host, address, client, maxChannels, { persistentShell });
    this.#jumps = jumps;
  }
  get execCount(): number {
    return this.#ch.execCount;
  }
  exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.#ch.exec(cmd, opts);
  }
  put(path: string, content: Buffer, mode?: number, owner?: string, opts?: PutOptions): Promise<void> {
    return this.#ch.put(path, content, mode, owner, opts);
  }
  hold(cmd: string): Promise<HeldCommand> {
    return this.#ch.hold(cmd);
  }
  async close(): Promise<void> {
    await this.#ch.close();
    for (const j of [...this.#jumps].reverse()) j.end();
  }
}
