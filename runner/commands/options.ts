// The command line as one typed object: commander's raw values, over the config settings (ansible.cfg,
// ANSIBLE_*, play.cfg), over the built-in defaults. Pure: settings and flags in, RunOptions out.
import { UsageError } from '../errors.js';
import type { Settings, SettingValue } from '../config/settings.js';
import type { ConnectionDefaults } from '../types.js';

export type HostKeyMode = 'strict' | 'accept-new' | 'off';

/** --vault-id label@source: a file (plain or executable) or `prompt`. */
export interface VaultId {
  label: string;
  source: { kind: 'file'; path: string } | { kind: 'prompt' };
}

export interface LoadOptions {
  playbooks: string[];
  inventory: string[];
  extraVars: string[];
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  role?: string;
  rolesPath: string[];
  vaultIds: VaultId[];
  connection: ConnectionDefaults;
}

export interface RunOptions extends LoadOptions {
  check: boolean;
  diff: boolean;
  forks: number;
  /** 0 to 4: -v streams command output, -vv adds task sources and timings, -vvv connections and commands, -vvvv SSH debug. */
  verbosity: number;
  json: boolean;
  force: boolean;
  verify: boolean;
  /** --detailed-exitcode (with --check): EXIT.changesPending when changes are pending. */
  detailedExitcode: boolean;
  list: 'tasks' | 'hosts' | 'tags' | null;
  syntaxCheck: boolean;
  startAtTask?: string;
  step: boolean;
  forceHandlers: boolean;
  hostKeyCheck?: HostKeyMode;
  knownHostsFiles: string[];
  /** --state: 'local' or a postgres:// URL (else env PLAY_STATE_URL). */
  stateBackend?: string;
  /** --shard I/N. */
  shard?: string;
  /** null: --no-state. undefined: .play/ next to the first inventory. */
  stateDir: string | null | undefined;
  stateWaitSec: number;
  taskTimeoutSec: number;
}

export const DEFAULTS = { forks: 50, taskTimeoutSec: 3600, stateWaitSec: 0 } as const;

type Raw = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
function setting<T extends SettingValue>(s: Settings, key: string): T | undefined {
  return s.get(key)?.value as T | undefined;
}

/** --vault-id label@source, or a bare source (label `default`), as ansible-playbook reads it. */
export function parseVaultId(text: string): VaultId {
  const at = text.indexOf('@');
  const label = at > 0 ? text.slice(0, at) : 'default';
  const source = at >= 0 ? text.slice(at + 1) : text;
  if (!source) throw new UsageError(`--vault-id '${text}' names no password source (use label@file or label@prompt)`);
  return { label, source: source === 'prompt' ? { kind: 'prompt' } : { kind: 'file', path: source } };
}

export function loadOptions(playbooks: string[], o: Raw, s: Settings): LoadOptions {
  // as ansible-playbook: --ask-vault-pass, then --vault-password-file, then --vault-id; the config's
  // vault_password_file only when no flag names one (PLAY_VAULT_PASSWORD_FILE is the last resort, in run.ts)
  const vaultIds: VaultId[] = [];
  if (o.askVaultPass || setting<boolean>(s, 'ask_vault_pass')) vaultIds.push({ label: 'default', source: { kind: 'prompt' } });
  for (const f of strs(o.vaultPasswordFile)) vaultIds.push({ label: 'default', source: { kind: 'file', path: f } });
  vaultIds.push(...strs(o.vaultId).map(parseVaultId));
  const fromConfig = setting<string>(s, 'vault_password_file');
  if (!vaultIds.length && fromConfig) vaultIds.push({ label: 'default', source: { kind: 'file', path: fromConfig } });
  const inventory = strs(o.inventory).length ? strs(o.inventory) : (setting<string[]>(s, 'inventory') ?? []);
  return {
    playbooks, inventory, extraVars: strs(o.extraVars),
    limit: str(o.limit), tags: o.tags as string[] | undefined, skipTags: o.skipTags as string[] | undefined, role: str(o.role),
    rolesPath: [...strs(o.rolesPath), ...(setting<string[]>(s, 'roles_path') ?? [])],
    vaultIds, connection: connectionDefaults(o, s),
  };
}

/** -u, --private-key, -c, -T, --ssh-common-args, -k, -b, --become-user, -K: flags over settings. */
export function connectionDefaults(o: Raw, s: Settings): ConnectionDefaults {
  const c: ConnectionDefaults = {};
  const user = str(o.user) ?? setting<string>(s, 'remote_user');
  if (user) c.user = user;
  const key = str(o.privateKey) ?? str(o.keyFile) ?? setting<string>(s, 'private_key_file');
  if (key) c.privateKeyFile = key;
  const args = str(o.sshCommonArgs) ?? setting<string>(s, 'ssh_common_args');
  if (args) c.sshCommonArgs = args;
  const conn = str(o.connection) ?? setting<string>(s, 'transport');
  if (conn) {
    if (conn === 'local') c.connection = 'local';
    else if (conn === 'ssh' || conn === 'smart' || conn === 'paramiko') c.connection = 'ssh';
    else throw new UsageError(`-c/--connection '${conn}' is not supported (use ssh or local)`);
  }
  const timeout = (o.timeout as number | undefined) ?? setting<number>(s, 'timeout');
  if (timeout !== undefined) c.timeoutSec = timeout;
  if (o.askPass || setting<boolean>(s, 'ask_pass')) c.askPass = true;
  if (o.become || setting<boolean>(s, 'become')) c.become = true;
  const becomeUser = str(o.becomeUser) ?? setting<string>(s, 'become_user');
  if (becomeUser) c.becomeUser = becomeUser;
  if (o.askBecomePass || setting<boolean>(s, 'become_ask_pass')) c.askBecomePass = true;
  return c;
}

export function runOptions(playbooks: string[], o: Raw, s: Settings): RunOptions {
  const hostKeyCheck = (str(o.sshHostKeyCheck) as HostKeyMode | undefined)
    ?? setting<HostKeyMode>(s, 'ssh_host_key_check')
    ?? (setting<boolean>(s, 'host_key_checking') === false ? 'off' : undefined);
  const list = o.listTasks ? 'tasks' : o.listHosts ? 'hosts' : o.listTags ? 'tags' : null;
  const knownHosts = strs(o.knownHosts);
  return {
    ...loadOptions(playbooks, o, s),
    check: Boolean(o.check), diff: Boolean(o.diff),
    forks: (o.forks as number | undefined) ?? setting<number>(s, 'forks') ?? DEFAULTS.forks,
    verbosity: Math.min(Number(o.verbose ?? 0), 4), json: Boolean(o.json),
    force: Boolean(o.force), verify: Boolean(o.verify), detailedExitcode: Boolean(o.detailedExitcode), list, syntaxCheck: Boolean(o.syntaxCheck),
    startAtTask: str(o.startAtTask), step: Boolean(o.step),
    forceHandlers: Boolean(o.forceHandlers) || Boolean(setting<boolean>(s, 'force_handlers')),
    hostKeyCheck, knownHostsFiles: knownHosts.length ? knownHosts : (setting<string[]>(s, 'known_hosts') ?? []),
    stateDir: o.state === false ? null : (str(o.stateDir) ?? setting<string>(s, 'state_dir')),
    stateBackend: str(o.state), shard: str(o.shard),
    stateWaitSec: (o.stateWait as number | undefined) ?? setting<number>(s, 'state_wait') ?? DEFAULTS.stateWaitSec,
    taskTimeoutSec: (o.taskTimeout as number | undefined) ?? setting<number>(s, 'task_timeout') ?? DEFAULTS.taskTimeoutSec,
  };
}
