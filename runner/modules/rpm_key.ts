// rpm_key: a GPG key in the rpm database (RPM-based hosts). play loads and checks it as Ansible does
// (key, state, fingerprint, validate_certs), so roles that carry it for their RedHat and SUSE
// branches load; on a host play runs it fails with the host's family named: play manages Debian
// hosts, and changes no rpm database yet. Probe: 1 exec (the host's family and whether rpm is there).
import { defineModule } from './types.js';
import { parseKv } from './fileinfo.js';

export interface RpmKeyArgs {
  key: string;
  state?: 'present' | 'absent';
  fingerprint?: string;
  validate_certs?: boolean;
}

export interface RpmKeyProbe { family: string; rpm: boolean }

export const RPM_KEY_PROBE = [
  '. /etc/os-release 2>/dev/null; echo "id=${ID:-unknown}"; echo "like=${ID_LIKE:-}"',
  'if command -v rpm >/dev/null 2>&1; then echo rpm=yes; else echo rpm=no; fi',
].join('\n');

export function parseRpmKeyProbe(stdout: string): RpmKeyProbe {
  const kv = parseKv(stdout);
  const like = kv.get('like') ?? '';
  return { family: like ? `${kv.get('id') ?? 'unknown'} (like ${like})` : (kv.get('id') ?? 'unknown'), rpm: kv.get('rpm') === 'yes' };
}

export const rpmKeyModule = defineModule<RpmKeyArgs, RpmKeyProbe>({
  name: 'rpm_key',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['key'],
    properties: {
      key: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
      fingerprint: { type: 'string', minLength: 1 },
      validate_certs: { type: 'boolean' },
    },
  },
  async probe(_args, ctx) {
    const r = await ctx.conn.exec(RPM_KEY_PROBE);
    return parseRpmKeyProbe(r.stdout);
  },
  decide: (a, p) => ({
    kind: 'fail',
    msg: `rpm_key ${a.state ?? 'present'} ${a.key}: not supported on this host family (${p.family}${p.rpm ? ', rpm is installed' : ', no rpm'}): play validates rpm_key but manages no rpm database yet`,
  }),
});
