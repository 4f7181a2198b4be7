// get_url with file: URLs (no server to start on either host): new files, replacing, checksums,
// a directory dest, force, owner/group/mode.
import type { DiffMatrix } from '../matrix.js';

const SRC = 'file:///srv/g/src/hello.txt';
const HELLO_SHA256 = '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03';

export const GET_URL: DiffMatrix = {
  module: 'get_url',
  setup: [
    'mkdir -p /srv/g/src /srv/g/dir',
    'printf "hello\\n" > /srv/g/src/hello.txt',
    'printf "old\\n" > /srv/g/stale && chmod 600 /srv/g/stale',
    'printf "old\\n" > /srv/g/kept',
    `printf "%s  hello.txt\\n" ${HELLO_SHA256} > /srv/g/src/SHA256SUMS`,
  ].join(' && '),
  cases: [
    { name: 'new file with mode', roots: ['srv/g/a'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/a', mode: '0640' } }] },
    { name: 'owner and group', roots: ['srv/g/b'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/b', owner: 'nobody', group: 'nogroup' } }] },
    { name: 'replaces different content, keeps the mode', roots: ['srv/g/stale'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/stale' } }] },
    { name: 'matching checksum keeps the file', roots: ['srv/g/kept'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/kept', checksum: 'sha256:01d09d19c2139a46aebfb577780d123d7396e97201bc7ead210a2ebff8239dee' } }] },
    { name: 'checksum of the download', roots: ['srv/g/c'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/c', checksum: `sha256:${HELLO_SHA256}` } }] },
    { name: 'wrong checksum fails', roots: ['srv/g/w'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/w', checksum: `sha256:${'0'.repeat(64)}` } }] },
    { name: 'checksum file URL', roots: ['srv/g/u'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/u', checksum: 'sha256:file:///srv/g/src/SHA256SUMS' } }] },
    { name: 'into a directory', roots: ['srv/g/dir'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/dir' } }] },
    { name: 'force with the same bytes', roots: ['srv/g/f'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/f' } }, { get_url: { url: SRC, dest: '/srv/g/f', force: true } }] },
    { name: 'missing parent fails', roots: ['srv/g/none'], tasks: [{ get_url: { url: SRC, dest: '/srv/g/none/x' } }] },
  ],
};
