// apt: upgrade, autoremove, autoclean, clean and the apt-get flags, decided on recorded probes.
import { expect } from 'chai';
import { aptModule, aptProbeScript, parseAptProbe } from '../../../runner/modules/apt.js';
import { cmds, dctx, failMsg, fx, reason } from './helpers.js';

const APT = 'DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=120';
const CONF = '-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';
const nothing = '@@dpkg\n@@stamp\nnow=1795814947\n';
const decide = (args: Record<string, unknown>, out: string) => aptModule.decide(aptModule.normalize!(args) as never, parseAptProbe(out), dctx());

describe('apt: upgrade, cleanup and flags', () => {
  it('simulates the upgrade in the probe, read-only', () => {
    expect(aptProbeScript({ upgrade: 'dist' })).to.contain(`LC_ALL=C apt-get -q -y --simulate -o Dir::Log::Planner=/dev/null ${CONF} dist-upgrade`);
    expect(aptProbeScript({ upgrade: 'yes', autoremove: true })).to.contain('--simulate').and.contain('upgrade --with-new-pkgs --auto-remove');
    expect(aptProbeScript({ name: 'curl' })).to.not.contain('--simulate');
  });

  it('upgrades when the simulation would change packages, and says so when it would not', () => {
    expect(cmds(decide({ upgrade: 'dist' }, fx('apt-sim-upgrade')))).to.deep.equal([`${APT} ${CONF} dist-upgrade`]);
    expect(cmds(decide({ upgrade: true }, fx('apt-sim-upgrade')))).to.deep.equal([`${APT} ${CONF} upgrade --with-new-pkgs`]);
    const none = `${nothing}@@sim-upgrade\nCalculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`;
    expect(reason(decide({ upgrade: 'safe' }, none))).to.equal('no package to upgrade');
    expect(reason(decide({ upgrade: 'no', update_cache: true, cache_valid_time: 3600 }, `@@dpkg\n@@stamp\n1795814000\nnow=1795814947\n`))).to.contain('within cache_valid_time');
  });

  it('a failed simulation fails the task with apt-get\'s words', () => {
    const broken = `${nothing}@@sim-upgrade\nE: Unable to correct problems, you have held broken packages.\n@@sim-failed 100\n`;
    expect(failMsg(decide({ upgrade: 'dist' }, broken))).to.contain('exit 100').and.contain('held broken packages');
  });

  it('autoremove and autoclean run only when the simulation removes or deletes something', () => {
    expect(reason(decide({ autoremove: true }, fx('apt-sim-cleanup').replace(/@@sim-autoclean[\s\S]*/, '')))).to.equal('no package to autoremove');
    expect(cmds(decide({ autoremove: true, autoclean: true }, fx('apt-sim-cleanup')))).to.deep.equal([`${APT} ${CONF} autoclean`]);
    const removes = `${nothing}@@sim-autoremove\nThe following packages will be REMOVED:\n  libfoo1\nRemv libfoo1 [1.0]\n`;
    expect(cmds(decide({ autoremove: true, purge: true }, removes))).to.deep.equal([`${APT} ${CONF} --purge autoremove`]);
  });

  it('clean on its own is a change, as in Ansible', () => {
    expect(cmds(decide({ clean: true }, nothing))).to.deep.equal(['apt-get clean']);
  });

  it('passes the install flags Ansible passes, in their dashed spellings too', () => {
    const d = decide({ name: 'curl', 'allow-unauthenticated': true, allow_downgrades: true, default_release: 'bookworm-backports', autoremove: true, dpkg_options: 'force-confnew' }, nothing);
    expect(cmds(d)).to.deep.equal([`${APT} -o Dpkg::Options::=--force-confnew --allow-unauthenticated --allow-downgrades -t bookworm-backports --auto-remove install curl`]);
    expect(aptModule.normalize!({ 'allow-unauthenticated': true })).to.deep.equal({ allow_unauthenticated: true });
  });

  it('only_upgrade leaves packages that are not installed alone', () => {
    expect(reason(decide({ name: 'curl', only_upgrade: true }, nothing))).to.equal('curl is not installed (only_upgrade)');
  });

  it('name, deb and upgrade are mutually exclusive; something must be asked', () => {
    expect(failMsg(decide({ name: 'curl', upgrade: 'dist' }, nothing))).to.contain('mutually exclusive');
    expect(failMsg(decide({}, nothing))).to.contain('apt needs one of');
  });
});
