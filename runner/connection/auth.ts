// Client authentication in OpenSSH's order: the agent's keys, then the identity files (IdentityFile, or
// ~/.ssh/id_* when none is named) that the agent does not hold, then the password. An encrypted key
// asks for its passphrase on the terminal when its turn comes, once per run.
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AnyAuthMethod, AuthenticationType, BaseAgent, NextAuthHandler, ParsedKey } from 'ssh2';
import type { ConnectionSpec } from '../types.js';
import { NoTerminalError, promptSecret } from './prompt.js';
import { expandPath } from './ssh-config.js';

/** OpenSSH's default identities, in its order (readconf.c), without the hardware-key types. */
export const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ed25519', 'id_dsa'];

type SshLib = typeof import('ssh2');

export type AuthStep =
  | { kind: 'agent'; agent: BaseAgent; keys: number }
  | { kind: 'key'; file: string; text: string; encrypted: boolean }
  | { kind: 'password'; password: string };

export interface AuthOptions {
  /** Private key text given directly (tests); replaces the identity files. */
  privateKey?: string;
  /** Agent socket; default SSH_AUTH_SOCK. '' disables the agent. */
  agentSocket?: string;
  /** Asks for a key's passphrase; default: promptSecret on /dev/tty. */
  ask?: (question: string) => Promise<string>;
}

/** Identity files for a spec: its own, else OpenSSH's defaults (which it uses only when none is named). */
export function identityFiles(spec: ConnectionSpec): { files: string[]; explicit: boolean } {
  const named = spec.identityFiles ?? (spec.privateKeyFile ? [spec.privateKeyFile] : []);
  const t = { host: spec.address, user: spec.user, port: spec.port };
  if (named.length) return { files: named.map((f) => expandPath(f, t)), explicit: true };
  return { files: DEFAULT_IDENTITIES.map((n) => join(homedir(), '.ssh', n)), explicit: false };
}

const publicBlob = (k: ParsedKey): string => k.getPublicSSH().toString('base64');

/** Plans the methods for one connection; reads files and asks the agent for its keys, no prompting yet. */
export async function planAuth(lib: SshLib, spec: ConnectionSpec, opts: AuthOptions, notes: string[]): Promise<AuthStep[]> {
  const steps: AuthStep[] = [];
  const { files, explicit } = opts.privateKey ? { files: [], explicit: true } : identityFiles(spec);
  const keys: { file: string; text: string; pub?: string; encrypted: boolean }[] = [];
  if (opts.privateKey) keys.push({ file: '(given key)', text: opts.privateKey, encrypted: false });
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (explicit) notes.push(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
      return null;
    });
    if (text === null) continue;
    const parsed = lib.utils.parseKey(text);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    const encrypted = key instanceof Error && /encrypted|passphrase/i.test(key.message);
    if (key instanceof Error && !encrypted) {
      notes.push(`${file}: not a private key play can read (${key.message})`);
      continue;
    }
    let pub = key instanceof Error ? undefined : publicBlob(key);
    if (!pub) {
      const pubText = await fs.readFile(`${file}.pub`, 'utf8').catch(() => null);
      const p = pubText === null ? undefined : lib.utils.parseKey(pubText);
      const pk = Array.isArray(p) ? p[0] : p;
      if (pk && !(pk instanceof Error)) pub = publicBlob(pk);
    }
    keys.push({ file, text, pub, encrypted });
  }

  const sock = opts.agentSocket ?? agentSocket(spec);
  const inAgent = new Set<string>();
  if (sock) {
    const all = await agentKeys(lib, sock).catch((e: Error) => {
      notes.push(`ssh-agent at ${sock}: ${e.message}`);
      return [] as ParsedKey[];
    });
    const wanted = new Set(keys.map((k) => k.pub).filter(Boolean));
    // IdentitiesOnly: the agent may only sign with the named keys
    // the agent's copies of the named keys first, as ssh does, so sshd's MaxAuthTries is not spent on the others
    const named = all.filter((k) => wanted.has(publicBlob(k)));
    const offered = spec.identitiesOnly ? named : [...named, ...all.filter((k) => !wanted.has(publicBlob(k)))];
    for (const k of offered) inAgent.add(publicBlob(k));
    if (offered.length) steps.push({ kind: 'agent', agent: filteredAgent(lib, sock, offered), keys: offered.length });
  }
  for (const k of keys) if (!k.pub || !inAgent.has(k.pub)) steps.push({ kind: 'key', file: k.file, text: k.text, encrypted: k.encrypted });
  if (spec.password !== undefined) steps.push({ kind: 'password', password: spec.password });
  return steps;
}

/** IdentityAgent as ssh reads it: none, SSH_AUTH_SOCK, $VAR, or a path (with ~ and % tokens). */
export function agentSocket(spec: ConnectionSpec, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const a = spec.identityAgent;
  if (a === undefined || a === 'SSH_AUTH_SOCK') return env.SSH_AUTH_SOCK || undefined;
  if (a.toLowerCase() === 'none') return undefined;
  if (a.startsWith('$')) return env[a.slice(1)] || undefined;
  return expandPath(a, { host: spec.address, user: spec.user, port: spec.port });
}

function agentKeys(lib: SshLib, sock: string): Promise<ParsedKey[]> {
  const agent = new lib.OpenSSHAgent(sock);
  return new Promise((resolve, reject) => agent.getIdentities((err, keys) => (err ? reject(err) : resolve((keys ?? []) as ParsedKey[]))));
}

/** The agent, offering only the given keys (signing still happens in the agent). */
function filteredAgent(lib: SshLib, sock: string, keys: ParsedKey[]): BaseAgent {
  const agent = new lib.OpenSSHAgent(sock);
  agent.getIdentities = (cb) => cb(undefined, keys);
  return agent;
}

/** Unlocked keys by file, for the whole run: a passphrase is asked once. */
const unlocked = new Map<string, Promise<ParsedKey | undefined>>();

async function unlock(lib: SshLib, file: string, text: string, ask: (q: string) => Promise<string>, notes: string[]): Promise<ParsedKey | undefined> {
  for (let tries = 0; tries < 3; tries++) {
    let pass: string;
    try {
      pass = await ask(`Enter passphrase for key '${file}': `);
    } catch (e) {
      notes.push(`${file} is encrypted: ${(e as Error).message}${e instanceof NoTerminalError ? '; add the key to ssh-agent (ssh-add)' : ''}`);
      return undefined;
    }
    if (pass === '') break;
    const parsed = lib.utils.parseKey(text, pass);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key && !(key instanceof Error)) return key;
  }
  notes.push(`${file}: no valid passphrase given`);
  return undefined;
}

/**
 * ssh2's authHandler over the planned steps. `pause` is called around a prompt, so the handshake
 * timeout does not run while someone types.
 */
export function authHandler(lib: SshLib, spec: ConnectionSpec, steps: AuthStep[], opts: AuthOptions, notes: string[],
  pause: (paused: boolean) => void) {
  const ask = opts.ask ?? promptSecret;
  let i = 0;
  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler): void => {
    const allowed = (m: AuthenticationType) => !methodsLeft || methodsLeft.includes(m);
    const advance = async (): Promise<AnyAuthMethod | false> => {
      while (i < steps.length) {
        const s = steps[i++]!;
        switch (s.kind) {
          case 'agent':
            if (allowed('publickey')) return { type: 'agent', username: spec.user, agent: s.agent };
            break;
          case 'key': {
            if (!allowed('publickey')) break;
            if (!s.encrypted) return { type: 'publickey', username: spec.user, key: s.text };
            let p = unlocked.get(s.file);
            if (!p) {
              pause(true);
              p = unlock(lib, s.file, s.text, ask, notes).finally(() => pause(false));
              unlocked.set(s.file, p);
            }
            const key = await p;
            if (key) return { type: 'publickey', username: spec.user, key };
            break;
          }
          case 'password':
            if (allowed('password')) return { type: 'password', username: spec.user, password: s.password };
            if (allowed('keyboard-interactive')) {
              return { type: 'keyboard-interactive', username: spec.user,
                prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map(() => s.password)) };
            }
            break;
          default: {
            const never: never = s;
            throw new Error(`invariant: auth step ${JSON.stringify(never)}`);
          }
        }
      }
      return false;
    };
    void advance().then((m) => next(m as AnyAuthMethod), () => next(false as unknown as AnyAuthMethod));
  };
}

/** "agent (2 keys), ~/.ssh/id_ed25519, password": for the failure message. */
export function describeSteps(steps: AuthStep[]): string {
  return steps.map((s) => (s.kind === 'agent' ? `ssh-agent (${s.keys} key${s.keys === 1 ? '' : 's'})` : s.kind === 'key' ? s.file : 'password')).join(', ') || 'nothing';
}
