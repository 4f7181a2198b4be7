// user's read-only probe: passwd, shadow, groups and the ssh key file, in one exec.
import { quote } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';

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
  /** The shadow entry, when readable: the hash (a secret: never shown) and the aging fields. */
  shadow?: ShadowEntry;
  /** Whether the ssh key file (private or .pub) the args name exists. */
  sshKeyExists?: boolean;
  /** The existing key's file, public key and fingerprint, as Ansible's result names them. */
  sshKey?: { ssh_key_file: string; ssh_public_key: string; ssh_fingerprint: string };
}

export interface ShadowEntry {
  hash: string;
  /** Days since the epoch; -1 when the field is empty (never expires). */
  expire: number;
  min: number;
  max: number;
  warn: number;
}

/** Relative key paths are under the user's home, as in Ansible. */
export const sshKeyPath = (file: string | undefined, type: string | undefined): string => file ?? `.ssh/id_${type ?? 'rsa'}`;

export function userProbeScript(name: string, sshKeyFile?: string): string {
  const n = quote(name);
  const lines = [
    `if pw=$(getent passwd ${n}); then echo exists=yes; echo "pw=$pw"; echo "pgroup=$(id -gn ${n})"; echo "groups=$(id -Gn ${n} | tr ' ' ',')"; else echo exists=no; fi`,
    `if getent group ${n} >/dev/null; then echo samegroup=yes; fi`,
    `if sh=$(getent shadow ${n}); then echo "shadow=$sh"; fi`,
  ];
  if (sshKeyFile !== undefined) {
    const rel = quote(sshKeyFile);
    lines.push(`k=${rel}; case "$k" in /*) ;; *) k="$(printf '%s' "$pw" | cut -d: -f6)/$k" ;; esac`,
      `if [ -n "$pw" ] && { [ -e "$k" ] || [ -e "$k.pub" ]; }; then echo sshkey=yes; fi`,
      // what Ansible's result reports of an existing key
      `if [ -n "$pw" ] && [ -f "$k.pub" ]; then printf 'keyfile=%s\\n' "$k"; printf 'pub=%s\\n' "$(cat "$k.pub")"; printf 'fp=%s\\n' "$(ssh-keygen -lf "$k.pub")"; fi`);
  }
  return lines.join('\n');
}

const days = (s: string | undefined): number => (s === undefined || s === '' ? -1 : Number(s));

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
  const sh = kv.get('shadow');
  if (sh !== undefined) {
    const s = sh.split(':');
    p.shadow = { hash: s[1] ?? '', min: days(s[3]), max: days(s[4]), warn: days(s[5]), expire: days(s[7]) };
  }
  if (kv.has('sshkey')) p.sshKeyExists = true;
  if (kv.has('keyfile')) p.sshKey = { ssh_key_file: kv.get('keyfile')!, ssh_public_key: kv.get('pub') ?? '', ssh_fingerprint: kv.get('fp') ?? '' };
  return p;
}
