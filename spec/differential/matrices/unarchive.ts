// unarchive with remote_src (archives made on the host by the setup): tar.gz, tar, tar.bz2, zip,
// creates, owner/mode on every entry, a changed file put back, a missing dest.
import type { DiffMatrix } from '../matrix.js';

const T = '/srv/u/src';

export const UNARCHIVE: DiffMatrix = {
  module: 'unarchive',
  setup: [
    `mkdir -p ${T}/tree/sub /srv/u/tgz /srv/u/tar /srv/u/bz /srv/u/zip /srv/u/cr /srv/u/own /srv/u/chg /srv/u/opts`,
    `printf 'a\\n' > ${T}/tree/a.txt && printf 'b\\n' > ${T}/tree/sub/b.txt && chmod 600 ${T}/tree/sub/b.txt`,
    `touch -d '2024-01-02 03:04:05' ${T}/tree/a.txt ${T}/tree/sub/b.txt ${T}/tree/sub ${T}/tree`,
    `cd ${T} && tar czf ../a.tgz tree && tar cf ../a.tar tree && tar cjf ../a.tar.bz2 tree && python3 -m zipfile -c ../a.zip tree`,
    'cd /srv/u/chg && tar xzf ../a.tgz && printf "changed\\n" > tree/a.txt',
    'touch /srv/u/cr/marker',
    // Ansible leaves something under /var/tmp (excluded from the trees), so its upper layer has /var: both get it
    'mkdir -p /var/tmp/play-diff-unarchive',
  ].join(' && '),
  cases: [
    { name: 'tar.gz', roots: ['srv/u/tgz'], tasks: [{ unarchive: { src: '/srv/u/a.tgz', dest: '/srv/u/tgz', remote_src: true } }], differs: { check: 'Ansible 2.14 skips every tar handler under --check (TgzArchive: "does not support check mode when using gtar"); play predicts from tar --diff' } },
    { name: 'plain tar', roots: ['srv/u/tar'], tasks: [{ unarchive: { src: '/srv/u/a.tar', dest: '/srv/u/tar', remote_src: true } }], differs: { check: 'Ansible 2.14 skips every tar handler under --check (TgzArchive: "does not support check mode when using gtar"); play predicts from tar --diff' } },
    { name: 'tar.bz2', roots: ['srv/u/bz'], tasks: [{ unarchive: { src: '/srv/u/a.tar.bz2', dest: '/srv/u/bz', remote_src: true } }], differs: { check: 'Ansible 2.14 skips every tar handler under --check (TgzArchive: "does not support check mode when using gtar"); play predicts from tar --diff' } },
    { name: 'zip', roots: ['srv/u/zip'], tasks: [{ unarchive: { src: '/srv/u/a.zip', dest: '/srv/u/zip', remote_src: true } }] },
    { name: 'creates skips', roots: ['srv/u/cr'], tasks: [{ unarchive: { src: '/srv/u/a.tgz', dest: '/srv/u/cr', remote_src: true, creates: '/srv/u/cr/marker' } }], differs: { check: 'Ansible reports skipped (its action plugin); play has no skipped result for a module and says ok with the same reason', first: 'same', second: 'same' } },
    { name: 'owner and mode on every entry', roots: ['srv/u/own'], tasks: [{ unarchive: { src: '/srv/u/a.tgz', dest: '/srv/u/own', remote_src: true, owner: 'nobody', mode: 'u+rwX,g+rX,o-rwx' } }], differs: { check: 'Ansible 2.14 skips every tar handler under --check (TgzArchive: "does not support check mode when using gtar"); play predicts from tar --diff' } },
    { name: 'a changed file is put back', roots: ['srv/u/chg'], tasks: [{ unarchive: { src: '/srv/u/a.tgz', dest: '/srv/u/chg', remote_src: true } }], differs: { check: 'Ansible 2.14 skips every tar handler under --check (TgzArchive: "does not support check mode when using gtar"); play predicts from tar --diff' } },
    { name: 'extra_opts strip a component', roots: ['srv/u/opts'], tasks: [{ unarchive: { src: '/srv/u/a.tgz', dest: '/srv/u/opts', remote_src: true, extra_opts: ['--strip-components=1'] } }], differs: { check: 'Ansible 2.14 skips every tar handler under --check (TgzArchive: "does not support check mode when using gtar"); play predicts from tar --diff' } },
    { name: 'missing dest fails', roots: ['srv/u/none'], tasks: [{ unarchive: { src: '/srv/u/a.tgz', dest: '/srv/u/none', remote_src: true } }] },
  ],
};
