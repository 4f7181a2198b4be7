// The predicted state of --check, pure: what earlier tasks would have made, as later probes see it.
import { expect } from 'chai';
import { decideContent, overlayContent, predictContent, type ContentProbe } from '../../../runner/modules/content-file.js';
import { decideFile, fileModule, type FileProbe } from '../../../runner/modules/file.js';
import { decideUser, type UserProbe } from '../../../runner/modules/user.js';
import { overlayUser, predictUser } from '../../../runner/modules/user-predict.js';
import { overlayService, decideService } from '../../../runner/modules/service.js';
import { overlayCommand, predictCommand, decideCommand } from '../../../runner/modules/command-core.js';
import { PredictedState } from '../../../runner/predict/model.js';
import { asUnknown, unknownValue, UnknownValueError } from '../../../runner/predict/unknown.js';
import { RenderError } from '../../../runner/errors.js';
import type { PredictView } from '../../../runner/predict/files.js';
import type { ChangeDecision, Decision } from '../../../runner/modules/types.js';

const root = { user: 'root', group: 'root' };
const view = (): PredictView => ({ state: new PredictedState(), actor: root });
const absent = (path: string) => ({ path, type: 'absent' as const });
const ctx = { host: 'h', check: true, diff: true, vars: {} };
const change = (d: Decision): ChangeDecision => {
  if (d.kind !== 'change') throw new Error(`expected a change, got ${JSON.stringify(d)}`);
  return d;
};

describe('predicted state (--check)', () => {
  it('a created directory makes its parents exist and everything below it absent', () => {
    const s = new PredictedState();
    s.apply([{ kind: 'path', path: '/srv/app/conf', fact: { kind: 'directory', fresh: true, mode: 0o755 } }], 'mkdir', root);
    expect(s.dirExists('/srv/app/conf')?.fact).to.equal(true);
    expect(s.dirExists('/srv/app')?.fact).to.equal(true);
    expect(s.path('/srv/app/conf/x.conf')).to.deep.equal({ fact: { kind: 'absent' }, by: 'mkdir' });
    // /srv/app was there or made: the model does not know what else is in it, so the host is asked
    expect(s.path('/srv/app/other')).to.equal(undefined);
    expect(s.path('/etc/passwd')).to.equal(undefined);
  });

  it('removing a path forgets what was predicted below it', () => {
    const s = new PredictedState();
    s.apply([{ kind: 'path', path: '/d/f', fact: { kind: 'file', mode: 0o644 } }], 'write', root);
    s.apply([{ kind: 'path', path: '/d', fact: { kind: 'absent' } }], 'rm', root);
    expect(s.path('/d/f')).to.deep.equal({ fact: { kind: 'absent' }, by: 'rm' });
    expect(s.dirExists('/d')?.fact).to.equal(false);
  });

  it('user, then .ssh, then authorized_keys: each probe sees what the task before would have made', () => {
    const v = view();
    const fresh: UserProbe = { exists: false, groups: [], sameNameGroup: false };
    const args = { name: 'deploy', shell: '/bin/bash' };
    const u = overlayUser(args, fresh, v);
    v.state.apply(predictUser(args, u), 'a user', root);
    // the same task again: the account is there, nothing to do
    expect(decideUser(args, overlayUser(args, fresh, v)).kind).to.equal('noop');

    const ssh = { path: '/home/deploy/.ssh', state: 'directory' as const, owner: 'deploy', group: 'deploy', mode: '0700' };
    const sshProbe = fileModule.overlay!(ssh, { info: absent(ssh.path) }, v);
    const d = change(decideFile(ssh, sshProbe));
    v.state.apply(fileModule.predict!(ssh, sshProbe, d, v), 'its .ssh', root);

    const keys = { dest: '/home/deploy/.ssh/authorized_keys', owner: 'deploy', group: 'deploy', mode: '0600' };
    const data = Buffer.from('ssh-ed25519 AAAA\n');
    const onHost: ContentProbe = { info: absent(keys.dest), parentExists: false };
    // without the model the host's answer is a failure; with it, a creation
    expect(decideContent(keys, data, onHost, ctx).kind).to.equal('fail');
    const seen = overlayContent(onHost, v);
    expect(seen.parentExists).to.equal(true);
    const w = change(decideContent(keys, data, seen, ctx));
    expect(w.summary).to.match(/^create \/home\/deploy\/.ssh\/authorized_keys/);
    v.state.apply(predictContent(keys, data, seen, v), 'authorized_keys', root);
    // and once written, the same content with the same attributes is in place
    expect(decideContent(keys, data, overlayContent(onHost, v), ctx).kind).to.equal('noop');
  });

  it('a link to a file an earlier task would write: src exists, and the link is planned', () => {
    const v = view();
    const data = Buffer.from('x = 1\n');
    const probe: ContentProbe = { info: absent('/srv/a/app.conf'), parentExists: true };
    v.state.apply(predictContent({ dest: '/srv/a/app.conf' }, data, probe, v), 'write', root);
    const link = { path: '/srv/a/current', src: '/srv/a/app.conf', state: 'link' as const };
    const host: FileProbe = { info: absent(link.path), srcExists: false };
    expect(decideFile(link, host).kind).to.equal('fail');
    const d = change(decideFile(link, fileModule.overlay!(link, host, v)));
    v.state.apply(fileModule.predict!(link, fileModule.overlay!(link, host, v), d, v), 'link', root);
    expect(decideFile(link, fileModule.overlay!(link, host, v))).to.deep.include({ kind: 'noop' });
  });

  it('an init script makes the service exist, stopped and disabled until the service task', () => {
    const v = view();
    const probe = { init: 'sysv' as const, exists: false, active: false, enabled: false };
    expect(decideService({ name: 'demo', state: 'started' }, probe).kind).to.equal('fail');
    v.state.apply([{ kind: 'path', path: '/etc/init.d/demo', fact: { kind: 'file', mode: 0o755 } }], 'init script', root);
    const seen = overlayService({ name: 'demo', state: 'started', enabled: true }, probe, v);
    expect(seen).to.include({ exists: true, active: false, enabled: false });
    expect(change(decideService({ name: 'demo', state: 'started', enabled: true }, seen)).summary).to.equal('enable and start demo (SysV init)');
    v.state.apply([{ kind: 'service', name: 'demo', fact: { active: true, enabled: true } }], 'service', root);
    expect(decideService({ name: 'demo', state: 'started', enabled: true }, overlayService({ name: 'demo', state: 'started' }, probe, v)).kind).to.equal('noop');
  });

  it('a command is opaque, but what it says it creates is known', () => {
    const v = view();
    const a = { cmd: 'make install', creates: '/opt/tool/bin/tool' };
    const d = change(decideCommand(a, { createsExists: false }, false));
    const effects = predictCommand(a, {}, d);
    expect(effects[0]).to.deep.equal({ kind: 'opaque', what: 'run: make install' });
    v.state.apply(effects, 'build', root);
    expect(overlayCommand(a, { createsExists: false }, v).createsExists).to.equal(true);
    expect(v.state.opaque().map((o) => o.by)).to.deep.equal(['build']);
  });

  it('after a change that may make unnamed paths, a path the host shows absent is unknown; a confined change explains only its own tree', () => {
    const v = view();
    v.state.apply([{ kind: 'opaque', what: 'copy a tree', paths: true, under: '/srv/tree' }], 'tree', root);
    expect(overlayContent({ info: absent('/etc/x.conf'), parentExists: true }, v).info.type).to.equal('absent');
    expect(() => overlayContent({ info: absent('/srv/tree/a'), parentExists: true }, v)).to.throw(UnknownValueError, /depends on 'tree'/);
    expect(v.state.lastOpaque(), 'a confined change explains no failure elsewhere').to.equal(undefined);
    v.state.apply([{ kind: 'opaque', what: 'install agent: maintainer scripts, files not in the apt cache', paths: true }], 'install agent', root);
    expect(() => overlayContent({ info: absent('/etc/agent/agent.yaml'), parentExists: false }, v)).to.throw(UnknownValueError, /whether \/etc\/agent\/agent.yaml exists is unknown until applied \(depends on 'install agent'\)/);
    // what the host has is still trusted
    const there = { path: '/etc/hosts', type: 'file' as const, mode: 0o644, owner: 'root', group: 'root', isReg: true };
    expect(overlayContent({ info: there, parentExists: true }, v).info).to.equal(there);
  });

  it('a service whose init script a package ships is unknown until a task sets its state', () => {
    const v = view();
    v.state.apply([{ kind: 'path', path: '/etc/init.d/db', fact: { kind: 'file', mode: 0o755 } }, { kind: 'opaque', what: 'install db' }], 'install db', root);
    const probe = { init: 'sysv' as const, exists: false, active: false, enabled: false };
    expect(() => overlayService({ name: 'db', state: 'started' }, probe, v)).to.throw(UnknownValueError, /the state of service db/);
    v.state.apply([{ kind: 'service', name: 'db', fact: { active: true } }], 'start db', root);
    expect(overlayService({ name: 'db', state: 'started' }, probe, v)).to.include({ exists: true, active: true });
  });

  it('an unknown value throws on every read but its known keys, as a RenderError naming the task', () => {
    const r = unknownValue('a command', 'out', { changed: true });
    expect(r.changed).to.equal(true);
    expect(() => r.stdout).to.throw(UnknownValueError, /out.stdout is unknown until applied \(depends on 'a command'\)/);
    expect(() => 'rc' in r).to.throw(UnknownValueError);
    expect(() => Object.keys(r)).to.throw(UnknownValueError);
    expect(() => `${r as unknown as string}`).to.throw(UnknownValueError);
    try {
      void r.stdout;
    } catch (e) {
      expect(e).to.be.instanceOf(RenderError);
      expect(asUnknown(new Error('wrapped', { cause: e }))?.dependsOn).to.equal('a command');
    }
  });
});
