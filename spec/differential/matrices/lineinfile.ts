// lineinfile: create, regexp, insertafter/insertbefore, absent, backrefs, a missing file.
import type { DiffMatrix } from '../matrix.js';

export const LINEINFILE: DiffMatrix = {
  module: 'lineinfile',
  setup: 'mkdir -p /srv/li && printf "# conf\\nPort 22\\nUser root\\n" > /srv/li/conf && cp /srv/li/conf /srv/li/c2 && cp /srv/li/conf /srv/li/c3 && cp /srv/li/conf /srv/li/c4 && cp /srv/li/conf /srv/li/c5',
  cases: [
    { name: 'create a new file', roots: ['srv/li/new'], tasks: [{ lineinfile: { path: '/srv/li/new', line: 'first', create: true, mode: '0600' } }] },
    { name: 'regexp replaces a line', roots: ['srv/li/conf'], tasks: [{ lineinfile: { path: '/srv/li/conf', regexp: '^Port ', line: 'Port 2222' } }] },
    { name: 'insertafter a match', roots: ['srv/li/c2'], tasks: [{ lineinfile: { path: '/srv/li/c2', line: 'After port', insertafter: '^Port' } }] },
    { name: 'insertbefore BOF', roots: ['srv/li/c3'], tasks: [{ lineinfile: { path: '/srv/li/c3', line: '# top', insertbefore: 'BOF' } }] },
    { name: 'absent by regexp', roots: ['srv/li/c4'], tasks: [{ lineinfile: { path: '/srv/li/c4', regexp: '^User', state: 'absent' } }] },
    { name: 'backrefs', roots: ['srv/li/c5'], tasks: [{ lineinfile: { path: '/srv/li/c5', regexp: '^Port (\\d+)', line: 'Port \\1 # kept', backrefs: true } }] },
    { name: 'a missing file without create', roots: ['srv/li/absent'], tasks: [{ lineinfile: { path: '/srv/li/absent', line: 'x' } }] },
  ],
};
