// user's registered result, shaped as Ansible's: name, state, uid, group (the gid), home, shell,
// comment, and after generate_ssh_key the key's file, public key and fingerprint. A change reads
// them from the host after its steps (one more command in the same round of steps); a noop takes
// them from the probe.
import type { Decision, Step } from './types.js';
import { quote } from '../shell-quote.js';
import { sshKeyPath, type UserProbe } from './user-probe.js';
import type { UserArgs } from './user-decide.js';

/** Parses the facts step's `pw=`, `keyfile=`, `pub=` and `fp=` lines. */
export function parseUserFacts(a: UserArgs, stdout: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: a.name, state: 'present' };
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i < 0) continue;
    const [k, v] = [line.slice(0, i), line.slice(i + 1)];
    if (k === 'pw') {
      const f = v.split(':');
      if (f.length >= 7) Object.assign(out, { uid: Number(f[2]), group: Number(f[3]), comment: f[4], home: f[5], shell: f[6] });
    } else if (k === 'keyfile') out.ssh_key_file = v;
    else if (k === 'pub') out.ssh_public_key = v;
    else if (k === 'fp') out.ssh_fingerprint = v;
  }
  return out;
}

function factsStep(a: UserArgs): Step {
  const n = quote(a.name);
  const lines = [`e=$(getent passwd ${n}) && printf 'pw=%s\\n' "$e"`];
  if (a.generate_ssh_key) {
    const rel = sshKeyPath(a.ssh_key_file, a.ssh_key_type);
    const key = rel.startsWith('/') ? quote(rel) : `"$(getent passwd ${n} | cut -d: -f6)"/${quote(rel)}`;
    lines.push(`k=${key}; printf 'keyfile=%s\\n' "$k"`, `if [ -f "$k.pub" ]; then printf 'pub=%s\\n' "$(cat "$k.pub")"; printf 'fp=%s\\n' "$(ssh-keygen -lf "$k.pub")"; fi`);
  }
  return { kind: 'exec', describe: `read the account ${a.name}`, cmd: lines.join('\n'), interpret: (r) => ({ result: parseUserFacts(a, r.stdout) }) };
}

/** The decision with Ansible's result keys added. */
export function withUserResult(a: UserArgs, p: UserProbe, d: Decision): Decision {
  if ((a.state ?? 'present') === 'absent') {
    const result = { name: a.name, state: 'absent', force: a.force === true, remove: a.remove === true };
    return d.kind === 'fail' ? d : { ...d, result: { ...result, ...d.result } };
  }
  if (d.kind === 'change') return { ...d, steps: [...d.steps, factsStep(a)] };
  if (d.kind === 'noop' && p.exists) {
    const key = a.generate_ssh_key && p.sshKey ? p.sshKey : {};
    return { ...d, result: { name: a.name, state: 'present', uid: p.uid, group: p.gid, comment: p.comment ?? '', home: p.home, shell: p.shell, ...key, ...d.result } };
  }
  return d;
}
