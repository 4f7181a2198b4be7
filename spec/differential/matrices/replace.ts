// replace: Python regexes (groups, named groups, MULTILINE anchors), after/before sections, no match, attributes.
import type { DiffMatrix } from '../matrix.js';

export const REPLACE: DiffMatrix = {
  module: 'replace',
  setup: [
    'mkdir -p /srv/r',
    'printf "a=1\\nb=2\\na=3\\n" > /srv/r/kv',
    'printf "one\\n# start\\nfoo\\nfoo\\n# end\\nfoo\\n" > /srv/r/sec && cp /srv/r/sec /srv/r/after && cp /srv/r/sec /srv/r/before',
    'printf "keep\\n" > /srv/r/same && chmod 600 /srv/r/kv',
    'printf "Host x\\n  Port 22\\n" > /srv/r/named',
  ].join(' && '),
  cases: [
    { name: 'groups and MULTILINE anchors', roots: ['srv/r/kv'], tasks: [{ replace: { path: '/srv/r/kv', regexp: '^a=(\\d)$', replace: 'a=\\1\\1' } }] },
    { name: 'named groups', roots: ['srv/r/named'], tasks: [{ replace: { path: '/srv/r/named', regexp: '(?P<k>Port) (?P<v>\\d+)', replace: '\\g<k> 2222' } }] },
    { name: 'between after and before', roots: ['srv/r/sec'], tasks: [{ replace: { path: '/srv/r/sec', regexp: 'foo', replace: 'bar', after: '# start', before: '# end' } }] },
    { name: 'after only', roots: ['srv/r/after'], tasks: [{ replace: { path: '/srv/r/after', regexp: 'foo', replace: 'bar', after: '# end' } }] },
    { name: 'before only', roots: ['srv/r/before'], tasks: [{ replace: { path: '/srv/r/before', regexp: '^foo$', replace: 'baz', before: '# start' } }] },
    { name: 'no match, with a mode', roots: ['srv/r/same'], tasks: [{ replace: { path: '/srv/r/same', regexp: 'nothing', replace: 'x', mode: '0640' } }] },
    { name: 'a section that does not match', roots: ['srv/r/same'], tasks: [{ replace: { path: '/srv/r/same', regexp: 'keep', replace: 'x', after: 'zzz' } }] },
    { name: 'a missing file', roots: ['srv/r/none'], tasks: [{ replace: { path: '/srv/r/none', regexp: 'a' } }] },
  ],
};
