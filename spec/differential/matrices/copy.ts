// copy: content and src, owner/group/mode, parents that do not exist, directories, force.
import type { DiffMatrix } from '../matrix.js';

export const COPY: DiffMatrix = {
  module: 'copy',
  setup: 'mkdir -p /srv/c && printf "keep\\n" > /srv/c/kept && printf "old\\n" > /srv/c/replaced && chmod 600 /srv/c/replaced && mkdir -p /srv/c/t4/sub /srv/c/r4 /srv/c/rtree/in /srv/c/r5/in && printf "old\\n" > /srv/c/t4/a.txt && chmod 600 /srv/c/t4/a.txt && printf "1\\n" > /srv/c/rtree/one && chmod 640 /srv/c/rtree/one && printf "2\\n" > /srv/c/rtree/in/two && chmod 750 /srv/c/rtree/in && printf "x\\n" > /srv/c/r5/one && printf "2\\n" > /srv/c/r5/in/two && printf "keep\\n" > /srv/c/r5/extra && mkdir -p /srv/c/rd && printf "o\\n" > /srv/c/rd/replaced && chmod 604 /srv/c/rd/replaced',
  files: { 'files/hello.txt': 'hello\n', 'files/tree/a.txt': 'a\n', 'files/tree/sub/b.txt': 'b\n', 'files/tree/empty/.keep': '' },
  cases: [
    { name: 'content', roots: ['srv/c/a'], tasks: [{ copy: { dest: '/srv/c/a', content: 'hello\n' } }] },
    { name: 'content with owner, group and mode', roots: ['srv/c/b'], tasks: [{ copy: { dest: '/srv/c/b', content: 'b\n', owner: 'nobody', group: 'nogroup', mode: '0640' } }] },
    { name: 'src from files/', roots: ['srv/c/h'], tasks: [{ copy: { src: 'hello.txt', dest: '/srv/c/h' } }] },
    { name: 'into a directory (trailing slash)', roots: ['srv/c/into'], tasks: [{ file: { path: '/srv/c/into', state: 'directory' } }, { copy: { src: 'hello.txt', dest: '/srv/c/into/' } }] },
    { name: 'into a missing directory', roots: ['srv/c/missing'], tasks: [{ copy: { dest: '/srv/c/missing/x', content: 'x\n' } }], differs: { check: "docs/check-mode.md: Ansible's --check says changed, but its real run fails; play's plan says it would fail" } },
    { name: 'force: false keeps an existing file', roots: ['srv/c/kept'], tasks: [{ copy: { dest: '/srv/c/kept', content: 'new\n', force: false } }] },
    { name: 'replace content keeps the mode', roots: ['srv/c/replaced'], tasks: [{ copy: { dest: '/srv/c/replaced', content: 'new\n' } }] },
    { name: 'symbolic mode', roots: ['srv/c/s'], tasks: [{ copy: { dest: '/srv/c/s', content: 's\n', mode: 'u=rw,g=r,o=' } }] },
    { name: 'a directory tree, contents only', roots: ['srv/c/t1'], tasks: [{ file: { path: '/srv/c/t1', state: 'directory' } }, { copy: { src: 'tree/', dest: '/srv/c/t1' } }] },
    { name: 'a directory tree with directory_mode', roots: ['srv/c/t2'], tasks: [{ file: { path: '/srv/c/t2', state: 'directory' } }, { copy: { src: 'tree', dest: '/srv/c/t2/', directory_mode: '0750' } }] },
    { name: 'a directory tree into a missing dest, with owner and modes', roots: ['srv/c/t3'], tasks: [{ copy: { src: 'tree/', dest: '/srv/c/t3/x', owner: 'nobody', mode: '0600', directory_mode: '0700' } }] },
    { name: 'a directory tree over an existing file of other content', roots: ['srv/c/t4'], tasks: [{ copy: { src: 'tree/', dest: '/srv/c/t4' } }] },
    { name: 'into a missing directory with a trailing slash and directory_mode', roots: ['srv/c/dm'], tasks: [{ copy: { src: 'hello.txt', dest: '/srv/c/dm/a/', directory_mode: '0711' } }] },
    { name: 'remote_src: a file on the host', roots: ['srv/c/r1'], tasks: [{ copy: { src: '/srv/c/kept', dest: '/srv/c/r1', remote_src: true, mode: '0640' } }] },
    { name: 'remote_src: a file into a directory keeps an existing mode', roots: ['srv/c/rd'], tasks: [{ copy: { src: '/srv/c/replaced', dest: '/srv/c/rd/', remote_src: true } }] },
    { name: 'remote_src: a missing source', roots: ['srv/c/r2'], differs: { check: 'issue 18: after the opaque tree copies above, play reports a failure under --check as unknown' }, tasks: [{ copy: { src: '/srv/c/nowhere', dest: '/srv/c/r2', remote_src: true } }] },
    { name: 'remote_src: a directory, contents into a new dest', roots: ['srv/c/r3'], tasks: [{ copy: { src: '/srv/c/rtree/', dest: '/srv/c/r3', remote_src: true } }] },
    { name: 'remote_src: a directory into an existing one, with owner', roots: ['srv/c/r4'], tasks: [{ copy: { src: '/srv/c/rtree', dest: '/srv/c/r4', remote_src: true, owner: 'nobody' } }] },
    { name: 'remote_src: a directory merged into a partial copy', roots: ['srv/c/r5'], tasks: [{ copy: { src: '/srv/c/rtree/', dest: '/srv/c/r5', remote_src: true } }] },
  ],
};
