import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVagrantVmModule, type VagrantVmArgs } from '../../../runner/modules/vagrant/vagrant_vm.js';
import { decideVagrantInventory, vagrantInventoryModule } from '../../../runner/modules/vagrant/vagrant_inventory.js';
import type { LocalRunner } from '../../../runner/modules/vagrant/run-local.js';
import type { Connection } from '../../../runner/connection/types.js';

const conn = { host: 'localhost' } as Connection;
const pctx = { conn, host: 'localhost', vars: {}, diff: false };
const dctx = { host: 'localhost', check: false, diff: true, vars: {} };
const SSH = 'Host vm1\n  HostName 127.0.0.1\n  User vagrant\n  Port 2200\n  IdentityFile /p/.vagrant/machines/vm1/libvirt/private_key\n';

/** A fake `vagrant` that answers from a state variable and logs every argv. */
function fakeVagrant(state: { vm: string }, log: string[]): LocalRunner {
  return async (argv, o) => {
    log.push(`${o?.cwd}: ${argv.join(' ')}`);
    const sub = argv[1];
    if (sub === 'status') return { code: 0, stdout: `1,vm1,provider-name,libvirt\n1,vm1,state,${state.vm}\n`, stderr: '' };
    if (sub === 'ssh-config') return { code: 0, stdout: SSH, stderr: '' };
    if (sub === 'up') return (state.vm = 'running'), { code: 0, stdout: '==> vm1: Machine booted and ready!\n', stderr: '' };
    if (sub === 'destroy') return (state.vm = 'not_created'), { code: 0, stdout: '', stderr: '' };
    return { code: 1, stdout: '', stderr: 'unknown' };
  };
}

async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vagrant-vm-'));
  await writeFile(join(dir, 'Vagrantfile'), 'Vagrant.configure("2") {}\n');
  return dir;
}

describe('vagrant_vm module (fake vagrant)', () => {
  it('up when not created, then ssh_config lands in the result; running is a noop with the same result', async () => {
    const dir = await project();
    const state = { vm: 'not_created' };
    const log: string[] = [];
    const m = makeVagrantVmModule(fakeVagrant(state, log));
    const args: VagrantVmArgs = { project_dir: dir, machine: 'vm1', provider: 'libvirt' };
    const d = m.decide(args, await m.probe(args, pctx), dctx);
    if (d.kind !== 'change') throw new Error(JSON.stringify(d));
    expect(d.summary).to.equal('vagrant up vm1 with provider libvirt (was not_created)');
    expect(d.steps.map((s) => s.describe)).to.deep.equal(['vagrant up vm1', 'read vagrant ssh-config vm1']);
    let result: Record<string, unknown> = {};
    for (const s of d.steps) if (s.kind === 'call') result = { ...result, ...((await s.run()) ?? {}) };
    const ssh = { Host: 'vm1', HostName: '127.0.0.1', Port: 2200, User: 'vagrant', IdentityFile: '/p/.vagrant/machines/vm1/libvirt/private_key' };
    expect(result).to.deep.equal({ stdout: '==> vm1: Machine booted and ready!', state: 'running', ssh_config: ssh });
    expect(log).to.include(`${dir}: vagrant up vm1 --provider=libvirt --no-color`);
    const again = m.decide(args, await m.probe(args, pctx), dctx);
    expect(again).to.deep.equal({ kind: 'noop', reason: 'machine vm1 is already running', result: { state: 'running', provider: 'libvirt', ssh_config: ssh } });
  });

  it('absent destroys only an existing machine and never runs up', async () => {
    const dir = await project();
    const state = { vm: 'shutoff' };
    const log: string[] = [];
    const m = makeVagrantVmModule(fakeVagrant(state, log));
    const args: VagrantVmArgs = { project_dir: dir, machine: 'vm1', state: 'absent' };
    const d = m.decide(args, await m.probe(args, pctx), dctx);
    expect(d).to.include({ kind: 'change', summary: 'destroy machine vm1 (was shutoff)' });
    if (d.kind === 'change') for (const s of d.steps) if (s.kind === 'call') await s.run();
    expect(m.decide(args, await m.probe(args, pctx), dctx)).to.deep.equal({ kind: 'noop', reason: 'machine vm1 does not exist', result: { state: 'not_created' } });
    expect(log.filter((l) => l.includes(' up '))).to.deep.equal([]);
  });

  it('without a Vagrantfile: running means up, absent is a noop; vagrant errors become failures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vagrant-vm-'));
    const m = makeVagrantVmModule(async () => ({ code: 1, stdout: '', stderr: 'There was an error loading a Vagrantfile.' }));
    const p = await m.probe({ project_dir: dir, machine: 'vm1' }, pctx);
    expect(p).to.deep.equal({ kind: 'no-vagrantfile', path: join(dir, 'Vagrantfile') });
    expect(m.decide({ project_dir: dir, machine: 'vm1' }, p, dctx)).to.include({ kind: 'change', summary: `vagrant up vm1 (no Vagrantfile yet at ${join(dir, 'Vagrantfile')})` });
    expect(m.decide({ project_dir: dir, machine: 'vm1', state: 'absent' }, p, dctx)).to.include({ kind: 'noop' });
    const dir2 = await project();
    const bad = await m.probe({ project_dir: dir2, machine: 'vm1' }, pctx);
    expect(m.decide({ project_dir: dir2, machine: 'vm1' }, bad, dctx)).to.deep.equal({
      kind: 'fail', msg: `vagrant status vm1 in ${dir2} exited 1: There was an error loading a Vagrantfile.`,
    });
  });
});

describe('vagrant_inventory module', () => {
  const vars = { ansible_host: '127.0.0.1', ansible_port: '2200', ansible_user: 'vagrant', ansible_ssh_private_key_file: '/k' };

  it('creates the entry with a diff and add_host, writes it, then is a noop', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vagrant-inv-'));
    const inv = join(dir, 'hosts.yml');
    await writeFile(inv, '# mine\nall:\n  hosts:\n    localhost: {ansible_connection: local}\n');
    const args = { inventory: inv, group: 'vagrant', host: 'vm1', vars };
    const d = decideVagrantInventory(args, await vagrantInventoryModule.probe(args, pctx), true);
    if (d.kind !== 'change') throw new Error(JSON.stringify(d));
    expect(d.result).to.deep.equal({ add_host: { name: 'vm1', groups: ['vagrant'], vars: { ...vars, ansible_port: 2200 } }, inventory: inv });
    expect(d.addHosts).to.deep.equal([{ name: 'vm1', groups: ['vagrant'], vars: { ...vars, ansible_port: 2200 } }]);
    expect(d.diff).to.include('+        vm1:').and.include('+          ansible_port: 2200');
    for (const s of d.steps) if (s.kind === 'call') await s.run();
    expect(await readFile(inv, 'utf8')).to.match(/^# mine\n/);
    const again = vagrantInventoryModule.decide(args, await vagrantInventoryModule.probe(args, pctx), dctx);
    expect(again).to.deep.equal({
      kind: 'noop', reason: `host vm1 is already in group vagrant of ${inv} with these vars`,
      result: { add_host: { name: 'vm1', groups: ['vagrant'], vars: { ...vars, ansible_port: 2200 } }, inventory: inv },
      addHosts: [{ name: 'vm1', groups: ['vagrant'], vars: { ...vars, ansible_port: 2200 } }],
    });
  });

  it('creates a missing inventory file and fails on a broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vagrant-inv-'));
    const args = { inventory: join(dir, 'new.yml'), group: 'vagrant', host: 'vm1', vars };
    const d = decideVagrantInventory(args, await vagrantInventoryModule.probe(args, pctx), false);
    expect(d.kind === 'change' && d.diff).to.equal(undefined); // no diff unless asked for
    expect(d.kind === 'change' && d.summary).to.match(/^create .*new\.yml: add group vagrant under all\.children/);
    const broken = decideVagrantInventory(args, { kind: 'file', path: '/x.yml', text: 'all: {\n', mode: 0o644 }, false);
    expect(broken.kind).to.equal('fail');
    const unrendered = decideVagrantInventory({ ...args, inventory: '{{inventory_file}}' }, { kind: 'missing', path: '/w/{{inventory_file}}' }, false);
    expect(unrendered).to.deep.equal({ kind: 'fail', msg: 'inventory path "{{inventory_file}}" still holds a template: set vagrant_inventory_file to the inventory\'s path' });
  });
});
