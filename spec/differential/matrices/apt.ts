// apt against a local repository the setup builds on the host (dpkg-deb, apt-ftparchive, a
// `file:` source with trusted=yes, its lists fetched from it alone), so no network is needed:
// install, a pinned version, latest over an older one, present leaving an older one, remove, purge
// (conffiles), a list, install_recommends, `deb:` a local file, and what fails.
import type { DiffMatrix } from '../matrix.js';

/** Shell that builds dm<name>_<ver>_all.deb into dir; conffile: /etc/dm<name>.conf. */
function deb(name: string, ver: string, dir: string, extra = ''): string {
  const s = `/srv/debsrc/${name}-${ver}`;
  return [
    `mkdir -p ${s}/DEBIAN ${s}/usr/share/${name} ${s}/etc ${dir}`,
    `printf 'Package: ${name}\\nVersion: ${ver}\\nArchitecture: all\\nMaintainer: d <d@example.invalid>\\nDescription: differential test package\\n${extra}' > ${s}/DEBIAN/control`,
    `printf '/etc/${name}.conf\\n' > ${s}/DEBIAN/conffiles`,
    `printf '${name} ${ver}\\n' > ${s}/usr/share/${name}/version`,
    `printf 'conf\\n' > ${s}/etc/${name}.conf`,
    `dpkg-deb -Zgzip --root-owner-group --build ${s} ${dir}/${name}_${ver}_all.deb >/dev/null`,
  ].join(' && ');
}

const REPO = '/srv/debrepo';
const LIST = '/etc/apt/sources.list.d/dmrepo.list';
const DPKG = ['var/lib/dpkg', 'var/lib/apt', 'etc/dmrm.conf', 'etc/dmpurge.conf'];
const roots = (...names: string[]): string[] => [...names.flatMap((n) => [`usr/share/${n}`, `etc/${n}.conf`]), ...DPKG];

export const APT: DiffMatrix = {
  module: 'apt',
  timeoutMs: 1800000,
  // SOURCE_DATE_EPOCH: dpkg-deb stamps the .debs with it, so both hosts build the same bytes
  setup: [
    'export SOURCE_DATE_EPOCH=1577836800',
    deb('dmrepo', '1.0', REPO), deb('dmver', '1.0', REPO), deb('dmver', '2.0', REPO), deb('dmup', '2.0', REPO), deb('dmold', '2.0', REPO),
    deb('dmlista', '1.0', REPO), deb('dmlistb', '1.0', REPO), deb('dmrecd', '1.0', REPO), deb('dmrec', '1.0', REPO, 'Recommends: dmrecd\\n'),
    deb('dmup', '1.0', '/srv/debs'), deb('dmold', '1.0', '/srv/debs'), deb('dmrm', '1.0', '/srv/debs'), deb('dmpurge', '1.0', '/srv/debs'), deb('dmdeb', '1.0', '/srv/debs'),
    `cd ${REPO} && apt-ftparchive packages . > Packages 2>/dev/null && cd /`,
    `echo 'deb [trusted=yes] file:${REPO} ./' > ${LIST}`,
    `apt-get -qq update -o Dir::Etc::sourcelist=${LIST} -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 >/dev/null`,
    'dpkg -i /srv/debs/dmup_1.0_all.deb /srv/debs/dmold_1.0_all.deb /srv/debs/dmrm_1.0_all.deb /srv/debs/dmpurge_1.0_all.deb >/dev/null',
  ].join(' && '),
  // dpkg and apt keep backups and logs of their own bookkeeping, with times in them
  noise: [/^var\/lib\/dpkg\/(status-old|lock.*|triggers\/Lock|.*\.dpkg-old)$/, /^var\/lib\/apt\/(lists\/(lock|partial.*)|extended_states)$/, /^var\/lib\/dpkg\/(available|diversions|statoverride)(-old)?$/],
  cases: [
    { name: 'install from the repository', roots: roots('dmrepo'), tasks: [{ apt: { name: 'dmrepo' } }] },
    { name: 'install a pinned version', roots: roots('dmver'), tasks: [{ apt: { name: 'dmver=1.0', state: 'present' } }] },
    { name: 'present leaves an older version', roots: roots('dmold'), tasks: [{ apt: { name: 'dmold', state: 'present' } }] },
    { name: 'latest upgrades an older version', roots: roots('dmup'), tasks: [{ apt: { name: 'dmup', state: 'latest' } }] },
    { name: 'remove keeps conffiles', roots: roots('dmrm'), tasks: [{ apt: { name: 'dmrm', state: 'absent' } }] },
    { name: 'purge removes conffiles', roots: roots('dmpurge'), tasks: [{ apt: { name: 'dmpurge', state: 'absent', purge: true } }] },
    { name: 'absent, not installed', roots: roots('dmnone'), tasks: [{ apt: { name: 'dmnone', state: 'absent' } }] },
    { name: 'a list of packages', roots: roots('dmlista', 'dmlistb'), tasks: [{ apt: { name: ['dmlista', 'dmlistb'] } }] },
    { name: 'install_recommends false', roots: roots('dmrec', 'dmrecd'), tasks: [{ apt: { name: 'dmrec', install_recommends: false } }] },
    { name: 'deb: a local file', roots: roots('dmdeb'), tasks: [{ apt: { deb: '/srv/debs/dmdeb_1.0_all.deb' } }] },
    { name: 'deb: a missing file', roots: [], tasks: [{ apt: { deb: '/srv/debs/none.deb' } }] },
    { name: 'a package no source has', roots: [], tasks: [{ apt: { name: 'dm-no-such-package' } }] },
    { name: 'a package the machine has installed', roots: [], tasks: [{ apt: { name: 'coreutils' } }] },
  ],
};
