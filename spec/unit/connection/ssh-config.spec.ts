// ssh_config lookup, ansible_ssh_common_args, and the precedence connectionSpec applies. Pure: no host.
import { expect } from 'chai';
import { homedir } from 'node:os';
import { agentSocket } from '../../../runner/connection/auth.js';
import { parseCommonArgs, proxyCommandAsJump } from '../../../runner/connection/common-args.js';
import { hostKeyRefusal } from '../../../runner/connection/ssh.js';
import { lookUp, parseSshConfig } from '../../../runner/connection/ssh-config.js';
import { connectionProblems, parseJumps } from '../../../runner/inventory/connection-spec.js';
import { connectionSpec } from '../../../runner/inventory/select.js';
import type { InventoryHost } from '../../../runner/types.js';

const USER_CONFIG = `
Host web
  HostName 127.0.0.5
  User deploy
  Port 2222
  IdentityFile ~/.ssh/web_key
  IdentitiesOnly yes
Host bastion
  HostName 10.0.0.1
  User jump
Host *.internal
  ProxyJump bastion,ops@mid:2200
  StrictHostKeyChecking accept-new
  UserKnownHostsFile /tmp/kh1 /tmp/kh2
Match host 127.0.0.5
  ConnectTimeout 4
Host *
  ServerAliveInterval 7
`;
const SYSTEM_CONFIG = `
Host *
  User systemwide
  Port 2999
  ServerAliveInterval 60
`;

describe('ssh_config lookup', () => {
  const cfg = parseSshConfig([USER_CONFIG, SYSTEM_CONFIG]);
  it('applies Host and Match sections, first value wins, the user file before the system one', () => {
    const c = lookUp(cfg, 'web');
    expect(c).to.deep.include({ hostName: '127.0.0.5', user: 'deploy', port: 2222, identitiesOnly: true, connectTimeoutSec: 4, serverAliveIntervalSec: 7 });
    expect(c.identityFiles).to.deep.equal(['~/.ssh/web_key']);
    const other = lookUp(cfg, 'db.internal');
    expect(other).to.deep.include({ user: 'systemwide', port: 2999, proxyJump: 'bastion,ops@mid:2200', strictHostKeyChecking: 'accept-new' });
    expect(other.userKnownHostsFiles).to.deep.equal(['/tmp/kh1', '/tmp/kh2']);
    expect(other.hostName).to.equal(undefined);
  });
  it('runs Match exec with /bin/sh and its tokens', () => {
    const c = parseSshConfig(['Match exec "test %h = yes-host"\n  User viaexec\nMatch exec false\n  Port 2\n']);
    expect(lookUp(c, 'yes-host')).to.deep.include({ user: 'viaexec' }).and.not.have.property('port');
    expect(lookUp(c, 'other')).to.not.have.property('user');
    expect(lookUp(c, 'yes-host').user, 'the criteria are put back after each lookup').to.equal('viaexec');
  });
  it('reports directives that would change where ssh connects and that play does not do', () => {
    const c = lookUp(parseSshConfig(['Host x\n  ProxyCommand nc %h %p\n']), 'x');
    expect(c.unsupported).to.deep.equal(['proxycommand']);
  });
});

describe('ansible_ssh_common_args', () => {
  it('maps -o, -J, -p and -i onto connection settings', () => {
    const r = parseCommonArgs(`-o ProxyJump=a@b:22 -o 'StrictHostKeyChecking no' -oUserKnownHostsFile=/k -p 2200 -i /id -o ServerAliveInterval=5 -o ConnectTimeout=3`);
    expect(r).to.deep.equal({ ok: true, args: { proxyJump: 'a@b:22', strictHostKeyChecking: 'off', userKnownHostsFiles: ['/k'], port: 2200, identityFiles: ['/id'], serverAliveIntervalSec: 5, connectTimeoutSec: 3 } });
    expect(parseCommonArgs('-J jump1,jump2')).to.deep.include({ ok: true, args: { identityFiles: [], proxyJump: 'jump1,jump2' } });
  });
  it('names any option it does not understand', () => {
    expect(parseCommonArgs('-o ForwardAgent=yes')).to.deep.include({ ok: false });
    expect((parseCommonArgs('-o ForwardAgent=yes') as { message: string }).message).to.include("'-o ForwardAgent=yes' is not supported");
    expect((parseCommonArgs('-C') as { message: string }).message).to.include("'-C' is not supported");
    expect((parseCommonArgs('-o ControlMaster=auto -o ControlPersist=60s') as { message: string }).message).to.include('ControlMaster');
    expect((parseCommonArgs('-p') as { message: string }).message).to.include("'-p' needs a value");
    expect((parseCommonArgs('-o Port=99999') as { message: string }).message).to.include('1 to 65535');
  });
  it('is a load-time problem of the host, with its name', () => {
    const h: InventoryHost = { name: 'web1', groups: ['all'], vars: { ansible_ssh_common_args: '-o ProxyCommand="nc %h %p"', ansible_port: 'x' } };
    const p = connectionProblems(h);
    expect(p[0]).to.match(/^host 'web1': ansible_ssh_common_args: '-o ProxyCommand=nc %h %p' is not supported/);
    expect(p[1]).to.include('ansible_port must be a port number');
    expect(connectionProblems({ ...h, vars: { ansible_ssh_common_args: '-J b' } })).to.deep.equal([]);
    expect(connectionProblems({ ...h, vars: { ansible_ssh_extra_args: '-A' } })[0]).to.include("ansible_ssh_extra_args: '-A' is not supported");
  });
});

describe('ProxyCommand that is a jump host', () => {
  it('runs `ssh -W %h:%p host` as ProxyJump, and nothing else', () => {
    expect(proxyCommandAsJump('ssh -W %h:%p bastion')).to.equal('bastion');
    expect(proxyCommandAsJump('/usr/bin/ssh -q -l ops -p 2200 -W [%h]:%p bastion.example')).to.equal('ops@bastion.example:2200');
    expect(proxyCommandAsJump('ssh -W %h:%p jump@b')).to.equal('jump@b');
    expect(proxyCommandAsJump('nc -X connect -x proxy:3128 %h %p')).to.equal(undefined);
    expect(proxyCommandAsJump('ssh -i /k -W %h:%p b')).to.equal(undefined);
    expect(proxyCommandAsJump('ssh b nc %h %p')).to.equal(undefined);
    expect(parseCommonArgs(`-o ProxyCommand="ssh -W %h:%p -q ops@bastion"`)).to.deep.include({ ok: true, args: { identityFiles: [], proxyJump: 'ops@bastion' } });
    expect((parseCommonArgs(`-o ProxyCommand="nc %h %p"`) as { message: string }).message).to.include('use ProxyJump');
    const c = lookUp(parseSshConfig(['Host x\n  ProxyCommand ssh -W %h:%p bastion\n']), 'x');
    expect(c).to.deep.include({ proxyJump: 'bastion', unsupported: [] });
  });
});

describe('ProxyJump syntax', () => {
  it('reads [user@]host[:port] hops in order', () => {
    expect(parseJumps('a, ops@b:2200,ssh://c,[::1]:22')).to.deep.equal([
      { host: 'a' }, { host: 'b', user: 'ops', port: 2200 }, { host: 'c' }, { host: '::1', port: 22 },
    ]);
  });
});

describe('connectionSpec precedence: ansible_* > CLI defaults > ssh_config > OpenSSH defaults', () => {
  const cfg = parseSshConfig([USER_CONFIG, SYSTEM_CONFIG]);
  const sshConfig = (d: string, u?: string) => lookUp(cfg, d, u);
  const host = (name: string, vars: Record<string, unknown>): InventoryHost => ({ name, groups: ['all'], vars });
  it('resolves an alias through ssh_config', () => {
    const s = connectionSpec(host('web', {}), undefined, { sshConfig, localUser: 'me' });
    expect(s).to.deep.include({ address: '127.0.0.5', port: 2222, user: 'deploy', privateKeyFile: '~/.ssh/web_key', identitiesOnly: true, connectTimeoutSec: 4 });
  });
  it('matches ssh_config against ansible_host, as ssh does with the destination it is given', () => {
    const s = connectionSpec(host('frontend', { ansible_host: 'web' }), undefined, { sshConfig });
    expect(s).to.deep.include({ host: 'frontend', address: '127.0.0.5', user: 'deploy' });
  });
  it('lets host vars win over the CLI, and the CLI over ssh_config', () => {
    const d = { user: 'cli', privateKeyFile: '/cli_key', timeoutSec: 9 };
    const s = connectionSpec(host('web', {}), d, { sshConfig });
    expect(s).to.deep.include({ user: 'cli', privateKeyFile: '/cli_key', connectTimeoutSec: 9 });
    expect(s.identityFiles).to.deep.equal(['/cli_key', '~/.ssh/web_key']);
    const v = connectionSpec(host('web', { ansible_user: 'var', ansible_port: 22, ansible_ssh_private_key_file: '/var_key' }), d, { sshConfig });
    expect(v).to.deep.include({ user: 'var', port: 22, privateKeyFile: '/var_key' });
  });
  it('falls back to the local user and port 22 with no config', () => {
    expect(connectionSpec(host('h', {}), undefined, { localUser: 'me' })).to.deep.equal({ host: 'h', kind: 'ssh', address: 'h', port: 22, user: 'me' });
  });
  it('builds the jump chain, each hop through its own ssh_config', () => {
    const s = connectionSpec(host('db.internal', { ansible_host: 'db.internal' }), undefined, { sshConfig, localUser: 'me' });
    expect(s.jumps?.map((j) => `${j.user}@${j.address}:${j.port}`)).to.deep.equal(['jump@10.0.0.1:2999', 'ops@mid:2200']);
    expect(s.configHostKeyCheck).to.equal('accept-new');
    const direct = connectionSpec(host('db.internal', { ansible_ssh_common_args: '-o ProxyJump=none -o StrictHostKeyChecking=yes' }), undefined, { sshConfig });
    expect(direct.jumps).to.equal(undefined);
    expect(direct.hostKeyCheck).to.equal('strict');
  });
  it('takes passwords from vars over -k/-K answers, and become defaults from ansible_become / -b', () => {
    const secrets = { password: 'from-k', becomePassword: 'from-K' };
    expect(connectionSpec(host('h', {}), { become: true, becomeUser: 'app' }, { secrets })).to.deep.include({ password: 'from-k', becomePassword: 'from-K', become: true, becomeUser: 'app' });
    const s = connectionSpec(host('h', { ansible_password: 'pw1', ansible_become_password: 'pw2', ansible_become: 'no' }), { become: true }, { secrets });
    expect(s).to.deep.include({ password: 'pw1', becomePassword: 'pw2', become: false });
  });
  it('carries what it cannot honour as the problem connecting reports', () => {
    const bad = connectionSpec(host('h', { ansible_ssh_common_args: '-o ControlMaster=auto' }));
    expect(bad.problem).to.include("ansible_ssh_common_args: '-o ControlMaster=auto' is not supported");
    const proxied = connectionSpec(host('x', {}), undefined, { sshConfig: (d) => lookUp(parseSshConfig(['Host x\n  ProxyCommand nc %h %p\n']), d) });
    expect(proxied.problem).to.equal('ssh_config sets proxycommand for x, which play does not support (use ProxyJump for a bastion)');
  });
  it('is local for ansible_connection=local, -c local, and a bare localhost', () => {
    expect(connectionSpec(host('box', {}), { connection: 'local' }).kind).to.equal('local');
    expect(connectionSpec(host('box', { ansible_connection: 'ssh' }), { connection: 'local' }).kind).to.equal('ssh');
  });
});

describe('IdentityAgent', () => {
  it('picks the agent socket as ssh does', () => {
    const cfg = parseSshConfig(['Host a\n  IdentityAgent ~/.1password/agent.sock\nHost b\n  IdentityAgent none\nHost c\n  IdentityAgent $MY_SOCK\n']);
    const spec = (n: string) => connectionSpec({ name: n, groups: [], vars: {} }, undefined, { sshConfig: (d) => lookUp(cfg, d) });
    const env = { SSH_AUTH_SOCK: '/run/agent', MY_SOCK: '/my/sock' };
    expect(agentSocket(spec('a'), env)).to.equal(`${homedir()}/.1password/agent.sock`);
    expect(agentSocket(spec('b'), env)).to.equal(undefined);
    expect(agentSocket(spec('c'), env)).to.equal('/my/sock');
    expect(agentSocket(spec('d'), env)).to.equal('/run/agent');
  });
});

describe('the known_hosts hint', () => {
  const spec = { host: 'h', kind: 'ssh' as const, address: '127.0.0.9', port: 2222, user: 'root' };
  it('carries -p for a port other than 22', () => {
    expect(hostKeyRefusal(spec, { kind: 'unknown' }, ['/kh'])).to.include('`ssh-keyscan -p 2222 -H 127.0.0.9 >> ~/.ssh/known_hosts`');
    expect(hostKeyRefusal({ ...spec, port: 22 }, { kind: 'unknown' }, ['/kh'])).to.include('`ssh-keyscan -H 127.0.0.9 >>');
    const changed = hostKeyRefusal(spec, { kind: 'changed', entries: [{ file: '/kh', line: 3, hosts: 'x', keyType: 'ssh-ed25519', key: 'AAAA' }] });
    expect(changed).to.include("ssh-keygen -R '[127.0.0.9]:2222'").and.include('ssh-keyscan -p 2222 -H 127.0.0.9');
  });
});

describe('ssh_config Include', () => {
  it('inlines included files where the Include stands, globbed and sorted', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readSshConfig } = await import('../../../runner/connection/ssh-config.js');
    const d = mkdtempSync(join(tmpdir(), 'play-sshcfg-'));
    mkdirSync(join(d, 'conf.d'));
    writeFileSync(join(d, 'conf.d', '10-a.conf'), 'Host inc\n  User from-a\n');
    writeFileSync(join(d, 'conf.d', '20-b.conf'), 'Host inc\n  User from-b\n  Port 2200\n');
    writeFileSync(join(d, 'config'), `Include ${d}/conf.d/*.conf\nHost inc\n  HostName 10.9.9.9\n`);
    const { config } = readSshConfig({ PLAY_SSH_CONFIG: join(d, 'config') });
    expect(lookUp(config, 'inc')).to.deep.include({ user: 'from-a', port: 2200, hostName: '10.9.9.9' });
  });
});
