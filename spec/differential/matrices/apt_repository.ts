// apt_repository without update_cache (no network): Ansible's file names, options and credentials
// in the line, filename and mode, re-enabling a commented line, removal, rewritten comments.
import type { DiffMatrix } from '../matrix.js';

const D = '/etc/apt/sources.list.d';

export const APT_REPOSITORY: DiffMatrix = {
  module: 'apt_repository',
  setup: [
    `printf '#old mirror\\n# deb http://127.0.0.1:9/old stable main\\n' > ${D}/old.list`,
    `printf 'deb http://127.0.0.1:9/gone stable main\\ndeb http://127.0.0.1:9/stays stable main\\n' > ${D}/two.list && chmod 600 ${D}/two.list`,
    `printf 'deb http://127.0.0.1:9/last stable main\\n' > ${D}/last.list`,
  ].join(' && '),
  cases: [
    { name: 'derived file name', roots: [`etc/apt/sources.list.d/127_0_0_1_9_debian.list`], tasks: [{ apt_repository: { repo: 'deb http://127.0.0.1:9/debian stable main', update_cache: false } }] },
    { name: 'options and credentials left out of the name', roots: ['etc/apt/sources.list.d/mirror_example_9_repo_x.list'], tasks: [{ apt_repository: { repo: 'deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] https://user:pw@mirror.example:9/repo-x  bookworm  main contrib', update_cache: false } }] },
    { name: 'filename and mode', roots: ['etc/apt/sources.list.d/custom.list'], tasks: [{ apt_repository: { repo: 'deb-src http://127.0.0.1:9/src stable main', filename: 'custom', mode: '0600', update_cache: false } }] },
    { name: 're-enables a commented line and rewrites the comment', roots: ['etc/apt/sources.list.d/old.list'], tasks: [{ apt_repository: { repo: 'deb http://127.0.0.1:9/old stable main', update_cache: false } }] },
    { name: 'removes one line, keeps the mode', roots: ['etc/apt/sources.list.d/two.list'], tasks: [{ apt_repository: { repo: 'deb http://127.0.0.1:9/gone stable main', state: 'absent', update_cache: false } }] },
    { name: 'removing the last line removes the file', roots: ['etc/apt/sources.list.d/last.list'], tasks: [{ apt_repository: { repo: 'deb http://127.0.0.1:9/last stable main', state: 'absent', update_cache: false } }] },
    { name: 'absent is ok when not there', roots: ['etc/apt/sources.list.d/none.list'], tasks: [{ apt_repository: { repo: 'deb http://127.0.0.1:9/none stable main', state: 'absent', update_cache: false } }] },
    { name: 'an invalid line fails', roots: ['etc/apt/sources.list.d/bad.list'], tasks: [{ apt_repository: { repo: 'http://127.0.0.1:9/bad stable main', update_cache: false } }] },
  ],
};
