// A host's ConnectionSpec: its ansible_* vars > the CLI's ConnectionDefaults > ssh_config > OpenSSH's
// defaults, as Ansible (which passes its settings to ssh as -o options) and OpenSSH behave. Pure: the
// ssh_config lookup is passed in.
import { type CommonArgs, parseCommonArgs } from '../connection/common-args.js';
import type { SshHostConfig } from '../connection/ssh-config.js';
import type { ConnectionDefaults, ConnectionSecrets, ConnectionSpec, InventoryHost, Vars } from '../types.js';

export interface SpecContext {
  defaults?: ConnectionDefaults;
  secrets?: ConnectionSecrets;
  /** ssh_config for a destination (readSshConfig + lookUp); none: no config files. */
  sshConfig?: (destination: string, user?: string) => SshHostConfig;
  /** OpenSSH's default login user: the local user. */
  localUser?: string;
}

const str = (x: unknown): string | undefined => (x === undefined || x === null || x === '' ? undefined : String(x));
const first = (v: Vars, ...keys: string[]): unknown => keys.map((k) => v[k]).find((x) => x !== undefined && x !== null && x !== '');

/** The ssh option string that applies to a host, or undefined. */
export function commonArgsOf(v: Vars, defaults?: ConnectionDefaults): string | undefined {
  const common = str(first(v, 'ansible_ssh_common_args')) ?? defaults?.sshCommonArgs;
  const extra = str(first(v, 'ansible_ssh_extra_args'));
  return [common, extra].filter(Boolean).join(' ') || undefined;
}

/**
 * Problems with a host's own connection variables (ansible_ssh_common_args / ansible_ssh_extra_args,
 * ansible_port); the inventory schema checks the rest. --ssh-common-args is checked once by the caller.
 */
export function connectionProblems(host: InventoryHost): string[] {
  const v = host.vars;
  const out: string[] = [];
  for (const key of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const args = str(v[key]);
    if (args === undefined || args.includes('{{')) continue;
    const r = parseCommonArgs(args);
    if (!r.ok) out.push(`host '${host.name}': ${key}: ${r.message}`);
  }
  const port = first(v, 'ansible_port', 'ansible_ssh_port');
  if (port !== undefined && !String(port).includes('{{')) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) out.push(`host '${host.name}': ansible_port must be a port number (1-65535), got '${String(port)}'`);
  }
  return out;
}

export function buildConnectionSpec(host: InventoryHost, ctx: SpecContext = {}): ConnectionSpec {
  const v = host.vars;
  const d = ctx.defaults ?? {};
  const destination = str(first(v, 'ansible_host', 'ansible_ssh_host'));
  const conn = str(first(v, 'ansible_connection')) ?? d.connection;
  const local = conn === 'local' || (host.name === 'localhost' && destination === undefined && conn === undefined);
  const parsed = parseCommonArgs(commonArgsOf(v, d) ?? '');
  const args: CommonArgs = parsed.ok ? parsed.args : { identityFiles: [] };
  const explicitUser = str(first(v, 'ansible_user', 'ansible_ssh_user', 'ansible_remote_user')) ?? d.user;
  const spec = hopSpec(host.name, destination ?? host.name, explicitUser, toPort(first(v, 'ansible_port', 'ansible_ssh_port')) ?? args.port, ctx);
  spec.kind = local ? 'local' : 'ssh';
  const cfg = ctx.sshConfig?.(destination ?? host.name, explicitUser);
  // command-line keys come before ssh_config's, as ssh's own -i / -o IdentityFile do
  const key = str(first(v, 'ansible_ssh_private_key_file', 'ansible_private_key_file')) ?? d.privateKeyFile;
  const ids = [...(key ? [key] : []), ...args.identityFiles, ...(cfg?.identityFiles ?? [])];
  spec.identityFiles = [...new Set(ids)];
  if (spec.identityFiles[0]) spec.privateKeyFile = spec.identityFiles[0];
  else delete spec.identityFiles;
  const only = args.identitiesOnly ?? cfg?.identitiesOnly;
  if (only) spec.identitiesOnly = true;
  if (cfg?.identityAgent) spec.identityAgent = cfg.identityAgent;
  const timeout = args.connectTimeoutSec ?? toPort(first(v, 'ansible_ssh_timeout', 'ansible_timeout')) ?? d.timeoutSec ?? cfg?.connectTimeoutSec;
  if (timeout) spec.connectTimeoutSec = timeout;
  const alive = args.serverAliveIntervalSec ?? cfg?.serverAliveIntervalSec;
  if (alive !== undefined) spec.serverAliveIntervalSec = alive;
  if (args.strictHostKeyChecking) spec.hostKeyCheck = args.strictHostKeyChecking;
  if (args.userKnownHostsFiles) spec.knownHostsFiles = args.userKnownHostsFiles;
  if (cfg?.strictHostKeyChecking) spec.configHostKeyCheck = cfg.strictHostKeyChecking;
  if (cfg?.userKnownHostsFiles) spec.configKnownHostsFiles = cfg.userKnownHostsFiles;
  if (!parsed.ok) spec.problem = `ansible_ssh_common_args: ${parsed.message}`;
  else if (cfg?.unsupported.length) spec.problem = unsupportedProblem(cfg.unsupported, spec.address);
  const password = str(first(v, 'ansible_password', 'ansible_ssh_password', 'ansible_ssh_pass')) ?? ctx.secrets?.password;
  if (password !== undefined) spec.password = password;
  const become = str(first(v, 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_password', 'ansible_sudo_pass')) ?? ctx.secrets?.becomePassword;
  if (become !== undefined) spec.becomePassword = become;
  const becomeOn = toBool(first(v, 'ansible_become')) ?? d.become;
  if (becomeOn !== undefined) spec.become = becomeOn;
  const becomeUser = str(first(v, 'ansible_become_user')) ?? d.becomeUser;
  if (becomeUser !== undefined) spec.becomeUser = becomeUser;
  const jump = args.proxyJump ?? cfg?.proxyJump;
  if (jump && jump.toLowerCase() !== 'none' && spec.kind === 'ssh') spec.jumps = parseJumps(jump).map((j) => jumpSpec(j, ctx));
  return spec;
}

/** address, port and user of one destination (the target or a jump host), through ssh_config. */
function hopSpec(name: string, destination: string, user: string | undefined, port: number | undefined, ctx: SpecContext): ConnectionSpec {
  const cfg = ctx.sshConfig?.(destination, user);
  return {
    host: name, kind: 'ssh', address: cfg?.hostName ?? destination,
    port: port ?? cfg?.port ?? 22, user: user ?? cfg?.user ?? ctx.localUser ?? 'root',
  };
}

function jumpSpec(j: JumpHop, ctx: SpecContext): ConnectionSpec {
  const spec = hopSpec(j.host, j.host, j.user, j.port, ctx);
  const cfg = ctx.sshConfig?.(j.host, j.user);
  if (cfg?.identityFiles.length) {
    spec.identityFiles = cfg.identityFiles;
    spec.privateKeyFile = cfg.identityFiles[0];
  }
  if (cfg?.identitiesOnly) spec.identitiesOnly = true;
  if (cfg?.identityAgent) spec.identityAgent = cfg.identityAgent;
  if (cfg?.connectTimeoutSec) spec.connectTimeoutSec = cfg.connectTimeoutSec;
  if (cfg?.strictHostKeyChecking) spec.configHostKeyCheck = cfg.strictHostKeyChecking;
  if (cfg?.userKnownHostsFiles) spec.configKnownHostsFiles = cfg.userKnownHostsFiles;
  if (cfg?.unsupported.length) spec.problem = unsupportedProblem(cfg.unsupported, spec.address);
  return spec;
}

function unsupportedProblem(keys: string[], address: string): string {
  return `ssh_config sets ${keys.join(', ')} for ${address}, which play does not support (use ProxyJump for a bastion)`;
}

export interface JumpHop {
  host: string;
  user?: string;
  port?: number;
}

/** ProxyJump syntax: `[user@]host[:port]` (or `ssh://[user@]host[:port]`), comma-separated, first hop first. */
export function parseJumps(text: string): JumpHop[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(s);
    if (!m) return { host: s };
    const hop: JumpHop = { host: m[2]!.replace(/^\[|\]$/g, '') };
    if (m[1]) hop.user = m[1];
    if (m[3]) hop.port = Number(m[3]);
    return hop;
  });
}

function toBool(x: unknown): boolean | undefined {
  if (typeof x === 'boolean') return x;
  if (x === undefined || x === null) return undefined;
  const s = String(x).toLowerCase();
  if (['yes', 'true', 'on', '1', 'y'].includes(s)) return true;
  if (['no', 'false', 'off', '0', 'n'].includes(s)) return false;
  return undefined;
}

function toPort(x: unknown): number | undefined {
  if (x === undefined || x === null || x === '') return undefined;
  const n = Number(x);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
