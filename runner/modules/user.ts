// user: local accounts through useradd/usermod/userdel, chpasswd and chage. Probe: 1 exec
// (runner/modules/user-probe.ts); decision: runner/modules/user-decide.ts.
import { defineModule } from './types.js';
import { withUserResult } from './user-result.js';
import { decideUser, type UserArgs } from './user-decide.js';
import { parseUserProbe, sshKeyPath, userProbeScript, type UserProbe } from './user-probe.js';
import { overlayUser, predictUser } from './user-predict.js';

export { decideUser, type UserArgs } from './user-decide.js';
export { parseUserProbe, userProbeScript, type UserProbe } from './user-probe.js';

const str = { type: 'string' };
const bool = { type: 'boolean' };
const int = { type: 'integer' };

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
      non_unique: bool,
      group: str,
      groups: { anyOf: [str, { type: 'array', items: str }] },
      append: bool,
      shell: str,
      home: str,
      move_home: bool,
      skeleton: str,
      comment: str,
      system: bool,
      create_home: bool,
      remove: bool,
      force: bool,
      local: bool,
      password: str,
      update_password: { enum: ['always', 'on_create'] },
      password_lock: bool,
      expires: { type: 'number' },
      password_expire_min: int,
      password_expire_max: int,
      password_expire_warn: int,
      generate_ssh_key: bool,
      ssh_key_type: str,
      ssh_key_bits: int,
      ssh_key_file: str,
      ssh_key_comment: str,
      ssh_key_passphrase: str,
    },
  },
  secretArgs: ['password', 'ssh_key_passphrase'],
  // Ansible's aliases: user for name, createhome for create_home.
  normalize(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [alias, name] of [['user', 'name'], ['createhome', 'create_home']] as const) if (alias in r) { r[name] ??= r[alias]; delete r[alias]; }
    return r;
  },
  async probe(args, ctx) {
    const key = args.generate_ssh_key ? sshKeyPath(args.ssh_key_file, args.ssh_key_type) : undefined;
    const r = await ctx.conn.exec(userProbeScript(args.name, key));
    return parseUserProbe(r.stdout);
  },
  overlay: overlayUser,
  predict: predictUser,
  decide: (args, probe) => withUserResult(args, probe, decideUser(args, probe)),
});
