// user: local accounts through useradd/usermod/userdel. Probe: 1 exec (getent, id).
import { defineModule, type Decision, type PredictedEffect, type PredictView } from './types.js';
import { quote, quoteArgs } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';

export interface UserArgs {
  name: string;
  state?: 'present' | 'absent';
  uid?: number;
  group?: string;
  groups?: string | string[];
  append?: boolean;
  shell?: string;
  home?: string;
  comment?: string;
  system?: boolean;
  create_home?: boolean;
  remove?: boolean;
}

export interface UserProbe {
  exists: boolean;
  uid?: number;
  gid?: number;
  comment?: string;
  home?: string;
  shell?: string;
  primaryGroup?: string;
  /** All groups the user is in, primary included (id -Gn). */
  groups: string[];
  /** Whether a group named like the user exists (useradd then needs -g NAME). */
  sameNameGroup: boolean;
}

export function userProbeScript(name: string): string {
  const n = quote(name);
  return [
    `if pw=$(getent passwd ${n}); then echo exists=yes; echo "pw=$pw"; echo "pgroup=$(id -gn ${n})"; echo "groups=$(id -Gn ${n} | tr ' ' ',')"; else echo exists=no; fi`,
    `if getent group ${n} >/dev/null; then echo samegroup=yes; fi`,
  ].join('\n');
}

export function parseUserProbe(stdout: string): UserProbe {
  const kv = parseKv(stdout);
  const p: UserProbe = { exists: kv.get('exists') === 'yes', groups: [], sameNameGroup: kv.get('samegroup') === 'yes' };
  if (!p.exists) return p;
  const f = (kv.get('pw') ?? '').split(':');
  p.uid = Number(f[2]);
  p.gid = Number(f[3]);
  p.comment = f[4] ?? '';
  p.home = f[5] ?? '';
  p.shell = f[6] ?? '';
  p.primaryGroup = kv.get('pgroup');
  p.groups = (kv.get('groups') ?? '').split(',').filter((g) => g !== '');
  return p;
}

const groupList = (g: UserArgs['groups']): string[] | undefined =>
  g === undefined ? undefined : (Array.isArray(g) ? g : [g]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');

export function decideUser(a: UserArgs, p: UserProbe): Decision {
  const n = quote(a.name);
  if ((a.state ?? 'present') === 'absent') {
    if (!p.exists) return { kind: 'noop', reason: `user ${a.name} does not exist` };
    return { kind: 'change', summary: `remove user ${a.name}`, steps: [{ kind: 'exec', describe: `userdel ${a.name}`, cmd: `userdel ${a.remove ? '-r ' : ''}${n}` }] };
  }
  const want = groupList(a.groups);
  if (!p.exists) {
    const o: string[] = [];
    if (a.uid !== undefined) o.push('-u', String(a.uid));
    if (a.group !== undefined) o.push('-g', a.group);
    else if (p.sameNameGroup) o.push('-g', a.name);
    if (want && want.length > 0) o.push('-G', want.join(','));
    if (a.shell !== undefined) o.push('-s', a.shell);
    if (a.home !== undefined) o.push('-d', a.home);
    if (a.comment !== undefined) o.push('-c', a.comment);
    if (a.system) o.push('-r');
    o.push(a.create_home === false ? '-M' : '-m');
    const cmd = `useradd ${quoteArgs(o)} ${n}`;
    return { kind: 'change', summary: `create user ${a.name}`, steps: [{ kind: 'exec', describe: `useradd ${a.name}`, cmd }] };
  }
  const o: string[] = [];
  const changes: string[] = [];
  if (a.uid !== undefined && a.uid !== p.uid) { o.push('-u', String(a.uid)); changes.push(`uid ${p.uid} -> ${a.uid}`); }
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
  if (a.home !== undefined && a.home !== p.home) { o.push('-d', a.home); changes.push(`home ${p.home} -> ${a.home}`); }
  if (a.comment !== undefined && a.comment !== p.comment) { o.push('-c', a.comment); changes.push('comment'); }
  if (o.length === 0) {
    return { kind: 'noop', reason: `user ${a.name} already exists (uid ${p.uid}, group ${p.primaryGroup}, groups ${p.groups.join(',')}, shell ${p.shell}, home ${p.home})` };
  }
  return { kind: 'change', summary: `user ${a.name}: ${changes.join(', ')}`, steps: [{ kind: 'exec', describe: `usermod ${a.name}`, cmd: `usermod ${quoteArgs(o)} ${n}` }] };
}

export const userModule = defineModule<UserArgs, UserProbe>({
  name: 'user',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
      uid: { type: 'integer', minimum: 0 },
      group: { type: 'string' },
      groups: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      append: { type: 'boolean' },
      shell: { type: 'string' },
      home: { type: 'string' },
      comment: { type: 'string' },
      system: { type: 'boolean' },
      create_home: { type: 'boolean' },
      remove: { type: 'boolean' },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(userProbeScript(args.name));
    return parseUserProbe(r.stdout);
  },
  overlay: overlayUser,
  predict: predictUser,
  decide: (args, probe) => decideUser(args, probe),
});

/** --check: the account as earlier tasks would have left it. */
export function overlayUser(a: UserArgs, p: UserProbe, view: PredictView): UserProbe {
  const sameNameGroup = view.state.group(a.name)?.fact.exists ?? p.sameNameGroup;
  const k = view.state.user(a.name);
  if (!k) return { ...p, sameNameGroup };
  const f = k.fact;
  if (!f.exists) return { exists: false, groups: [], sameNameGroup };
  const primary = f.group ?? p.primaryGroup ?? a.name;
  const out: UserProbe = { ...p, exists: true, primaryGroup: primary, groups: [primary, ...(f.groups ?? []).filter((g) => g !== primary)], sameNameGroup };
  if (f.uid !== undefined) out.uid = f.uid;
  if (f.home !== undefined) out.home = f.home;
  if (f.shell !== undefined) out.shell = f.shell;
  out.comment = f.comment ?? p.comment ?? '';
  return out;
}

/**
 * --check: the account, its group and its home as useradd/usermod would leave them (Debian's
 * defaults: /home/NAME, /bin/sh, a group of the user's name, umask 022). The uid stays unknown.
 */
export function predictUser(a: UserArgs, p: UserProbe): PredictedEffect[] {
  if ((a.state ?? 'present') === 'absent') {
    const out: PredictedEffect[] = [{ kind: 'user', name: a.name, fact: { exists: false } }];
    if (a.remove && p.home) out.push({ kind: 'path', path: p.home, fact: { kind: 'absent' } });
    return out;
  }
  const want = groupList(a.groups);
  const primary = a.group ?? p.primaryGroup ?? a.name;
  const had = p.groups.filter((g) => g !== p.primaryGroup);
  const groups = want === undefined ? had : a.append ? [...new Set([...had, ...want])] : want;
  const home = a.home ?? p.home ?? `/home/${a.name}`;
  const fact = { exists: true, group: primary, groups, home, shell: a.shell ?? p.shell ?? '/bin/sh', comment: a.comment ?? p.comment ?? '', ...(a.uid !== undefined ? { uid: a.uid } : p.uid !== undefined ? { uid: p.uid } : {}) };
  const out: PredictedEffect[] = [{ kind: 'user', name: a.name, fact }];
  if (!p.exists && a.group === undefined && !p.sameNameGroup) out.push({ kind: 'group', name: a.name, fact: { exists: true } });
  if (!p.exists && a.create_home !== false) out.push({ kind: 'path', path: home, fact: { kind: 'directory', fresh: false, mode: 0o755, owner: a.name, group: primary } });
  return out;
}
