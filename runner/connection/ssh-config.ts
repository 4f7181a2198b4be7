// OpenSSH client configuration: ~/.ssh/config, then /etc/ssh/ssh_config (first value wins, as in ssh),
// parsed by the `ssh-config` package (Host and Match, quoting, multi-value directives). Reading the
// files is the only I/O; lookUp() is a plain function of the parsed text and the destination.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';
import { hostKeyPolicy, proxyCommandAsJump, type CommonArgs } from './common-args.js';

/**
 * What play takes from ssh_config for one destination; absent = not set there. The options it shares
 * with ansible_ssh_common_args are CommonArgs; proxyJump lists hops in connection order, and 'none'
 * disables a jump set by an earlier match.
 */
export interface SshHostConfig extends CommonArgs {
  hostName?: string;
  user?: string;
  /** IdentityAgent: an agent socket path, 'none', or 'SSH_AUTH_SOCK'. */
  identityAgent?: string;
  /** Directives play does not implement but must not ignore (they change where ssh connects). */
  unsupported: string[];
}

export interface SshConfigFiles {
  /** The parsed files, user file first. */
  config: SSHConfig;
  files: string[];
}

/**
 * Reads the client config: PLAY_SSH_CONFIG (like `ssh -F`, it replaces both files), else
 * ~/.ssh/config and /etc/ssh/ssh_config. A missing file is an empty one.
 */
export function readSshConfig(env: NodeJS.ProcessEnv = process.env): SshConfigFiles {
  const files = env.PLAY_SSH_CONFIG ? [env.PLAY_SSH_CONFIG] : [join(homedir(), '.ssh', 'config'), '/etc/ssh/ssh_config'];
  const system = (f: string) => !env.PLAY_SSH_CONFIG && f.startsWith('/etc/');
  return { config: parseSshConfig(files.map((f) => withIncludes(readOrEmpty(f), system(f) ? '/etc/ssh' : join(homedir(), '.ssh'), 0))), files };
}

/**
 * `Include` inlined where it stands (the parser has no Include), as ssh reads it: relative paths are
 * under ~/.ssh (user file) or /etc/ssh (system file), `*` and `?` in the last path part, sorted.
 */
function withIncludes(text: string, base: string, depth: number): string {
  if (depth > 16) throw new Error('ssh config: Include nested more than 16 deep');
  return text.split('\n').map((line) => {
    const m = /^\s*include\s*[=\s]\s*(.+?)\s*$/i.exec(line);
    if (!m) return line;
    const parts = m[1]!.split(/\s+/).map((p) => p.replace(/^"|"$/g, ''));
    return parts.flatMap((p) => expandInclude(p.replace(/^~(?=\/)/, homedir()), base))
      .map((f) => withIncludes(readOrEmpty(f), base, depth + 1)).join('\n');
  }).join('\n');
}

function expandInclude(pattern: string, base: string): string[] {
  const path = isAbsolute(pattern) ? pattern : join(base, pattern);
  if (!/[*?]/.test(basename(path))) return [path];
  const re = new RegExp(`^${basename(path).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  return names.filter((n) => re.test(n)).sort().map((n) => join(dirname(path), n));
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new Error(`cannot read ssh config ${file}: ${(e as Error).message}`);
  }
}

/** Several files as one: `Match all` ends the last section of the file before. */
export function parseSshConfig(texts: string[]): SSHConfig {
  return SSHConfig.parse(texts.join('\nMatch all\n'));
}

const SUPPORTED_ELSEWHERE = /^(proxycommand|localcommand|remotecommand|hostkeyalias)$/;

/**
 * The settings for a destination as ssh would compute them (`ssh -G`), for the subset play uses.
 * Pure, except that a `Match exec` command runs (as in ssh).
 */
export function lookUp(config: SSHConfig, destination: string, user?: string): SshHostConfig {
  const c = withMatchExec(config, destination, user, () =>
    config.compute({ Host: destination, ...(user ? { User: user } : {}) }, { ignoreCase: true, matchExec: false }));
  const one = (k: string): string | undefined => {
    const v = c[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s === undefined ? undefined : String(s);
  };
  const num = (k: string): number | undefined => {
    const s = one(k);
    const n = s === undefined ? NaN : Number(s);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const out: SshHostConfig = { identityFiles: [], unsupported: [] };
  const hostName = one('hostname');
  if (hostName) out.hostName = hostName.replace(/%h/g, destination);
  const u = one('user');
  if (u) out.user = u;
  const port = num('port');
  if (port) out.port = port;
  const ids = c['identityfile'];
  if (ids) out.identityFiles = (Array.isArray(ids) ? ids : [ids]).map(String).filter((f) => f.toLowerCase() !== 'none');
  const only = one('identitiesonly');
  if (only) out.identitiesOnly = /^yes$/i.test(only);
  const jump = one('proxyjump');
  if (jump) out.proxyJump = jump;
  // ProxyCommand `ssh -W %h:%p bastion` is a jump host (ssh uses whichever of the two comes first; play prefers ProxyJump)
  const pc = one('proxycommand');
  const pcJump = pc && pc.toLowerCase() !== 'none' ? proxyCommandAsJump(pc) : undefined;
  if (pcJump) out.proxyJump ??= pcJump;
  const agent = one('identityagent');
  if (agent) out.identityAgent = agent;
  const alive = num('serveraliveinterval');
  if (alive !== undefined) out.serverAliveIntervalSec = alive;
  const timeout = num('connecttimeout');
  if (timeout) out.connectTimeoutSec = timeout;
  const strict = one('stricthostkeychecking');
  if (strict) out.strictHostKeyChecking = hostKeyPolicy(strict);
  const known = c['userknownhostsfile'];
  if (known) out.userKnownHostsFiles = (Array.isArray(known) ? known : [known]).map(String).flatMap((s) => s.split(/\s+/)).filter(Boolean);
  for (const k of Object.keys(c)) {
    if (SUPPORTED_ELSEWHERE.test(k) && one(k)?.toLowerCase() !== 'none' && !(k === 'proxycommand' && pcJump)) out.unsupported.push(k);
  }
  return out;
}

/**
 * `Match exec "cmd"` decided here, with /bin/sh and ssh's %h %n %r %u %% tokens: the parser runs it
 * with a bash-only wrapper, which never matches where sh is dash. The criterion is swapped for the
 * outcome during one compute and put back after.
 */
function withMatchExec<T>(config: SSHConfig, destination: string, user: string | undefined, fn: () => T): T {
  const saved: [Record<string, unknown>, Record<string, unknown>][] = [];
  for (const line of config) {
    const m = line as { param?: string; criteria?: Record<string, unknown> };
    if (!m.criteria || !/^match$/i.test(m.param ?? '')) continue;
    const key = Object.keys(m.criteria).find((k) => k.toLowerCase() === 'exec');
    if (!key) continue;
    const local = localUser();
    const map: Record<string, string> = { h: destination, n: destination, r: user ?? local, u: local, '%': '%' };
    const cmd = String(m.criteria[key]).replace(/%([hnru%])/g, (_, k: string) => map[k]!);
    const ok = spawnSync('/bin/sh', ['-c', cmd], { stdio: 'ignore' }).status === 0;
    const swapped: Record<string, unknown> = { ...m.criteria };
    delete swapped[key];
    if (!ok) swapped['originalhost'] = '\u0000never';
    saved.push([m as Record<string, unknown>, m.criteria]);
    m.criteria = swapped;
  }
  try {
    return fn();
  } finally {
    for (const [line, criteria] of saved) line['criteria'] = criteria;
  }
}

function localUser(): string {
  try { return userInfo().username; } catch { return process.env.USER ?? ''; }
}

/** ssh_config's tokens in file names: ~, %d (home), %u (local user), %h, %r, %p, %%. */
export function expandPath(p: string, t: { host: string; user: string; port: number }): string {
  const home = homedir();
  const map: Record<string, string> = { d: home, u: localUser(), h: t.host, r: t.user, p: String(t.port), '%': '%' };
  return p.replace(/^~(?=\/|$)/, home).replace(/%([duhrp%])/g, (_, k: string) => map[k]!);
}
