// The vagrant-vm issue end to end on a real VM (vagrant-libvirt, qemu TCG, slirp on loopback):
// the modules driven directly, then the role through the real `play` CLI. Run: npm run test:vm
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { parse } from 'yaml';
import { addBox, BOX_NAME, ensureBox, vagrantEnv } from '../../testbed/vagrant/box.js';
import { assertNoLibvirtNetwork, ensureLibvirt, stopLibvirt, type LibvirtHandle } from '../../testbed/vagrant/libvirt.js';
import { makeVagrantVmModule, type VagrantVmArgs } from '../../runner/modules/vagrant/vagrant_vm.js';
import { vagrantInventoryModule } from '../../runner/modules/vagrant/vagrant_inventory.js';
import { runLocal } from '../../runner/modules/vagrant/run-local.js';
import type { Decision } from '../../runner/modules/types.js';
import { destroyAll, freePort, playCli, recapChanged, REPO, secs, sshVm } from './helpers.js';

const ROLE = join(REPO, 'roles', 'vagrant-vm');
const prefix = `playvm${randomBytes(3).toString('hex')}`;
const work = `/var/tmp/${prefix}`;
const projects: string[] = [];
const times: string[] = [];
let lv: LibvirtHandle | undefined;
let home = '';

/** Applies a decision's steps the way the executor does (these modules only use 'call'). */
async function apply(d: Decision): Promise<Record<string, unknown>> {
  if (d.kind !== 'change') throw new Error(`expected a change, got ${JSON.stringify(d)}`);
  let result: Record<string, unknown> = { ...(d.result ?? {}) };
  for (const s of d.steps) {
    if (s.kind !== 'call') throw new Error(`unexpected ${s.kind} step`);
    result = { ...result, ...((await s.run()) ?? {}) };
  }
  return result;
}

const ctx = (diff = true) => ({ host: 'localhost', check: false, diff, vars: {} });
const noConn = { host: 'localhost', execCount: 0, exec: () => Promise.reject(new Error('no')), put: () => Promise.reject(new Error('no')), close: async () => undefined };

describe('vagrant-vm on a real VM (libvirt + qemu TCG, loopback only)', function () {
  before(async function () {
    const box = await ensureBox();
    times.push(`box ${box.built ? 'built' : 'cached'} ${secs(box.ms)}s`);
    lv = await ensureLibvirt();
    times.push(`libvirtd+virtlogd ${secs(lv.startMs)}s`);
    await fs.mkdir(work, { recursive: true });
    await fs.chmod(work, 0o755);
    home = join(work, 'vagrant.d');
    const t0 = Date.now();
    await addBox(box, vagrantEnv(home, 2222));
    times.push(`box add ${secs(Date.now() - t0)}s`);
  });

  after(async function () {
    const env = vagrantEnv(home, 2222);
    const done = await destroyAll(projects, env, prefix).catch((e: Error) => [`cleanup error: ${e.message}`]);
    try {
      await assertNoLibvirtNetwork();
    } finally {
      const stopped = await stopLibvirt(lv);
      await fs.rm(work, { recursive: true, force: true });
      console.log(`    cleanup: ${[...done, `stopped ${stopped.join(' ') || 'nothing'}`].join('; ')}`);
      console.log(`    times: ${times.join('; ')}`);
    }
  });

  describe('modules driven directly', function () {
    const dir = join(work, `${prefix}-mod`);
    let sshPort = 0;
    let env: NodeJS.ProcessEnv = {};
    const vm = () => makeVagrantVmModule((argv, o) => runLocal(argv, { ...o, env }));
    const args = (): VagrantVmArgs => ({ project_dir: dir, machine: 'vm1', provider: 'libvirt', state: 'running' });

    before(async function () {
      sshPort = await freePort();
      env = vagrantEnv(home, sshPort);
      projects.push(dir);
      await fs.mkdir(dir, { recursive: true });
      const tpl = Handlebars.compile(await fs.readFile(join(ROLE, 'templates', 'Vagrantfile.hbs'), 'utf8'), { noEscape: true, strict: true });
      await fs.writeFile(join(dir, 'Vagrantfile'), tpl({
        vagrant_hostname: 'vm1', vagrant_box: BOX_NAME, vagrant_box_version: '', vagrant_provider: 'libvirt',
        vagrant_memory: 1024, vagrant_cpus: 2, vagrant_forwarded_ports: [{ guest: 5050, host: await freePort(), host_ip: '127.0.0.1' }],
      }));
    });

    it('brings vm1 up, reports its ssh-config, then finds nothing to do', async function () {
      const m = vm();
      const p0 = await m.probe(args(), { conn: noConn, host: 'localhost', vars: {}, diff: false });
      expect(p0).to.deep.include({ kind: 'status', state: 'not_created' });
      const d0 = m.decide(args(), p0, ctx());
      expect(d0).to.include({ kind: 'change', summary: 'vagrant up vm1 with provider libvirt (was not_created)' });
      const t0 = Date.now();
      const r = await apply(d0);
      times.push(`vagrant up (module) ${secs(Date.now() - t0)}s`);
      expect(r.ssh_config).to.include({ Host: 'vm1', HostName: '127.0.0.1', Port: sshPort, User: 'vagrant' });
      const key = (r.ssh_config as { IdentityFile: string }).IdentityFile;
      expect(key).to.equal(join(dir, '.vagrant/machines/vm1/libvirt/private_key'));
      expect(await sshVm(sshPort, key, 'hostname; sudo -n id -u')).to.equal('vm1\n0');

      const p1 = await m.probe(args(), { conn: noConn, host: 'localhost', vars: {}, diff: false });
      const d1 = m.decide(args(), p1, ctx());
      expect(d1).to.deep.equal({ kind: 'noop', reason: 'machine vm1 is already running', result: { state: 'running', provider: 'libvirt', ssh_config: r.ssh_config } });
    });

    it('records vm1 in an inventory with comments, then changes nothing on a second pass', async function () {
      const inv = join(work, 'mod-inventory.yml');
      const original = '# lab hosts\nall:\n  hosts:\n    localhost:\n      ansible_connection: local  # the controller\n';
      await fs.writeFile(inv, original);
      const p = await vm().probe(args(), { conn: noConn, host: 'localhost', vars: {}, diff: false });
      if (p.kind !== 'status' || !p.sshConfig) throw new Error(`vm1 not running: ${JSON.stringify(p)}`);
      const s = p.sshConfig;
      const iargs = { inventory: inv, group: 'vagrant', host: 'vm1', vars: { ansible_host: s.HostName, ansible_port: String(s.Port), ansible_user: s.User, ansible_ssh_private_key_file: s.IdentityFile } };
      const pc = { conn: noConn, host: 'localhost', vars: {}, diff: true };
      const d = vagrantInventoryModule.decide(iargs, await vagrantInventoryModule.probe(iargs, pc), ctx());
      const r = await apply(d);
      expect(d.kind === 'change' && d.diff).to.include('+      hosts:');
      expect(r.add_host).to.deep.equal({ name: 'vm1', groups: ['vagrant'], vars: { ...iargs.vars, ansible_port: s.Port } });
      const text = await fs.readFile(inv, 'utf8');
      expect(text).to.include('# lab hosts').and.include('# the controller');
      expect(parse(text).all.children.vagrant.hosts.vm1).to.deep.equal({ ...iargs.vars, ansible_port: s.Port });
      const again = vagrantInventoryModule.decide(iargs, await vagrantInventoryModule.probe(iargs, pc), ctx());
      expect(again.kind).to.equal('noop');
    });

    it('destroys vm1 with state: absent, after which absent is a no-op', async function () {
      const m = vm();
      const gone = { ...args(), state: 'absent' as const };
      const d = m.decide(gone, await m.probe(gone, { conn: noConn, host: 'localhost', vars: {}, diff: false }), ctx());
      expect(d).to.include({ kind: 'change', summary: 'destroy machine vm1 (was running)' });
      await apply(d);
      const d2 = m.decide(gone, await m.probe(gone, { conn: noConn, host: 'localhost', vars: {}, diff: false }), ctx());
      expect(d2).to.deep.equal({ kind: 'noop', reason: 'machine vm1 does not exist', result: { state: 'not_created' } });
    });
  });

  describe('the role through the play CLI', function () {
    const dir = join(work, 'site');
    const project = join(dir, `${prefix}-role`);
    const inventory = join(dir, 'hosts.yml');
    const playbook = join(dir, 'site.yml');
    const INVENTORY = `# Inventory for the vagrant-vm test; the role adds the VM below.
all:
  hosts:
    localhost:
      ansible_connection: local  # the controller runs Vagrant
`;
    const cli = (env: NodeJS.ProcessEnv) =>
      playCli([playbook, '-i', inventory, '--roles-path', join(REPO, 'roles'), '--ssh-host-key-check', 'off', '--state-dir', join(dir, 'state')], env);
    let env: NodeJS.ProcessEnv = {};
    let machineId = '';

    const vmEntry = async () => parse(await fs.readFile(inventory, 'utf8')).all.children.vagrant.hosts.vm1 as Record<string, unknown>;

    before(async function () {
      projects.push(project);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(inventory, INVENTORY);
      await fs.writeFile(playbook, `- name: Create the VM
  hosts: localhost
  gather_facts: false
  vars:
    vagrant_project_dir: ${project}
    vagrant_box: ${BOX_NAME}
    vagrant_box_version: ""
    vagrant_hostname: vm1
    vagrant_provider: libvirt
    vagrant_memory: 1024
    vagrant_cpus: 2
    vagrant_forwarded_ports: [{guest: 5050, host: ${await freePort()}, host_ip: 127.0.0.1}]
    vagrant_inventory_file: ${inventory}
    vagrant_inventory_group: vagrant
  roles:
    - vagrant-vm

- name: Use the VM
  hosts: vagrant
  gather_facts: true
  tasks:
    - name: Leave a mark
      copy:
        dest: /home/vagrant/play-was-here
        content: "{{inventory_hostname}} {{ansible_facts.hostname}} {{ansible_distribution}}\\n"
    - name: Leave a mark as root
      become: true
      copy:
        dest: /etc/play-was-here
        content: "root mark\\n"
        mode: "0644"
`);
      env = vagrantEnv(home, await freePort());
    });

    it('first run: creates the VM, records it, and the next play reaches it', async function () {
      const r = await cli(env);
      times.push(`first run (vagrant up + 2 plays) ${secs(r.ms)}s`);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      const e = await vmEntry();
      expect(e).to.deep.include({ ansible_host: '127.0.0.1', ansible_port: Number(env.VAGRANT_LOOPBACK_SSH_PORT), ansible_user: 'vagrant' });
      expect(e.ansible_ssh_private_key_file).to.equal(join(project, '.vagrant/machines/vm1/libvirt/private_key'));
      expect(await fs.readFile(inventory, 'utf8')).to.match(/^# Inventory for the vagrant-vm test/).and.include('# the controller runs Vagrant');
      const key = String(e.ansible_ssh_private_key_file);
      expect(await sshVm(Number(e.ansible_port), key, 'cat /home/vagrant/play-was-here /etc/play-was-here')).to.equal('vm1 vm1 Debian\nroot mark');
      machineId = await sshVm(Number(e.ansible_port), key, 'cat /etc/machine-id');
    });

    it('second run: changes nothing', async function () {
      const before = await fs.readFile(inventory, 'utf8');
      const r = await cli(env);
      times.push(`second run ${secs(r.ms)}s`);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      expect(recapChanged(r.stdout), r.stdout).to.equal(0);
      expect(r.stdout).to.include('machine vm1 is already running');
      expect(await fs.readFile(inventory, 'utf8')).to.equal(before);
    });

    it('after destroy: a new VM on a new port, and the inventory entry follows', async function () {
      const d = await runLocal(['vagrant', 'destroy', '-f', 'vm1'], { cwd: project, env, timeoutMs: 600_000 });
      expect(d.code, d.stderr).to.equal(0);
      env = vagrantEnv(home, await freePort());
      const r = await cli(env);
      times.push(`run after destroy ${secs(r.ms)}s`);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      const e = await vmEntry();
      expect(e.ansible_port).to.equal(Number(env.VAGRANT_LOOPBACK_SSH_PORT));
      const key = String(e.ansible_ssh_private_key_file);
      // a new host: its own machine-id (the runner's state record is keyed by it)
      expect(await sshVm(Number(e.ansible_port), key, 'cat /etc/machine-id')).to.match(/^[0-9a-f]{32}$/).and.not.equal(machineId);
      expect(await sshVm(Number(e.ansible_port), key, 'cat /home/vagrant/play-was-here')).to.equal('vm1 vm1 Debian');
    });
  });
});
