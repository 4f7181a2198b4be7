// blockinfile: insert at EOF/BOF or after/before a regex, update and remove a block, custom markers, create, attributes.
import type { DiffMatrix } from '../matrix.js';

export const BLOCKINFILE: DiffMatrix = {
  module: 'blockinfile',
  setup: [
    'mkdir -p /srv/b',
    'printf "[main]\\nkey=1\\n[other]\\nx=2\\n" > /srv/b/ini',
    'cp /srv/b/ini /srv/b/before && cp /srv/b/ini /srv/b/bof && cp /srv/b/ini /srv/b/attrs',
    'printf "a\\n# BEGIN ANSIBLE MANAGED BLOCK\\nold\\n# END ANSIBLE MANAGED BLOCK\\nz\\n" > /srv/b/has',
    'cp /srv/b/has /srv/b/rm && cp /srv/b/has /srv/b/empty',
    'printf "<a>\\n<!-- S m -->\\nold\\n<!-- E m -->\\n</a>" > /srv/b/xml',
    'printf "no newline at end" > /srv/b/nonl',
    'ln -s ini /srv/b/link',
  ].join(' && '),
  cases: [
    { name: 'append at EOF', roots: ['srv/b/ini'], tasks: [{ blockinfile: { path: '/srv/b/ini', block: 'a=1\nb=2' } }] },
    { name: 'after a regex', roots: ['srv/b/before'], tasks: [{ blockinfile: { path: '/srv/b/before', block: 'in=main', insertbefore: '^\\[other\\]' } }] },
    { name: 'at BOF', roots: ['srv/b/bof'], tasks: [{ blockinfile: { path: '/srv/b/bof', block: '# header', insertbefore: 'BOF' } }] },
    { name: 'update an existing block', roots: ['srv/b/has'], tasks: [{ blockinfile: { path: '/srv/b/has', block: 'new\nlines' } }] },
    { name: 'state absent', roots: ['srv/b/rm'], tasks: [{ blockinfile: { path: '/srv/b/rm', state: 'absent' } }] },
    { name: 'an empty block removes', roots: ['srv/b/empty'], tasks: [{ blockinfile: { path: '/srv/b/empty', block: '' } }] },
    { name: 'custom marker, begin and end', roots: ['srv/b/xml'], tasks: [{ blockinfile: { path: '/srv/b/xml', block: '<new/>', marker: '<!-- {mark} m -->', marker_begin: 'S', marker_end: 'E' } }] },
    { name: 'file without a final newline', roots: ['srv/b/nonl'], tasks: [{ blockinfile: { path: '/srv/b/nonl', block: 'x' } }] },
    { name: 'a missing file without create', roots: ['srv/b/none'], tasks: [{ blockinfile: { path: '/srv/b/none', block: 'x' } }] },
    { name: 'create with mode and owner', roots: ['srv/b/new'], tasks: [{ blockinfile: { path: '/srv/b/new', block: 'x', create: true, mode: '0600', owner: 'nobody' } }] },
    { name: 'attributes on an unchanged block', roots: ['srv/b/attrs'], tasks: [{ blockinfile: { path: '/srv/b/attrs', block: 'k' } }, { blockinfile: { path: '/srv/b/attrs', block: 'k', mode: '0640', group: 'nogroup' } }] },
    { name: 'through a symlink', roots: ['srv/b/link', 'srv/b/ini'], differs: { check: 'issue 18: play predicts the block the first case writes to ini; Ansible under --check does not' }, tasks: [{ blockinfile: { path: '/srv/b/link', block: 'a=1\nb=2' } }] },
  ],
};
