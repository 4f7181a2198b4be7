// Names from Ansible that play does not implement (yet), so that foreign content gets "X is not
// supported" instead of "unknown module" and a wrong "did you mean". From ansible-core 2.14's task
// keywords and ansible/modules/ (Windows and cloud collections aside). Pure data.
import { LOOP_FORMS, loopFormOf } from './loops.js';

/** Task keywords of Ansible's Task/Base classes that play does not take. */
export const UNSUPPORTED_TASK_KEYWORDS: ReadonlySet<string> = new Set([
  'action', 'async', 'become_exe', 'become_flags', 'collections',
  'debugger', 'ignore_unreachable', 'local_action',
  'poll', 'port',
]);

/** ansible.builtin modules that play does not implement. */
export const UNSUPPORTED_BUILTIN_MODULES: ReadonlySet<string> = new Set([
  'assemble', 'async_status', 'cron', 'debconf', 'dnf', 'dpkg_selections', 'expect', 'gather_facts',
  'group_by', 'hostname', 'iptables', 'known_hosts', 'package_facts', 'pause', 'raw', 'reboot',
  'set_stats', 'subversion', 'sysvinit', 'validate_argument_spec',
  'wait_for_connection', 'yum', 'yum_repository',
]);

/**
 * The actions whose string form Ansible takes as free-form text (`_raw_params`): the command is the
 * text, with `chdir=`-like pairs. Every other module's string is `k=v` pairs only: Ansible refuses
 * `debug: hello world` ("this task 'debug' has extra params"), and so does play.
 */
export const FREE_FORM_ACTIONS: ReadonlySet<string> = new Set([
  'command', 'shell', 'raw', 'script', 'meta', 'set_fact', 'add_host', 'group_by', 'include', 'include_tasks',
  'import_tasks', 'include_vars', 'include_role', 'import_role',
]);

/** The collection prefixes under which a builtin name may be written. */
const BUILTIN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

/** `ansible.builtin.include_tasks` -> `include_tasks`; other names unchanged. */
export function shortBuiltin(name: string): string {
  for (const p of BUILTIN_PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

/** `with_random_choice`, `with_lines`, ...: Ansible's lookup loops that play does not expand (loops.ts has the others). */
export function isLookupLoop(key: string): boolean {
  return /^with_[a-z_]+$/.test(key) && loopFormOf(key) === undefined;
}

/** Why a key of a task is refused, when it is Ansible's and play lacks it; undefined otherwise. */
export function unsupportedReason(key: string): string | undefined {
  const short = shortBuiltin(key);
  if (UNSUPPORTED_TASK_KEYWORDS.has(key)) return `'${key}' is an Ansible task keyword that play does not support yet`;
  if (isLookupLoop(key)) return `'${key}' (an Ansible lookup loop) is not supported yet; play takes loop: and with_${LOOP_FORMS.filter((f) => f !== 'loop').join('/')}`;
  if (UNSUPPORTED_BUILTIN_MODULES.has(short)) return `module '${key}' (an Ansible builtin module) is not supported by play yet`;
  if (/^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$/.test(key)) return `module '${key}' is not supported by play (collection modules play implements are listed in the README)`;
  return undefined;
}
