// user's pure decision: useradd/usermod/userdel, with the password set through chpasswd on stdin
// (Ansible passes the hash in usermod's argv; play keeps it out of every process's arguments).
import type { Decision, Step } from './types.js';
import { quote, quoteArgs } from '../shell-quote.js';
import { sshKeyPath, type UserProbe } from './user-probe.js';

export interface UserArgs {
  name: string;
  state?: 'present' | 'absent';
  uid?: number;
  non_unique?: boolean;
  group?: string;
  groups?: string | string[];
  append?: boolean;
  shell?: string;
  home?: string;
  move_home?: boolean;
  skeleton?: string;
  comment?: string;
  system?: boolean;
  create_home?: boolean;
  remove?: boolean;
  force?: boolean;
  local?: boolean;
  password?: string;
  update_password?: 'always' | 'on_create';
  password_lock?: boolean;
  /** Seconds since the epoch; negative removes the expiry. */
  expires?: number;
  password_expire_min?: number;
  password_expire_max?: number;
  password_expire_warn?: number;
  generate_ssh_key?: boolean;
  ssh_key_type?: string;
  ssh_key_bits?: number;
  ssh_key_file?: string;
  ssh_key_comment?: string;
  ssh_key_passphrase?: string;
}

const groupList = (g: UserArgs['groups']): string[] | undefined =>
  g === undefined ? undefined : (Array.isArray(g) ? g : [g]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');

/** usermod/useradd -e takes a date; Ansible formats the UTC day of `expires`. */
const expiryDate = (seconds: number): string => new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 10);
const dayOf = (days: number): string => new Date(days * 86400000).toISOString().slice(0, 10);

function passwordStep(a: UserArgs, hash: string): Step {
  const value = a.password_lock ? `!${hash}` : hash;
  return { kind: 'exec', describe: `set the password of ${a.name}`, cmd: 'chpasswd -e', stdin: `${a.name}:${value}\n` };
}

function agingStep(a: UserArgs, p: UserProbe | undefined, changes: string[]): Step[] {
  const o: string[] = [];
  const cur = p?.shadow;
  const want: Array<[string, number | undefined, number | undefined, string]> = [
    ['-m', a.password_expire_min, cur?.min, 'password_expire_min'],
    ['-M', a.password_expire_max, cur?.max, 'password_expire_max'],
    ['-W', a.password_expire_warn, cur?.warn, 'password_expire_warn'],
  ];
  for (const [flag, value, have, label] of want) {
    if (value !== undefined && value !== have) { o.push(flag, String(value)); changes.push(`${label} ${have ?? '-'} -> ${value}`); }
  }
  return o.length === 0 ? [] : [{ kind: 'exec', describe: `chage ${a.name}`, cmd: `chage ${quoteArgs(o)} ${quote(a.name)}` }];
}

function sshKeySteps(a: UserArgs, p: UserProbe | undefined, changes: string[]): Step[] {
  if (!a.generate_ssh_key || (p?.sshKeyExists && !a.force)) return [];
  const rel = sshKeyPath(a.ssh_key_file, a.ssh_key_type);
  const n = quote(a.name);
  const key = rel.startsWith('/') ? quote(rel) : `"$(getent passwd ${n} | cut -d: -f6)"/${quote(rel)}`;
  const bits = a.ssh_key_bits !== undefined && a.ssh_key_bits > 0 ? ` -b ${a.ssh_key_bits}` : '';
  const comment = a.ssh_key_comment !== undefined ? quote(a.ssh_key_comment) : '"ansible-generated on $(hostname)"';
  changes.push(`ssh key ${rel}`);
  const cmd = [
    `k=${key}; d=$(dirname "$k")`,
    `if [ ! -d "$d" ]; then mkdir -m 0700 "$d" && chown ${n}: "$d"; fi`,
    `rm -f "$k.pub"; echo y | ssh-keygen -q -t ${quote(a.ssh_key_type ?? 'rsa')}${bits} -C ${comment} -f "$k" -N '' >/dev/null`,
    `chown ${n}: "$k" "$k.pub"`,
  ].join('\n');
  return [{ kind: 'exec', describe: `ssh-keygen for ${a.name}`, cmd }];
}

function unsupported(a: UserArgs): string | undefined {
  if (a.local) return 'local: true needs luseradd (libuser), which play does not drive';
  if (a.generate_ssh_key && a.ssh_key_passphrase !== undefined) return 'ssh_key_passphrase is not supported: ssh-keygen takes a passphrase only in its arguments or at a terminal';
  return undefined;
}

export function decideUser(a: UserArgs, p: UserProbe): Decision {
  const n = quote(a.name);
  const bad = unsupported(a);
  if (bad) return { kind: 'fail', msg: `user ${a.name}: ${bad}` };
  if ((a.state ?? 'present') === 'absent') {
    if (!p.exists) return { kind: 'noop', reason: `user ${a.name} does not exist` };
    const o = [...(a.force ? ['-f'] : []), ...(a.remove ? ['-r'] : [])];
    return { kind: 'change', summary: `remove user ${a.name}`, steps: [{ kind: 'exec', describe: `userdel ${a.name}`, cmd: `userdel ${o.length ? `${o.join(' ')} ` : ''}${n}` }] };
  }
  return p.exists ? modifyUser(a, p) : createUser(a, p);
}

function createUser(a: UserArgs, p: UserProbe): Decision {
  const want = groupList(a.groups);
  const o: string[] = [];
  if (a.uid !== undefined) o.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
  if (a.group !== undefined) o.push('-g', a.group);
  else if (p.sameNameGroup) o.push('-g', a.name);
  if (want && want.length > 0) o.push('-G', want.join(','));
  if (a.shell !== undefined) o.push('-s', a.shell);
  if (a.home !== undefined) o.push('-d', a.home);
  if (a.comment !== undefined) o.push('-c', a.comment);
  if (a.expires !== undefined) o.push('-e', a.expires < 0 ? '' : expiryDate(a.expires));
  if (a.system) o.push('-r');
  o.push(a.create_home === false ? '-M' : '-m');
  if (a.skeleton !== undefined && a.create_home !== false) o.push('-k', a.skeleton);
  const steps: Step[] = [{ kind: 'exec', describe: `useradd ${a.name}`, cmd: `useradd ${quoteArgs(o)} ${quote(a.name)}` }];
  if (a.password !== undefined) steps.push(passwordStep(a, a.password));
  const extra: string[] = [];
  steps.push(...agingStep(a, undefined, extra), ...sshKeySteps(a, undefined, extra));
  return { kind: 'change', summary: `create user ${a.name}`, steps };
}

function modifyUser(a: UserArgs, p: UserProbe): Decision {
  const want = groupList(a.groups);
  const o: string[] = [];
  const changes: string[] = [];
  if (a.uid !== undefined && a.uid !== p.uid) { o.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : [])); changes.push(`uid ${p.uid} -> ${a.uid}`); }
  if (a.group !== undefined && a.group !== p.primaryGroup && a.group !== String(p.gid)) { o.push('-g', a.group); changes.push(`group ${p.primaryGroup} -> ${a.group}`); }
  if (want !== undefined) {
    const primary = a.group ?? p.primaryGroup;
    const have = p.groups.filter((g) => g !== p.primaryGroup);
    const missing = want.filter((g) => !have.includes(g) && g !== primary);
    const extra = a.append ? [] : have.filter((g) => !want.includes(g));
    if (missing.length > 0 || extra.length > 0) {
      if (a.append) o.push('-a', '-G', missing.join(','));
      else o.push('-G', want.join(','));
      changes.push(`groups ${missing.map((g) => `+${g}`).concat(extra.map((g) => `-${g}`)).join(' ')}`);
    }
  }
  if (a.shell !== undefined && a.shell !== p.shell) { o.push('-s', a.shell); changes.push(`shell ${p.shell} -> ${a.shell}`); }
  if (a.home !== undefined && a.home !== p.home) { o.push('-d', a.home, ...(a.move_home ? ['-m'] : [])); changes.push(`home ${p.home} -> ${a.home}`); }
  if (a.comment !== undefined && a.comment !== p.comment) { o.push('-c', a.comment); changes.push('comment'); }
  const shadow = p.shadow ?? { hash: '', expire: -1, min: -1, max: -1, warn: -1 };
  if (a.expires !== undefined) {
    if (a.expires < 0) {
      if (shadow.expire >= 0) { o.push('-e', ''); changes.push('expiry removed'); }
    } else if (shadow.expire < 0 || dayOf(shadow.expire) !== expiryDate(a.expires)) {
      o.push('-e', expiryDate(a.expires)); changes.push(`expires ${shadow.expire < 0 ? 'never' : dayOf(shadow.expire)} -> ${expiryDate(a.expires)}`);
    }
  }
  const newPassword = (a.update_password ?? 'always') === 'always' && a.password !== undefined && shadow.hash.replace(/^!+/, '') !== a.password.replace(/^!+/, '');
  if (!newPassword && a.password_lock === true && !shadow.hash.startsWith('!')) { o.push('-L'); changes.push('locked'); }
  if (!newPassword && a.password_lock === false && shadow.hash.startsWith('!')) { o.push('-U'); changes.push('unlocked'); }
  const steps: Step[] = o.length > 0 ? [{ kind: 'exec', describe: `usermod ${a.name}`, cmd: `usermod ${quoteArgs(o)} ${quote(a.name)}` }] : [];
  if (newPassword) { steps.push(passwordStep(a, a.password!)); changes.push('password'); }
  steps.push(...agingStep(a, p, changes), ...sshKeySteps(a, p, changes));
  if (steps.length === 0) {
    return { kind: 'noop', reason: `user ${a.name} already exists (uid ${p.uid}, group ${p.primaryGroup}, groups ${p.groups.join(',')}, shell ${p.shell}, home ${p.home})` };
  }
  return { kind: 'change', summary: `user ${a.name}: ${changes.join(', ')}`, steps };
}
