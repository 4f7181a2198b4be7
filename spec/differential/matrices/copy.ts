// copy: content and src, owner/group/mode, parents that do not exist, directories, force.
import type { DiffMatrix } from '../matrix.js';

export const COPY: DiffMatrix = {
  module: 'copy',
  setup: 'mkdir -p /srv/c && printf "keep\\n" > /srv/c/kept && printf "old\\n" > /srv/c/replaced && chmod 600 /srv/c/replaced',
  files: { 'files/hello.txt': 'hello\n', 'files/tree/a.txt': 'a\n', 'files/tree/sub/b.txt': 'b\n' },
  cases: [
    { name: 'content', roots: ['srv/c/a'], tasks: [{ copy: { dest: '/srv/c/a', content: 'hello\n' } }] },
    { name: 'content with owner, group and mode', roots: ['srv/c/b'], tasks: [{ copy: { dest: '/srv/c/b', content: 'b\n', owner: 'nobody', group: 'nogroup', mode: '0640' } }] },
    { name: 'src from files/', roots: ['srv/c/h'], tasks: [{ copy: { src: 'hello.txt', dest: '/srv/c/h' } }] },
    { name: 'into a directory (trailing slash)', roots: ['srv/c/into'], tasks: [{ file: { path: '/srv/c/into', state: 'directory' } }, { copy: { src: 'hello.txt', dest: '/srv/c/into/' } }] },
    { name: 'into a missing directory', roots: ['srv/c/missing'], tasks: [{ copy: { dest: '/srv/c/missing/x', content: 'x\n' } }], differs: { check: "docs/check-mode.md: Ansible's --check says changed, but its real run fails; play's plan says it would fail" } },
    { name: 'force: false keeps an existing file', roots: ['srv/c/kept'], tasks: [{ copy: { dest: '/srv/c/kept', content: 'new\n', force: false } }] },
    { name: 'replace content keeps the mode', roots: ['srv/c/replaced'], tasks: [{ copy: { dest: '/srv/c/replaced', content: 'new\n' } }] },
    { name: 'symbolic mode', roots: ['srv/c/s'], tasks: [{ copy: { dest: '/srv/c/s', content: 's\n', mode: 'u=rw,g=r,o=' } }] },
  ],
};
