// file: states, owner/group/mode, parents that do not exist yet, links (dangling, forced, over a file).
import type { DiffMatrix } from '../matrix.js';

export const FILE: DiffMatrix = {
  module: 'file',
  setup: 'mkdir -p /srv/f && printf "target\\n" > /srv/f/target && printf "x\\n" > /srv/f/gone && printf "m\\n" > /srv/f/m1 && chmod 644 /srv/f/m1 && printf "r\\n" > /srv/f/l3 && printf "ht\\n" > /srv/f/ht && printf "h2\\n" > /srv/f/h2 && printf "h3\\n" > /srv/f/h3',
  cases: [
    { name: 'directory', roots: ['srv/f/d1'], tasks: [{ file: { path: '/srv/f/d1', state: 'directory' } }] },
    { name: 'directory with owner, group and mode', roots: ['srv/f/d2'], tasks: [{ file: { path: '/srv/f/d2', state: 'directory', owner: 'nobody', group: 'nogroup', mode: '0700' } }] },
    { name: 'directory with missing parents and a mode', roots: ['srv/f/p1'], tasks: [{ file: { path: '/srv/f/p1/p2/p3', state: 'directory', mode: '0750' } }] },
    { name: 'directory with missing parents, owner and symbolic mode', roots: ['srv/f/q1'], tasks: [{ file: { path: '/srv/f/q1/q2', state: 'directory', owner: 'nobody', mode: 'u=rwx,g=,o=' } }] },
    { name: 'touch a new file', roots: ['srv/f/t1'], tasks: [{ file: { path: '/srv/f/t1', state: 'touch', mode: '0640' } }] },
    { name: 'absent, already missing', roots: ['srv/f/none'], tasks: [{ file: { path: '/srv/f/none', state: 'absent' } }] },
    { name: 'absent, existing', roots: ['srv/f/gone'], tasks: [{ file: { path: '/srv/f/gone', state: 'absent' } }] },
    { name: 'mode of an existing file', roots: ['srv/f/m1'], tasks: [{ file: { path: '/srv/f/m1', mode: '0600' } }] },
    { name: 'symbolic mode', roots: ['srv/f/d3'], tasks: [{ file: { path: '/srv/f/d3', state: 'directory', mode: 'u=rwx,g=rx,o=' } }] },
    { name: 'link to a file', roots: ['srv/f/l1'], tasks: [{ file: { src: '/srv/f/target', dest: '/srv/f/l1', state: 'link' } }] },
    { name: 'link to a missing target', roots: ['srv/f/l2'], tasks: [{ file: { src: '/srv/f/nowhere', dest: '/srv/f/l2', state: 'link' } }] },
    { name: 'forced link to a missing target', roots: ['srv/f/l4'], tasks: [{ file: { src: '/srv/f/nowhere', dest: '/srv/f/l4', state: 'link', force: true } }] },
    { name: 'link over a regular file', roots: ['srv/f/l3'], tasks: [{ file: { src: '/srv/f/target', dest: '/srv/f/l3', state: 'link' } }] },
    { name: 'relative link', roots: ['srv/f/l5'], tasks: [{ file: { src: 'target', dest: '/srv/f/l5', state: 'link' } }] },
    { name: 'hard link', roots: ['srv/f/h1', 'srv/f/target'], tasks: [{ file: { src: '/srv/f/target', dest: '/srv/f/h1', state: 'hard' } }] },
    { name: 'hard link over a file needs force', roots: ['srv/f/h2'], tasks: [{ file: { src: '/srv/f/ht', dest: '/srv/f/h2', state: 'hard' } }] },
    { name: 'forced hard link over a file, with a mode', roots: ['srv/f/h3', 'srv/f/ht'], tasks: [{ file: { src: '/srv/f/ht', dest: '/srv/f/h3', state: 'hard', force: true, mode: '0600' } }] },
    { name: 'hard link to a missing src', roots: ['srv/f/h4'], tasks: [{ file: { src: '/srv/f/nowhere', dest: '/srv/f/h4', state: 'hard' } }] },
    {
      // under --check the link's directory is not there yet: play's predicted state knows an earlier task makes it (docs/check-mode.md)
      name: 'a directory, then a file and a link in it', roots: ['srv/f/dep'],
      tasks: [
        { file: { path: '/srv/f/dep', state: 'directory', mode: '0755' } },
        { file: { path: '/srv/f/dep/x', state: 'touch' } },
        { file: { src: '/srv/f/target', dest: '/srv/f/dep/link', state: 'link' } },
      ],
    },
  ],
};
