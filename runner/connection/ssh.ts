// SSH transport: one persistent node-ssh (ssh2) connection per host; commands go through one long-lived
// remote sh on it (or a channel each when that shell is busy or cannot start);
// put goes over the same connection: small files on exec stdin, large ones over SFTP. Host keys are checked against known_hosts.
import { promises as fs } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Algorithms, Client } from 'ssh2';
import { ConnectionError } from '../errors.js';
import type { ConnectionSpec } from '../types.js';
import {
  appendKnownHost, checkHostKey, entriesFor, formatKnownHost, hostKeyAlgorithms, hostKeyName, readKnownHosts,
} from './known-hosts.js';
import { SshChannels } from './ssh-session.js';
import type { Connection, ExecOptions, ExecResult } from './types.js';

export type HostKeyCheck = 'strict' | 'accept-new' | 'off';

export interface SshOptions {
  hostKeyCheck: HostKeyCheck;
  /** Default: ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts. accept-new appends to the first. */
  knownHostsFiles?: string[];
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** Private key text; otherwise spec.privateKeyFile, then ssh-agent, then ~/.ssh/id_{ed25519,ecdsa,rsa}. */
  privateKey?: string;
  /** Channels open at once on the connection (OpenSSH's default MaxSessions is 10). */
  maxChannels?: number;
  /** Run commands through one long-lived remote `sh` instead of a channel each (default true). */
  persistentShell?: boolean;
}

export function defaultKnownHostsFiles(): string[] {
  return [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

async function findKey(spec: ConnectionSpec, opts: SshOptions): Promise<{ privateKey?: string; agent?: string }> {
  if (opts.privateKey) return { privateKey: opts.privateKey };
  if (spec.privateKeyFile) {
    const file = spec.privateKeyFile.replace(/^~(?=\/|$)/, homedir());
    try {
      return { privateKey: await fs.readFile(file, 'utf8') };
    } catch (e) {
      throw new ConnectionError(spec.host, `cannot read private key ${file}: ${(e as Error).message}`);
    }
  }
  if (process.env.SSH_AUTH_SOCK) return { agent: process.env.SSH_AUTH_SOCK };
  for (const n of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const text = await fs.readFile(join(homedir(), '.ssh', n), 'utf8').catch(() => null);
    if (text !== null) return { privateKey: text };
  }
  throw new ConnectionError(spec.host, 'no private key: set ansible_ssh_private_key_file, or run an ssh-agent');
}

function describeFailure(spec: ConnectionSpec, e: unknown): string {
  const err = e as NodeJS.ErrnoException & { level?: string };
  const where = `${spec.user}@${spec.address}:${spec.port}`;
  if (err.code === 'ECONNREFUSED') return `connection refused by ${spec.address}:${spec.port} (is sshd running?)`;
  if (err.code === 'ETIMEDOUT' || /timed out/i.test(err.message ?? '')) return `timed out connecting to ${where}`;
  if (err.level === 'client-authentication') return `authentication failed for ${where} (key not accepted)`;
  return `cannot connect to ${where}: ${err.message ?? String(e)}`;
}

// The SSH library is loaded on the first connect, not at start-up: commands that contact no host
// (validate, --list-tasks, state) never pay for it, and a run loads it while sshd accepts the socket.
let sshLibrary: Promise<typeof import('node-ssh')> | undefined;
const loadSshLibrary = () => (sshLibrary ??= import('node-ssh'));

/** Open one SSH connection to spec.address; fails with ConnectionError. */
export async function openSsh(spec: ConnectionSpec, opts: SshOptions): Promise<Connection> {
  // Our own socket, opened first: the host accepts it while we read known_hosts, the key and the SSH
  // library. TCP_NODELAY is on from the first packet: the handshake and auth are small request/reply
  // packets, and Nagle against the host's delayed ACK would add 40 ms to connecting.
  const sock = tcpConnect({ host: spec.address, port: spec.port, noDelay: true });
  let sockError: Error | undefined;
  sock.on('error', (e) => (sockError ??= e));
  try {
    return await handshake(spec, opts, sock, () => sockError);
  } catch (e) {
    sock.destroy();
    throw e;
  }
}

async function handshake(spec: ConnectionSpec, opts: SshOptions, sock: Socket, sockError: () => Error | undefined): Promise<Connection> {
  const files = opts.knownHostsFiles ?? defaultKnownHostsFiles();
  const name = hostKeyName(spec.address, spec.port);
  const entries = opts.hostKeyCheck === 'off' ? [] : await readKnownHosts(files);
  const known = entriesFor(entries, name).filter((e) => !e.marker);
  // Like OpenSSH: ask for the key types we already know for this host, so a mismatch means "changed".
  const algs = [...new Set(known.flatMap((e) => hostKeyAlgorithms(e.keyType)))];
  let refusal: string | undefined;
  let toAppend: string | undefined;

  const hostVerifier = (blob: Buffer): boolean => {
    if (opts.hostKeyCheck === 'off') return true;
    const v = checkHostKey(entries, name, blob);
    switch (v.kind) {
      case 'match':
        return true;
      case 'revoked':
        refusal = `host key for ${spec.address} is marked @revoked in ${v.entry.file}:${v.entry.line}; refusing to connect`;
        return false;
      case 'changed': {
        const at = v.entries.map((e) => `${e.file}:${e.line}`).join(', ');
        refusal = `host key for ${spec.address} CHANGED (known_hosts says otherwise at ${at}); someone may be ` +
          `intercepting the connection, or the host was reinstalled; refusing to connect. If the change is expected, ` +
          `remove the old entry with \`ssh-keygen -R ${name}\``;
        return false;
      }
      case 'unknown':
        if (opts.hostKeyCheck === 'accept-new') {
          toAppend = formatKnownHost(name, blob);
          return true;
        }
        refusal = `host key for ${spec.address} is not in known_hosts (${files.join(', ')}); add it with ` +
          `\`ssh-keyscan -H ${spec.address} >> ~/.ssh/known_hosts\`, or run with --ssh-host-key-check=accept-new ` +
          `for throwaway hosts`;
        return false;
    }
  };

  const auth = await findKey(spec, opts);
  const { NodeSSH } = await loadSshLibrary();
  const early = sockError();
  if (early) throw new ConnectionError(spec.host, describeFailure(spec, early));
  const ssh = new NodeSSH();
  const algorithms = algs.length ? ({ serverHostKey: algs } as Algorithms) : undefined;
  try {
    await ssh.connect({
      sock, host: spec.address, port: spec.port, username: spec.user, ...auth,
      // straight to the one method we have, without the "none" request first (one round trip less)
      authHandler: auth.agent ? ['agent'] : ['publickey'],
      readyTimeout: opts.connectTimeoutMs ?? 10000,
      keepaliveInterval: opts.keepaliveIntervalMs ?? 15000, keepaliveCountMax: 3,
      hostVerifier, algorithms,
    });
  } catch (e) {
    ssh.dispose();
    throw new ConnectionError(spec.host, refusal ?? describeFailure(spec, e));
  }
  const client = ssh.connection as Client | null;
  if (!client) throw new ConnectionError(spec.host, `connection to ${spec.address} closed during setup`);
  if (toAppend && files[0]) await appendKnownHost(files[0], toAppend);
  return new SshConnection(spec.host, spec.address, client, opts.maxChannels ?? 8, opts.persistentShell ?? true);
}

class SshConnection implements Connection {
  readonly #ch: SshChannels;
  constructor(readonly host: string, address: string, client: Client, maxChannels: number, persistentShell: boolean) {
    this.#ch = new SshChannels(host, address, client, maxChannels, { persistentShell });
  }
  get execCount(): number {
    return this.#ch.execCount;
  }
  exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.#ch.exec(cmd, opts);
  }
  put(path: string, content: Buffer, mode?: number, owner?: string): Promise<void> {
    return this.#ch.put(path, content, mode, owner);
  }
  close(): Promise<void> {
    return this.#ch.close();
  }
}
