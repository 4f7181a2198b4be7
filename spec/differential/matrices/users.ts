// user and group: create with ids, homes, shells and groups; system users; removal.
import type { DiffMatrix } from '../matrix.js';

const ACCOUNTS = ['etc/passwd', 'etc/group', 'etc/shadow', 'etc/gshadow', 'etc/subuid', 'etc/subgid'];

export const USERS: DiffMatrix = {
  module: 'user',
  setup: 'useradd -m -s /bin/sh dfgone',
  cases: [
    { name: 'group with a gid', roots: [...ACCOUNTS], tasks: [{ group: { name: 'dfteam', gid: 2345 } }] },
    { name: 'user with home, shell and groups', roots: ['home/dfa', ...ACCOUNTS], tasks: [{ user: { name: 'dfa', shell: '/bin/bash', groups: ['dfteam'], create_home: true } }] },
    { name: 'system user without home', roots: ['home/dfsys', ...ACCOUNTS], tasks: [{ user: { name: 'dfsys', system: true, create_home: false, shell: '/usr/sbin/nologin' } }] },
    { name: 'user with a uid and a comment', roots: ['home/dfb', ...ACCOUNTS], tasks: [{ user: { name: 'dfb', uid: 3456, comment: 'Diff B' } }] },
    { name: 'remove a user and its home', roots: ['home/dfgone', ...ACCOUNTS], tasks: [{ user: { name: 'dfgone', state: 'absent', remove: true } }] },
    { name: 'remove a missing group', roots: [...ACCOUNTS], tasks: [{ group: { name: 'dfnogroup', state: 'absent' } }] },
  ],
};
