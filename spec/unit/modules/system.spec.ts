// apt, service, user, group: decisions on recorded probes only (no host changes here).
import { expect } from 'chai';
import { aptModule, aptProbeScript, parseAptProbe } from '../../../runner/modules/apt.js';
import { parseServiceProbe, serviceModule } from '../../../runner/modules/service.js';
import { parseUserProbe, userModule } from '../../../runner/modules/user.js';
import { groupModule, parseGroupProbe } from '../../../runner/modules/group.js';
import { cmds, dctx, failMsg, fx, reason } from './helpers.js';

const APT = 'DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=120';
const CONF = '-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';

describe('apt', () => {
  const present = parseAptProbe(fx('apt-present'));
  it('parses dpkg-query and apt-cache policy output', () => {
    expect(present.packages).to.deep.equal({ bash: { installed: true, version: '5.2.15-2+b8' }, coreutils: { installed: true, version: '9.1-1' } });
    expect(present.cacheAge).to.equal(undefined);
    expect(parseAptProbe(fx('apt-latest')).candidates).to.deep.equal({ bash: '5.2.15-2+b13' });
    expect(parseAptProbe('@@dpkg\n@@stamp\n1000\n900\nnow=1600\n').cacheAge).to.equal(600);
    expect(aptProbeScript({ name: 'curl' })).to.contain("dpkg-query -W -f='${Package}\\t${Status}\\t${Version}\\n' -- curl");
  });
  it('noop when installed (and pinned versions match), with versions in the reason', () => {
    expect(reason(aptModule.decide({ name: ['bash', 'coreutils=9.1-1'] }, present, dctx()))).to.equal('bash 5.2.15-2+b8 is installed; coreutils 9.1-1 is installed');
  });
  it('installs the missing ones, updating a stale cache first', () => {
    const d = aptModule.decide({ name: ['bash', 'no-such-package-xyz', 'coreutils=9.4-*'], update_cache: true, cache_valid_time: 3600, install_recommends: false }, present, dctx());
    expect(cmds(d)).to.deep.equal([`${APT} update`, `${APT} --no-install-recommends ${CONF} install no-such-package-xyz 'coreutils=9.4-*'`]);
  });
  it('leaves a fresh cache alone and says so', () => {
    const p = { ...present, cacheAge: 100 };
    expect(reason(aptModule.decide({ update_cache: true, cache_valid_time: 3600 }, p, dctx()))).to.equal('apt cache is 100 s old, within cache_valid_time 3600 s');
    expect(cmds(aptModule.decide({ update_cache: true, cache_valid_time: 60 }, p, dctx()))).to.deep.equal([`${APT} update`]);
  });
  it('latest upgrades to the candidate; an unknown package fails', () => {
    const p = parseAptProbe(fx('apt-latest'));
    const d = aptModule.decide({ name: 'bash', state: 'latest' }, p, dctx());
    expect(cmds(d)).to.deep.equal([`${APT} ${CONF} install bash`]);
    expect(d.kind === 'change' && d.summary).to.equal('upgrade bash 5.2.15-2+b8 -> 5.2.15-2+b13');
    expect(failMsg(aptModule.decide({ name: 'no-such-package-xyz', state: 'latest' }, p, dctx()))).to.equal("No package matching 'no-such-package-xyz' is available");
  });
  it('absent removes installed packages only', () => {
    expect(cmds(aptModule.decide({ name: ['bash', 'nope'], state: 'absent', purge: true }, present, dctx()))).to.deep.equal([`${APT} purge bash`]);
    expect(reason(aptModule.decide({ name: 'nope', state: 'absent' }, present, dctx()))).to.equal('nope is not installed');
  });
  it('deb: installs a local .deb unless that version is installed', () => {
    const p = parseAptProbe('@@dpkg\n@@deb\nPackage: datadog-agent\nVersion: 7.50.0-1\n@@dpkg\ndatadog-agent\tinstall ok installed\t7.49.0-1\n@@stamp\nnow=1\n');
    expect(cmds(aptModule.decide({ deb: '/tmp/agent.deb' }, p, dctx()))).to.deep.equal([`${APT} ${CONF} install /tmp/agent.deb`]);
    p.packages['datadog-agent'] = { installed: true, version: '7.50.0-1' };
    expect(reason(aptModule.decide({ deb: '/tmp/agent.deb' }, p, dctx()))).to.equal('datadog-agent 7.50.0-1 from /tmp/agent.deb is installed');
  });
});

describe('service', () => {
  it('parses recorded SysV probes', () => {
    expect(parseServiceProbe(fx('service-sysv-ssh'))).to.deep.equal({ init: 'sysv', exists: true, active: false, enabled: true });
    expect(parseServiceProbe(fx('service-sysv-missing')).exists).to.equal(false);
  });
  it('SysV: starts with `service`, says enabled is already right', () => {
    const d = serviceModule.decide({ name: 'ssh', state: 'started', enabled: true }, parseServiceProbe(fx('service-sysv-ssh')), dctx());
    expect(cmds(d)).to.deep.equal(['service ssh start']);
    expect(d.kind === 'change' && d.summary).to.equal('start ssh (SysV init)');
  });
  it('SysV: enable via update-rc.d, noop when running', () => {
    const p = { init: 'sysv' as const, exists: true, active: true, enabled: false };
    expect(cmds(serviceModule.decide({ name: 'datadog-agent', state: 'started', enabled: true }, p, dctx()))).to.deep.equal(['update-rc.d datadog-agent defaults && update-rc.d datadog-agent enable']);
    expect(reason(serviceModule.decide({ name: 'ssh', state: 'stopped', enabled: true }, parseServiceProbe(fx('service-sysv-ssh')), dctx()))).to.equal('ssh already is enabled and is stopped (SysV init)');
    expect(cmds(serviceModule.decide({ name: 'x', enabled: false }, { ...p, enabled: true }, dctx()))).to.deep.equal(['update-rc.d x disable']);
  });
  it('systemd: systemctl enable + start; restarted is always a change', () => {
    const p = parseServiceProbe(fx('service-systemd-nginx'));
    expect(p).to.deep.include({ init: 'systemd', exists: true, active: false, enabled: false });
    expect(cmds(serviceModule.decide({ name: 'nginx', state: 'started', enabled: true }, p, dctx()))).to.deep.equal(['systemctl enable -- nginx', 'systemctl start -- nginx']);
    expect(cmds(serviceModule.decide({ name: 'nginx', state: 'restarted' }, { ...p, active: true }, dctx()))).to.deep.equal(['systemctl restart -- nginx']);
    expect(cmds(serviceModule.decide({ name: 'nginx', state: 'reloaded' }, { ...p, active: true }, dctx()))).to.deep.equal(['systemctl reload -- nginx']);
  });
  it('fails on an unknown service', () => {
    expect(failMsg(serviceModule.decide({ name: 'datadog-agent', state: 'started' }, parseServiceProbe(fx('service-sysv-missing')), dctx()))).to.equal('Could not find the requested service datadog-agent: no /etc/init.d/datadog-agent');
    expect(failMsg(serviceModule.decide({ name: 'x', state: 'started' }, parseServiceProbe(fx('service-systemd-missing')), dctx()))).to.match(/no such unit/);
  });
});

describe('user / group', () => {
  it('parses recorded getent/id output', () => {
    expect(parseUserProbe(fx('user-root'))).to.deep.equal({ exists: true, uid: 0, gid: 0, comment: 'root', home: '/root', shell: '/bin/bash', primaryGroup: 'root', groups: ['root'], sameNameGroup: true });
    expect(parseGroupProbe(fx('group-adm'))).to.deep.equal({ exists: true, gid: 4, members: [] });
    expect(parseGroupProbe(fx('group-missing'))).to.deep.equal({ exists: false, members: [] });
  });
  it('user: noop when matching, usermod for differences, useradd when missing', () => {
    const root = parseUserProbe(fx('user-root'));
    expect(reason(userModule.decide({ name: 'root', shell: '/bin/bash', uid: 0 }, root, dctx()))).to.equal('user root already exists (uid 0, group root, groups root, shell /bin/bash, home /root)');
    // the last command reads the account for the registered result (runner/modules/user-result.ts)
    expect(cmds(userModule.decide({ name: 'root', groups: ['adm'], append: true, shell: '/bin/sh' }, root, dctx())).slice(0, -1)).to.deep.equal(['usermod -a -G adm -s /bin/sh root']);
    const d = userModule.decide({ name: 'dd-agent', system: true, shell: '/usr/sbin/nologin', home: '/opt/datadog-agent', create_home: false, groups: 'adm,systemd-journal' }, parseUserProbe(fx('user-missing')), dctx());
    expect(cmds(d).slice(0, -1)).to.deep.equal(['useradd -G adm,systemd-journal -s /usr/sbin/nologin -d /opt/datadog-agent -r -M dd-agent']);
  });
  it('user: absent', () => {
    expect(reason(userModule.decide({ name: 'dd-agent', state: 'absent' }, parseUserProbe(fx('user-missing')), dctx()))).to.equal('user dd-agent does not exist');
  });
  it('group: noop, groupadd, groupmod, groupdel', () => {
    const adm = parseGroupProbe(fx('group-adm'));
    expect(reason(groupModule.decide({ name: 'adm', gid: 4 }, adm, dctx()))).to.equal('group adm already exists with gid 4');
    expect(cmds(groupModule.decide({ name: 'adm', gid: 40 }, adm, dctx()))).to.deep.equal(['groupmod -g 40 adm']);
    expect(cmds(groupModule.decide({ name: 'dd-agent', system: true }, parseGroupProbe(fx('group-missing')), dctx()))).to.deep.equal(['groupadd -r dd-agent']);
    expect(cmds(groupModule.decide({ name: 'adm', state: 'absent' }, adm, dctx()))).to.deep.equal(['groupdel adm']);
  });
});
