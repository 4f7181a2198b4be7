// ansible.cfg, ANSIBLE_* variables and play.cfg -> the settings in force, each with where it came from.
// Pure: the files' texts and the environment are handed in (config/files.ts reads them). Precedence,
// lowest first, as Ansible's: built-in default < config file < environment < command line (the CLI
// applies the last). Relative paths in a file are relative to that file's directory, as in Ansible.
import * as path from 'node:path';

export type SettingKind = 'string' | 'path' | 'pathlist' | 'int' | 'bool' | 'hostKeyCheck';

export interface SettingDef {
  key: string;
  /** ansible.cfg section and key; play's own settings live in play.cfg or [play]. */
  section: string;
  ini: string;
  env: string;
  kind: SettingKind;
  help: string;
}

/** The settings play reads. Ansible's keep Ansible's names; play's own are under [play]. */
export const SETTINGS: readonly SettingDef[] = [
  { key: 'inventory', section: 'defaults', ini: 'inventory', env: 'ANSIBLE_INVENTORY', kind: 'pathlist', help: 'inventory sources (-i)' },
  { key: 'remote_user', section: 'defaults', ini: 'remote_user', env: 'ANSIBLE_REMOTE_USER', kind: 'string', help: 'login user (-u)' },
  { key: 'private_key_file', section: 'defaults', ini: 'private_key_file', env: 'ANSIBLE_PRIVATE_KEY_FILE', kind: 'path', help: 'SSH key (--private-key)' },
  { key: 'forks', section: 'defaults', ini: 'forks', env: 'ANSIBLE_FORKS', kind: 'int', help: 'hosts in parallel (-f)' },
  { key: 'host_key_checking', section: 'defaults', ini: 'host_key_checking', env: 'ANSIBLE_HOST_KEY_CHECKING', kind: 'bool', help: 'false: known_hosts is not checked (--ssh-host-key-check off)' },
  { key: 'vault_password_file', section: 'defaults', ini: 'vault_password_file', env: 'ANSIBLE_VAULT_PASSWORD_FILE', kind: 'path', help: 'vault password file (--vault-password-file)' },
  { key: 'ask_vault_pass', section: 'defaults', ini: 'ask_vault_pass', env: 'ANSIBLE_ASK_VAULT_PASS', kind: 'bool', help: 'prompt for the vault password (--ask-vault-pass)' },
  { key: 'timeout', section: 'defaults', ini: 'timeout', env: 'ANSIBLE_TIMEOUT', kind: 'int', help: 'connection timeout in seconds (-T)' },
  { key: 'roles_path', section: 'defaults', ini: 'roles_path', env: 'ANSIBLE_ROLES_PATH', kind: 'pathlist', help: 'role directories (--roles-path)' },
  { key: 'transport', section: 'defaults', ini: 'transport', env: 'ANSIBLE_TRANSPORT', kind: 'string', help: 'connection type (-c)' },
  { key: 'ask_pass', section: 'defaults', ini: 'ask_pass', env: 'ANSIBLE_ASK_PASS', kind: 'bool', help: 'prompt for the SSH password (-k)' },
  { key: 'force_handlers', section: 'defaults', ini: 'force_handlers', env: 'ANSIBLE_FORCE_HANDLERS', kind: 'bool', help: 'run handlers on failed hosts (--force-handlers)' },
  { key: 'ssh_common_args', section: 'ssh_connection', ini: 'ssh_common_args', env: 'ANSIBLE_SSH_COMMON_ARGS', kind: 'string', help: 'ssh options (--ssh-common-args)' },
  { key: 'become', section: 'privilege_escalation', ini: 'become', env: 'ANSIBLE_BECOME', kind: 'bool', help: 'become by default (-b)' },
  { key: 'become_user', section: 'privilege_escalation', ini: 'become_user', env: 'ANSIBLE_BECOME_USER', kind: 'string', help: 'user to become (--become-user)' },
  { key: 'become_ask_pass', section: 'privilege_escalation', ini: 'become_ask_pass', env: 'ANSIBLE_BECOME_ASK_PASS', kind: 'bool', help: 'prompt for the become password (-K)' },
  { key: 'state_dir', section: 'play', ini: 'state_dir', env: 'PLAY_STATE_DIR', kind: 'path', help: 'state store directory (--state-dir)' },
  { key: 'state_wait', section: 'play', ini: 'state_wait', env: 'PLAY_STATE_WAIT', kind: 'int', help: 'seconds to wait for a busy store (--state-wait)' },
  { key: 'task_timeout', section: 'play', ini: 'task_timeout', env: 'PLAY_TASK_TIMEOUT', kind: 'int', help: 'default limit for any one command (--task-timeout)' },
  { key: 'ssh_host_key_check', section: 'play', ini: 'ssh_host_key_check', env: 'PLAY_SSH_HOST_KEY_CHECK', kind: 'hostKeyCheck', help: 'strict, accept-new or off (--ssh-host-key-check)' },
  { key: 'known_hosts', section: 'play', ini: 'known_hosts', env: 'PLAY_KNOWN_HOSTS', kind: 'pathlist', help: 'known_hosts files (--known-hosts)' },
];

export type SettingValue = string | number | boolean | string[];
export interface Setting {
  value: SettingValue;
  /** `env: ANSIBLE_FORKS`, or `/path/ansible.cfg:12`. */
  origin: string;
}
export type Settings = Map<string, Setting>;

export interface ConfigFile {
  path: string;
  text: string;
  /** play.cfg: every key is a play setting, in [play] (or before any section). */
  play?: boolean;
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; problems: string[] };

export function resolveSettings(files: readonly ConfigFile[], env: NodeJS.ProcessEnv, cwd: string): SettingsResult {
  const settings: Settings = new Map();
  const problems: string[] = [];
  for (const f of files) {
    for (const entry of parseCfg(f.text)) {
      const section = f.play && entry.section === '' ? 'play' : entry.section;
      const def = SETTINGS.find((d) => d.section === section && d.ini === entry.key);
      if (!def) continue; // Ansible has hundreds of settings; the ones play does not use are left alone
      const origin = `${f.path}:${entry.line}`;
      const v = convert(def, entry.value, path.dirname(f.path), env.HOME);
      if (typeof v === 'object' && 'problem' in v) problems.push(`${origin}: ${def.ini}: ${v.problem}`);
      else settings.set(def.key, { value: v, origin });
    }
  }
  for (const def of SETTINGS) {
    const raw = env[def.env];
    if (raw === undefined || raw === '') continue;
    const v = convert(def, raw, cwd, env.HOME);
    if (typeof v === 'object' && 'problem' in v) problems.push(`env ${def.env}: ${v.problem}`);
    else settings.set(def.key, { value: v, origin: `env: ${def.env}` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, settings };
}

interface CfgEntry {
  section: string;
  key: string;
  value: string;
  line: number;
}

/** Python configparser as Ansible uses it: [section], key = value or key: value, # and ; comments. */
export function parseCfg(text: string): CfgEntry[] {
  const out: CfgEntry[] = [];
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      section = head[1]!.trim();
      return;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) return;
    // inline comments need whitespace before them, as configparser's inline_comment_prefixes
    const value = m[2]!.replace(/\s+[#;].*$/, '').trim();
    out.push({ section, key: m[1]!.trim().toLowerCase(), value, line: i + 1 });
  });
  return out;
}

function convert(def: SettingDef, raw: string, base: string, home: string | undefined): SettingValue | { problem: string } {
  const expand = (p: string) => (home && (p === '~' || p.startsWith('~/')) ? path.join(home, p.slice(1)) : path.resolve(base, p));
  switch (def.kind) {
    case 'string':
      return raw;
    case 'path':
      return expand(raw);
    case 'pathlist': {
      // Ansible: inventory is comma-separated, roles_path colon-separated
      const sep = def.key === 'inventory' ? ',' : def.key === 'roles_path' ? ':' : ',';
      return raw.split(sep).map((s) => s.trim()).filter(Boolean).map(expand);
    }
    case 'int': {
      const n = Number(raw);
      return Number.isInteger(n) && n >= 0 ? n : { problem: `expects a whole number, got '${raw}'` };
    }
    case 'bool': {
      const b = parseBool(raw);
      return b === undefined ? { problem: `expects a boolean (yes/no, true/false, 1/0), got '${raw}'` } : b;
    }
    case 'hostKeyCheck':
      return ['strict', 'accept-new', 'off'].includes(raw) ? raw : { problem: `expects strict, accept-new or off, got '${raw}'` };
  }
}

/** Ansible's boolean(): yes/on/true/1/y/t and their opposites, any case. */
export function parseBool(raw: string): boolean | undefined {
  const s = raw.trim().toLowerCase();
  if (['yes', 'on', 'true', '1', 'y', 't'].includes(s)) return true;
  if (['no', 'off', 'false', '0', 'n', 'f', ''].includes(s)) return false;
  return undefined;
}
