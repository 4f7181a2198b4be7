// package (dispatch to apt) and systemd / systemd_service: recorded probe output -> decision.
// The test hosts have no systemd as PID 1: systemctl's answers here are hand-written in `systemctl show` format.
import { expect } from 'chai';
import { packageModule, toApt } from '../../../runner/modules/package.js';
import { parseAptProbe } from '../../../runner/modules/apt.js';
import { decideSystemd, parseSystemdProbe, systemdModule, systemdProbeScript, systemdServiceModule } from '../../../runner/modules/systemd.js';
import { cmds, dctx, failMsg, fx, reason } from './helpers.js';

describe('package', () => {
  const apt = { manager: 'apt' as const, apt: parseAptProbe(fx('apt-present')) };
  it('hands the task to apt: noop when installed, install when missing', () => {
    expect(reason(packageModule.decide({ name: ['bash', 'coreutils'] }, apt, dctx()))).to.match(/bash 5\.2\.15-2\+b8 is installed/);
    expect(cmds(packageModule.decide({ name: 'curl', state: 'present' }, apt, dctx()))[0]).to.match(/apt-get .* install curl$/);
    expect(cmds(packageModule.decide({ name: 'bash', state: 'absent' }, apt, dctx()))[0]).to.match(/apt-get .* remove bash$/);
  });
  it('maps the old state names, and fails on a host without a known manager', () => {
    expect(toApt({ name: 'x', state: 'installed' })).to.deep.equal({ name: 'x', state: 'present' });
    expect(toApt({ name: 'x', state: 'removed' })).to.deep.equal({ name: 'x', state: 'absent' });
    expect(failMsg(packageModule.decide({ name: 'x' }, { manager: 'unknown', found: 'dnf' }, dctx()))).to.match(/dnf is not supported/);
    expect(failMsg(packageModule.decide({ name: 'x' }, { manager: 'unknown', found: 'none' }, dctx()))).to.match(/Could not detect which package manager/);
  });
});

describe('systemd', () => {
  const show = (active: string, ufs: string, load = 'loaded') => parseSystemdProbe(`systemd=yes\nLoadState=${load}\nActiveState=${active}\nUnitFileState=${ufs}\n`);
  it('starts and enables a stopped, disabled unit; noop once it runs enabled', () => {
    expect(cmds(decideSystemd({ name: 'nginx', state: 'started', enabled: true }, show('inactive', 'disabled')))).to.deep.equal(['systemctl enable -- nginx', 'systemctl start -- nginx']);
    expect(reason(decideSystemd({ name: 'nginx', state: 'started', enabled: true }, show('active', 'enabled')))).to.equal('nginx already is enabled and is running (systemd)');
  });
  it('daemon_reload comes first; it may be the only action, without a name', () => {
    expect(cmds(decideSystemd({ name: 'app', state: 'restarted', daemon_reload: true }, show('active', 'enabled')))).to.deep.equal(['systemctl daemon-reload', 'systemctl restart -- app']);
    expect(cmds(decideSystemd({ daemon_reload: true }, parseSystemdProbe('systemd=yes\n')))).to.deep.equal(['systemctl daemon-reload']);
    expect(failMsg(decideSystemd({ state: 'started' }, parseSystemdProbe('systemd=yes\n')))).to.match(/name is required/);
  });
  it('masks and unmasks; a masked unit cannot be enabled', () => {
    expect(cmds(decideSystemd({ name: 'x', masked: true }, show('inactive', 'disabled')))).to.deep.equal(['systemctl mask -- x']);
    expect(reason(decideSystemd({ name: 'x', masked: true }, show('inactive', 'masked', 'masked')))).to.equal('x already is masked (systemd)');
    expect(cmds(decideSystemd({ name: 'x', masked: false }, show('inactive', 'masked', 'masked')))).to.deep.equal(['systemctl unmask -- x']);
    expect(failMsg(decideSystemd({ name: 'x', masked: true, enabled: true }, show('inactive', 'disabled')))).to.match(/masked/);
  });
  it('reloaded starts a stopped unit; stopped stops a deactivating one; scope and no_block reach systemctl', () => {
    expect(cmds(decideSystemd({ name: 'x', state: 'reloaded' }, show('inactive', 'enabled')))).to.deep.equal(['systemctl start -- x']);
    expect(cmds(decideSystemd({ name: 'x', state: 'stopped' }, show('deactivating', 'enabled')))).to.deep.equal(['systemctl stop -- x']);
    expect(cmds(decideSystemd({ name: 'x', state: 'started', scope: 'user', no_block: true }, show('inactive', 'enabled')))).to.deep.equal(['systemctl --user --no-block start -- x']);
    expect(systemdProbeScript({ name: 'x', scope: 'user' })).to.contain('systemctl --user show');
  });
  it('fails on a missing unit, and on a host where systemd is not PID 1', () => {
    expect(failMsg(decideSystemd({ name: 'nope', state: 'started' }, parseSystemdProbe('systemd=yes\nLoadState=not-found\nActiveState=inactive\n')))).to.equal('Could not find the requested service nope: host');
    expect(failMsg(decideSystemd({ name: 'ssh', state: 'started' }, parseSystemdProbe('systemd=no\n')))).to.match(/Failed to find required executable "systemctl"/);
  });
  it('without a running systemd (a chroot, a test host): unit files are managed, the running state is not', () => {
    // recorded on a test host: `systemctl is-enabled ssh` reads the unit files; show/start say "Running in chroot, ignoring request"
    const off = (out: string, rc: number, initd = '') => parseSystemdProbe(`systemd=no\nsystemctl=yes\nisenabled_rc=${rc}\nisenabled=${out}\n${initd}`);
    expect(reason(decideSystemd({ name: 'ssh', state: 'started' }, off('enabled', 0, 'initd=yes\n')))).to.match(/^ssh: nothing to do; systemd is not running here/);
    expect(reason(decideSystemd({ name: 'ssh', state: 'started', enabled: true }, off('enabled', 0)))).to.match(/^ssh already is enabled \(systemd\); systemd is not running/);
    expect(cmds(decideSystemd({ name: 'app', enabled: true, state: 'restarted' }, off('disabled', 1)))).to.deep.equal(['systemctl enable -- app']);
    expect(cmds(decideSystemd({ name: 'app', masked: true }, off('disabled', 1)))).to.deep.equal(['systemctl mask -- app']);
    expect(reason(decideSystemd({ daemon_reload: true }, parseSystemdProbe('systemd=no\nsystemctl=yes\n')))).to.match(/daemon-reload is ignored/);
    expect(failMsg(decideSystemd({ name: 'nope', state: 'started' }, off('', 1)))).to.equal('Could not find the requested service nope: host');
  });
  it('answers to systemd and systemd_service, with Ansible aliases', () => {
    expect([systemdModule.name, systemdServiceModule.name]).to.deep.equal(['systemd', 'systemd_service']);
    expect(systemdModule.normalize!({ unit: 'a', 'daemon-reload': true })).to.deep.equal({ name: 'a', daemon_reload: true });
  });
});
