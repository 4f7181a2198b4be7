// --check for the user module: the account as earlier tasks would have left it, and what
// useradd/usermod/userdel would leave (runner/predict/). Pure.
import type { PredictedEffect, PredictView } from './types.js';
import type { ShadowFact } from '../predict/model.js';
import type { UserArgs } from './user-decide.js';
import type { UserProbe } from './user-probe.js';

const groupList = (g: UserArgs['groups']): string[] | undefined =>
  g === undefined ? undefined : (Array.isArray(g) ? g : [g]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');

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
  if (f.shadow !== undefined) out.shadow = f.shadow;
  return out;
}

/** The shadow entry after the task: its password, lock, expiry and aging (Debian's useradd defaults when new). */
function predictShadow(a: UserArgs, p: UserProbe): ShadowFact {
  const cur = p.shadow ?? { hash: '!', expire: -1, min: 0, max: 99999, warn: 7 };
  const setPassword = a.password !== undefined && (!p.exists || (a.update_password ?? 'always') === 'always');
  let hash = setPassword ? a.password! : cur.hash;
  if (a.password_lock === true && !hash.startsWith('!')) hash = `!${hash}`;
  if (a.password_lock === false) hash = hash.replace(/^!+/, '');
  const expire = a.expires === undefined ? cur.expire : a.expires < 0 ? -1 : Math.floor(a.expires / 86400);
  return { hash, expire, min: a.password_expire_min ?? cur.min, max: a.password_expire_max ?? cur.max, warn: a.password_expire_warn ?? cur.warn };
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
  const fact = { exists: true, group: primary, groups, home, shell: a.shell ?? p.shell ?? '/bin/sh', comment: a.comment ?? p.comment ?? '', shadow: predictShadow(a, p), ...(a.uid !== undefined ? { uid: a.uid } : p.uid !== undefined ? { uid: p.uid } : {}) };
  const out: PredictedEffect[] = [{ kind: 'user', name: a.name, fact }];
  if (!p.exists && a.group === undefined && !p.sameNameGroup) out.push({ kind: 'group', name: a.name, fact: { exists: true } });
  if (!p.exists && a.create_home !== false) out.push({ kind: 'path', path: home, fact: { kind: 'directory', fresh: false, mode: 0o755, owner: a.name, group: primary } });
  return out;
}
