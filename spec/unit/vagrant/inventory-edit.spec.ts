import { expect } from 'chai';
import { parse } from 'yaml';
import { editInventory } from '../../../runner/modules/vagrant/inventory-edit.js';

const VM_VARS = {
  ansible_host: '127.0.0.1',
  ansible_port: 2222,
  ansible_user: 'vagrant',
  ansible_ssh_private_key_file: '/srv/vm/.vagrant/machines/vm1/libvirt/private_key',
};

const FIXTURE = `# Lab inventory -- keep this header
all:
  vars:
    ansible_python_interpreter: /usr/bin/python3  # everywhere
  hosts:
    localhost:
      ansible_connection: local
  children:
    # web servers first
    web:
      hosts:
        web1: {ansible_host: 10.0.0.5}
    db:
      hosts:
        db1:
`;

function ok(r: ReturnType<typeof editInventory>) {
  if (!r.ok) throw new Error(r.error);
  return r;
}

describe('vagrant inventory edit', () => {
  it('adds a missing group under all.children, keeping comments and order', () => {
    const r = ok(editInventory(FIXTURE, { group: 'vagrant', host: 'vm1', vars: VM_VARS }));
    expect(r.changed).to.equal(true);
    // Adding structure re-serialises the document: comments and key order survive.
    expect(r.text).to.include('# Lab inventory -- keep this header');
    expect(r.text).to.include('# web servers first');
    expect(r.text).to.include('# everywhere');
    const data = parse(r.text);
    expect(Object.keys(data.all)).to.deep.equal(['vars', 'hosts', 'children']);
    expect(Object.keys(data.all.children)).to.deep.equal(['web', 'db', 'vagrant']);
    expect(data.all.children.web).to.deep.equal({ hosts: { web1: { ansible_host: '10.0.0.5' } } });
    expect(r.text.indexOf('# web servers first')).to.be.lessThan(r.text.indexOf('web:'));
    expect(data.all.children.vagrant.hosts.vm1).to.deep.equal(VM_VARS);
    expect(r.changes).to.deep.equal(['add group vagrant under all.children', 'add host vm1 to group vagrant', ...Object.entries(VM_VARS).map(([k, v]) => `vm1.${k} = ${JSON.stringify(v)}`)]);
  });

  it('is a no-op (same text) when the host already has these vars', () => {
    const once = ok(editInventory(FIXTURE, { group: 'vagrant', host: 'vm1', vars: VM_VARS }));
    const twice = ok(editInventory(once.text, { group: 'vagrant', host: 'vm1', vars: VM_VARS }));
    expect(twice.changed).to.equal(false);
    expect(twice.text).to.equal(once.text);
    expect(twice.changes).to.deep.equal([]);
  });

  it('updates only the values that changed, leaving every other byte as it was', () => {
    const text = `all:
  children:
    vagrant:  # made by the vagrant-vm role
      hosts:
        vm1:
          ansible_host: 127.0.0.1
          ansible_port: 2222  # loopback forward
          ansible_user: vagrant
          ansible_ssh_private_key_file: /old/key
          datadog_tags: [role:test]
`;
    const r = ok(editInventory(text, { group: 'vagrant', host: 'vm1', vars: { ...VM_VARS, ansible_port: 2200 } }));
    expect(r.changes).to.deep.equal(['vm1.ansible_port: 2222 -> 2200', `vm1.ansible_ssh_private_key_file: "/old/key" -> "${VM_VARS.ansible_ssh_private_key_file}"`]);
    expect(r.text).to.equal(
      text.replace('2222  # loopback', '2200  # loopback').replace('/old/key', VM_VARS.ansible_ssh_private_key_file),
    );
  });

  it('finds a nested group and fills a host declared with no vars', () => {
    const text = `all:\n  children:\n    lab:\n      children:\n        vagrant:\n          hosts:\n            vm1:\n`;
    const r = ok(editInventory(text, { group: 'vagrant', host: 'vm1', vars: { ansible_host: '127.0.0.1' } }));
    expect(parse(r.text).all.children.lab.children.vagrant.hosts.vm1).to.deep.equal({ ansible_host: '127.0.0.1' });
    expect(r.changes).to.deep.equal(['vm1.ansible_host = "127.0.0.1"']);
  });

  it('fills an empty group and creates an inventory from nothing', () => {
    const empty = ok(editInventory('all:\n  children:\n    vagrant:\n', { group: 'vagrant', host: 'vm1', vars: { ansible_port: 2222 } }));
    expect(parse(empty.text)).to.deep.equal({ all: { children: { vagrant: { hosts: { vm1: { ansible_port: 2222 } } } } } });
    const fresh = ok(editInventory('', { group: 'vagrant', host: 'vm1', vars: { ansible_user: 'vagrant' } }));
    expect(parse(fresh.text)).to.deep.equal({ all: { children: { vagrant: { hosts: { vm1: { ansible_user: 'vagrant' } } } } } });
  });

  it('keeps long paths on one line', () => {
    const key = `/var/tmp/${'very-long-directory-name/'.repeat(6)}.vagrant/machines/vm1/libvirt/private_key`;
    const r = ok(editInventory(FIXTURE, { group: 'vagrant', host: 'vm1', vars: { ansible_ssh_private_key_file: key } }));
    expect(r.text).to.include(`ansible_ssh_private_key_file: ${key}\n`);
  });

  it('refuses inventories it cannot edit safely', () => {
    expect(editInventory('all: [a, b]\n', { group: 'g', host: 'h', vars: {} })).to.deep.equal({ ok: false, error: 'all: "all" is not a mapping' });
    expect(editInventory('all:\n  children:\n    g:\n      hosts:\n        h: 3\n', { group: 'g', host: 'h', vars: {} })).to.deep.equal({ ok: false, error: 'g.hosts.h is not a mapping' });
    const bad = editInventory('all: {\n', { group: 'g', host: 'h', vars: {} });
    expect(bad.ok).to.equal(false);
  });
});
