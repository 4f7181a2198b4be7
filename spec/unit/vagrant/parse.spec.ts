import { expect } from 'chai';
import { machineState, parseMachineStatus, parseSshConfig } from '../../../runner/modules/vagrant/parse.js';

// Recorded from vagrant 2.3.4 + vagrant-libvirt 0.11.2 (see testbed/vagrant/README.md).
const RUNNING = `1795810761,vm1,metadata,provider,libvirt
1795810761,vm1,provider-name,libvirt
1795810761,vm1,state,running
1795810761,vm1,state-human-short,running
1795810761,vm1,state-human-long,The Libvirt domain is running. To stop this machine%!(VAGRANT_COMMA) you can run\\n\`vagrant halt\`.
1795810761,,ui,info,Current machine states:\\n\\nvm1                       running (libvirt)\\n
`;
const TWO = `1,web,provider-name,virtualbox
1,web,state,poweroff
1,db,provider-name,virtualbox
1,db,state,not_created
1,,ui,info,Current machine states:
`;
const SSH_CONFIG = `Host vm1
  HostName 127.0.0.1
  User vagrant
  Port 2222
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  PasswordAuthentication no
  IdentityFile /var/tmp/vgtest/project/.vagrant/machines/vm1/libvirt/private_key
  IdentitiesOnly yes
  LogLevel FATAL

`;

describe('vagrant parse: status --machine-readable', () => {
  it('reads the state and provider of a running machine', () => {
    expect(parseMachineStatus(RUNNING)).to.deep.equal([{ machine: 'vm1', state: 'running', provider: 'libvirt' }]);
  });
  it('reads several machines and ignores ui lines', () => {
    expect(parseMachineStatus(TWO).map((m) => `${m.machine}=${m.state}`)).to.deep.equal(['web=poweroff', 'db=not_created']);
    expect(machineState(TWO, 'db')).to.deep.equal({ machine: 'db', state: 'not_created', provider: 'virtualbox' });
  });
  it('returns undefined for a machine the output does not mention', () => {
    expect(machineState(RUNNING, 'other')).to.equal(undefined);
    expect(parseMachineStatus('garbage\n\n')).to.deep.equal([]);
  });
});

describe('vagrant parse: ssh-config', () => {
  it('reads HostName, Port (as a number), User and IdentityFile', () => {
    expect(parseSshConfig(SSH_CONFIG, 'vm1')).to.deep.equal({
      Host: 'vm1',
      HostName: '127.0.0.1',
      Port: 2222,
      User: 'vagrant',
      IdentityFile: '/var/tmp/vgtest/project/.vagrant/machines/vm1/libvirt/private_key',
    });
  });
  it('picks the named block among several and unquotes paths with spaces', () => {
    const text = `Host a\n  HostName 10.0.0.1\n  User u\n  Port 22\n  IdentityFile /k/a\n\nHost b\n  HostName 127.0.0.1\n  User vagrant\n  Port 2200\n  IdentityFile "/home/x/my vms/.vagrant/machines/b/virtualbox/private_key"\n`;
    const b = parseSshConfig(text, 'b');
    expect(b).to.include({ HostName: '127.0.0.1', Port: 2200, IdentityFile: '/home/x/my vms/.vagrant/machines/b/virtualbox/private_key' });
    expect(parseSshConfig(text)).to.include({ Host: 'a' });
  });
  it('reports what is missing', () => {
    expect(parseSshConfig('Host vm1\n  HostName 127.0.0.1\n', 'vm1')).to.deep.equal({ error: 'vagrant ssh-config for vm1 lacks Port, User, IdentityFile' });
    expect(parseSshConfig(SSH_CONFIG, 'vm2')).to.deep.equal({ error: 'no "Host vm2" block in vagrant ssh-config output' });
    expect(parseSshConfig('Host vm1\n HostName h\n User u\n Port x\n IdentityFile k\n')).to.have.property('error').that.match(/bad Port/);
  });
});
