// user and group: create with ids, homes, shells and groups; system users; removal.
import type { DiffMatrix } from '../matrix.js';

// sha512-crypt of "diff-password" and of "other-password" (salts fixed so both tools write the same shadow line).
const HASH = '$6$dfsalt$82Oii9UjdnSbgN/13lb/GlLUONDtlKmDse.Td2F1Bp4sAPLWwY5yGw/pyq.yMa2aqW3v2XkfxvfQq7N./IhM7/';
const HASH2 = '$6$dfsalt2$NPcWYgHHZkhFuCG4RBf4wW/Vc8m5oIeSVuzjDJ/Y3RR068TYHDzRcNSe2m4vRQapeeA771EyYngYhJXzwwst90';
const ACCOUNTS = ['etc/passwd', 'etc/group', 'etc/shadow', 'etc/gshadow', 'etc/subuid', 'etc/subgid'];

export const USERS: DiffMatrix = {
  module: 'user',
  setup: 'useradd -m -s /bin/sh dfgone && useradd -m -s /bin/sh dfold',
  cases: [
    { name: 'group with a gid', roots: [...ACCOUNTS], tasks: [{ group: { name: 'dfteam', gid: 2345 } }] },
    { name: 'user with home, shell and groups', roots: ['home/dfa', ...ACCOUNTS], tasks: [{ user: { name: 'dfa', shell: '/bin/bash', groups: ['dfteam'], create_home: true } }] },
    { name: 'system user without home', roots: ['home/dfsys', ...ACCOUNTS], tasks: [{ user: { name: 'dfsys', system: true, create_home: false, shell: '/usr/sbin/nologin' } }] },
    { name: 'user with a uid and a comment', roots: ['home/dfb', ...ACCOUNTS], tasks: [{ user: { name: 'dfb', uid: 3456, comment: 'Diff B' } }] },
    { name: 'remove a user and its home', roots: ['home/dfgone', ...ACCOUNTS], tasks: [{ user: { name: 'dfgone', state: 'absent', remove: true } }] },
    { name: 'user with a password hash, then locked', roots: ['home/dfp', ...ACCOUNTS], tasks: [
      { user: { name: 'dfp', password: HASH } },
      { user: { name: 'dfp', password_lock: true } },
    ] },
    { name: 'password changed on an existing user, not on_create', roots: ['home/dfold', ...ACCOUNTS], tasks: [
      { user: { name: 'dfold', password: HASH } },
      { user: { name: 'dfold', password: HASH2, update_password: 'on_create' } },
      { user: { name: 'dfold', state: 'absent', force: true } },
    ] },
    { name: 'expiry set, then removed, and password aging', roots: ['home/dfe', 'home/dfx', ...ACCOUNTS], tasks: [
      { user: { name: 'dfe', expires: 1422403387, password_expire_max: 30, password_expire_min: 1 } },
      { user: { name: 'dfx', expires: 1422403387 } },
      { user: { name: 'dfx', expires: -1 } },
    ] },
    { name: 'remove a missing group', roots: [...ACCOUNTS], tasks: [{ group: { name: 'dfnogroup', state: 'absent' } }] },
  ],
};
