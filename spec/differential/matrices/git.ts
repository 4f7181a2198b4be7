// git against local repositories on the host: clone HEAD, a branch, a tag, a sha, shallow and bare;
// update a clone that is behind; local modifications with and without force; clone/update off;
// a missing repo and a missing version. Commit dates and authors are fixed, so both hosts hold
// the same objects; git's index and logs hold times and are left out of the comparison. The setup's
// clones use file:// URLs: Ansible rewrites a plain path's remote url to file:// even under --check
// (its check mode then changes .git/config), which play does not copy.
import type { DiffMatrix } from '../matrix.js';

const ENV = 'export GIT_AUTHOR_NAME=d GIT_AUTHOR_EMAIL=d@example.invalid GIT_COMMITTER_NAME=d GIT_COMMITTER_EMAIL=d@example.invalid GIT_AUTHOR_DATE="2020-01-01T00:00:00Z" GIT_COMMITTER_DATE="2020-01-01T00:00:00Z"';
const SRC = '/srv/git/src.git';

export const GIT: DiffMatrix = {
  module: 'git',
  setup: [
    ENV, 'mkdir -p /srv/git', 'git init -q -b main /srv/git/work', 'cd /srv/git/work',
    'echo one > README', 'git add README', 'git commit -qm one', 'git tag v1', 'git branch stable',
    'echo two > README', 'echo new > NEW', 'git add README NEW', 'git commit -qm two', 'git tag -a v2 -m v2',
    `git clone -q --bare /srv/git/work ${SRC}`, 'cd /',
    `git clone -q file://${SRC} /srv/git/behind`, 'git -C /srv/git/behind reset -q --hard v1',
    `git clone -q file://${SRC} /srv/git/dirty`, 'echo local >> /srv/git/dirty/README',
    `git clone -q file://${SRC} /srv/git/dirty2`, 'echo local >> /srv/git/dirty2/README',
    `git clone -q file://${SRC} /srv/git/noupd`, 'git -C /srv/git/noupd reset -q --hard v1',
  ].join(' && '),
  noise: [/(^|\/)\.git\/(?!HEAD$|config$)/, /^srv\/git\/src\.git\/(logs|index|FETCH_HEAD|ORIG_HEAD)/, /^srv\/git\/bare\.git\/(logs|FETCH_HEAD|ORIG_HEAD|packed-refs)/],
  cases: [
    {
      name: 'clone HEAD into a new dest', roots: ['srv/git/c1'],
      tasks: [
        { git: { repo: SRC, dest: '/srv/git/c1' }, register: 'g' },
        { assert: { that: ['g.after | length == 40', 'g.before is none or g.before == g.after'] }, when: 'not ansible_check_mode' },
      ],
    },
    { name: 'clone a branch', roots: ['srv/git/c2'], tasks: [{ git: { repo: SRC, dest: '/srv/git/c2', version: 'stable' } }] },
    { name: 'clone a lightweight tag', roots: ['srv/git/c3'], tasks: [{ git: { repo: SRC, dest: '/srv/git/c3', version: 'v1' } }] },
    { name: 'clone an annotated tag', roots: ['srv/git/c4'], tasks: [{ git: { repo: SRC, dest: '/srv/git/c4', version: 'v2' } }] },
    { name: 'shallow clone over file://', roots: ['srv/git/c5'], tasks: [{ git: { repo: `file://${SRC}`, dest: '/srv/git/c5', depth: 1 } }] },
    { name: 'bare clone', roots: ['srv/git/bare.git'], tasks: [{ git: { repo: SRC, dest: '/srv/git/bare.git', bare: true } }] },
    {
      name: 'update a clone that is behind', roots: ['srv/git/behind'],
      tasks: [{ git: { repo: SRC, dest: '/srv/git/behind', version: 'main' }, register: 'u' }, { assert: { that: ['u.before != u.after'] }, when: 'u.changed and not ansible_check_mode' }],
    },
    { name: 'local modifications without force', roots: ['srv/git/dirty'], tasks: [{ git: { repo: SRC, dest: '/srv/git/dirty' } }] },
    {
      name: 'local modifications with force', roots: ['srv/git/dirty2'],
      differs: { check: "git.py's check mode skips the reset and compares only revisions, so it says ok; the real run discards the local change (changed), which play's plan says" },
      tasks: [{ git: { repo: SRC, dest: '/srv/git/dirty2', force: true } }],
    },
    { name: 'update false leaves a clone behind', roots: ['srv/git/noupd'], tasks: [{ git: { repo: SRC, dest: '/srv/git/noupd', update: false } }] },
    {
      name: 'clone false on a missing dest', roots: ['srv/git/nc'],
      // git.py: with clone=no and no repo in dest it only asks ls-remote, yet returns changed=True; play writes nothing, so ok
      differs: { check: 'Ansible reports changed for clone: no on a missing dest, though nothing is written', first: 'Ansible reports changed for clone: no on a missing dest, though nothing is written', second: 'Ansible reports changed for clone: no on a missing dest, though nothing is written' },
      tasks: [{ git: { repo: SRC, dest: '/srv/git/nc', clone: false } }],
    },
    { name: 'a missing repository', roots: ['srv/git/c6'], tasks: [{ git: { repo: '/srv/git/none.git', dest: '/srv/git/c6' } }] },
    { name: 'a missing version', roots: ['srv/git/c7'], tasks: [{ git: { repo: SRC, dest: '/srv/git/c7', version: 'no-such-branch' } }] },
  ],
};
