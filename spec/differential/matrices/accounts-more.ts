// group and user beyond creation: system groups, gid changes (free, taken, non_unique), group
// removal; users' primary group, groups with and without append, uid, shell and home changes
// (move_home), a home in a missing directory, skeleton, ssh keys (random, so checked by stat and left
// out of the comparison), password_lock and its undoing.
import type { DiffMatrix } from '../matrix.js';

const ACCOUNTS = ['etc/passwd', 'etc/group', 'etc/shadow', 'etc/gshadow', 'etc/subuid', 'etc/subgid', 'etc/passwd-', 'etc/group-', 'etc/shadow-', 'etc/gshadow-'];
const HASH = '$6$dfsalt$82Oii9UjdnSbgN/13lb/GlLUONDtlKmDse.Td2F1Bp4sAPLWwY5yGw/pyq.yMa2aqW3v2XkfxvfQq7N./IhM7/';

export const ACCOUNTS_MORE: DiffMatrix = {
  module: 'accounts-more',
  setup: [
    'groupadd -g 3000 dmchg', 'groupadd -g 3010 dmtaken', 'groupadd -g 3020 dmgone', 'groupadd dmg1', 'groupadd dmg2',
    'useradd -m -s /bin/sh -G dmg1 dmapp', 'useradd -m -s /bin/sh -G dmg1 dmrep', 'useradd -m -s /bin/sh dmmv', 'useradd -m -s /bin/sh -u 4100 dmuid',
    'useradd -m -s /bin/sh dmprim', 'useradd -m -s /bin/sh dmlock', `usermod -p '${HASH}' dmlock`,
    'mkdir -p /srv/skel && printf "skel\\n" > /srv/skel/.dmrc',
  ].join(' && '),
  noise: [/^home\/dmkey\/\.ssh\/id_/],
  cases: [
    { name: 'system group', roots: ACCOUNTS, tasks: [{ group: { name: 'dmsys', system: true } }] },
    { name: 'gid of a group changed', roots: ACCOUNTS, tasks: [{ group: { name: 'dmchg', gid: 3001 } }] },
    { name: 'gid taken by another group', roots: ACCOUNTS, tasks: [{ group: { name: 'dmchg', gid: 3010 } }] },
    { name: 'gid taken, non_unique', roots: ACCOUNTS, tasks: [{ group: { name: 'dmnu', gid: 3010, non_unique: true } }] },
    { name: 'group removed', roots: ACCOUNTS, tasks: [{ group: { name: 'dmgone', state: 'absent' } }] },
    { name: 'groups appended', roots: ['home/dmapp', ...ACCOUNTS], tasks: [{ user: { name: 'dmapp', groups: ['dmg2'], append: true } }] },
    { name: 'groups replaced', roots: ['home/dmrep', ...ACCOUNTS], tasks: [{ user: { name: 'dmrep', groups: 'dmg2' } }] },
    { name: 'groups emptied', roots: ['home/dmapp', ...ACCOUNTS], tasks: [{ user: { name: 'dmapp', groups: '' } }] },
    { name: 'a missing supplementary group', roots: ['home/dmnog', ...ACCOUNTS], tasks: [{ user: { name: 'dmnog', groups: ['no-such-group'] } }] },
    { name: 'primary group changed', roots: ['home/dmprim', ...ACCOUNTS], tasks: [{ user: { name: 'dmprim', group: 'dmg2' } }] },
    { name: 'uid and shell changed', roots: ['home/dmuid', ...ACCOUNTS], tasks: [{ user: { name: 'dmuid', uid: 4101, shell: '/bin/bash' } }] },
    { name: 'home moved', roots: ['home/dmmv', 'home/dmmv2', ...ACCOUNTS], tasks: [{ user: { name: 'dmmv', home: '/home/dmmv2', move_home: true } }] },
    { name: 'home in a missing directory, with a skeleton', roots: ['srv/uh', ...ACCOUNTS], tasks: [{ user: { name: 'dmhome', home: '/srv/uh/dmhome', skeleton: '/srv/skel', create_home: true } }] },
    { name: 'non_unique uid', roots: ['home/dmdup', ...ACCOUNTS], tasks: [{ user: { name: 'dmdup', uid: 4100, non_unique: true } }] },
    { name: 'a taken uid', roots: ['home/dmdup2', ...ACCOUNTS], tasks: [{ user: { name: 'dmdup2', uid: 4100 } }] },
    {
      name: 'locked, then unlocked', roots: ['home/dmlock', ...ACCOUNTS],
      differs: { check: "docs/check-mode.md: Ansible's check sees the account as the lock left it untouched, so the unlock is ok; play's plan follows the lock and says the unlock changes it" },
      tasks: [{ user: { name: 'dmlock', password_lock: true } }, { user: { name: 'dmlock', password_lock: false } }],
    },
    {
      name: 'an ssh key generated', roots: ['home/dmkey', ...ACCOUNTS],
      tasks: [
        { user: { name: 'dmkey', generate_ssh_key: true, ssh_key_type: 'ed25519', ssh_key_comment: 'dm key' }, register: 'k' },
        { stat: { path: '/home/dmkey/.ssh/id_ed25519' }, register: 's' },
        { assert: { that: ["s.stat.mode == '0600'", "s.stat.pw_name == 'dmkey'", "k.ssh_key_file == '/home/dmkey/.ssh/id_ed25519'"] }, when: 'not ansible_check_mode' },
      ],
    },
    { name: 'comment with a colon is refused', roots: ['home/dmcol', ...ACCOUNTS], tasks: [{ user: { name: 'dmcol', comment: 'a:b' } }] },
  ],
};
