// Facts against the oracle: the same playbook writes the facts Ansible content uses most into a file,
// once under ansible-playbook and once under play, on the same real host; the two files must match.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { play } from '../support/play.js';
import { useTestbed } from '../support/testbed.js';

const run = promisify(execFile);
const FACTS = [
  'ansible_distribution', 'ansible_distribution_version', 'ansible_distribution_release', 'ansible_distribution_major_version',
  'ansible_os_family', 'ansible_architecture', 'ansible_hostname', 'ansible_fqdn', 'ansible_nodename', 'ansible_domain',
  'ansible_default_ipv4.address', 'ansible_default_ipv4.interface', 'ansible_default_ipv4.gateway', 'ansible_default_ipv4.netmask',
  'ansible_service_mgr', 'ansible_python.executable', 'ansible_python.version.major', 'ansible_python_version', 'ansible_system',
  'ansible_kernel', 'ansible_user_id', 'ansible_user_dir', 'ansible_machine_id', 'ansible_pkg_mgr', 'ansible_userspace_bits',
  'ansible_facts.distribution', 'ansible_facts.os_family', 'ansible_facts.default_ipv4.address', 'ansible_env.HOME',
];

describe('facts compared with ansible-playbook on a real host', function () {
  this.timeout(180000);
  const tb = useTestbed(1);

  it('gathers the same values under the same names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'play-facts-'));
    const pb = (dest: string) => `- hosts: h1\n  tasks:\n    - copy:\n        dest: ${dest}\n        content: |\n${FACTS.map((f) => `          ${f}={{ ${f} }}\n`).join('')}`;
    writeFileSync(join(dir, 'ansible.yml'), pb('/tmp/facts-ansible'));
    writeFileSync(join(dir, 'play.yml'), pb('/tmp/facts-play'));
    const env = {
      ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False',
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    };
    await run('ansible-playbook', ['-i', tb.current.inventoryPath, join(dir, 'ansible.yml')], { env, maxBuffer: 16 << 20 });
    const p = await play([join(dir, 'play.yml'), '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--no-state']);
    expect(p.code, p.stdout + p.stderr).to.equal(0);
    const h = tb.current.hosts[0]!;
    const ansible = (await h.exec('cat /tmp/facts-ansible')).stdout.split('\n');
    const ours = (await h.exec('cat /tmp/facts-play')).stdout.split('\n');
    expect(ours).to.deep.equal(ansible);
    expect(ansible.length).to.be.greaterThan(FACTS.length - 1);
  });
});
