// Execution keywords against the oracle: each playbook runs under ansible-playbook, then under play, on
// the same three real hosts; which host ran which task, with which status, must be the same. The tasks
// change nothing that a second run would see (commands, debug, set_fact, fail, copy under check_mode).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ansibleStatuses, playStatuses } from '../differential/matrix.js';
import { play } from '../support/play.js';
import { useTestbed } from '../support/testbed.js';

const run = promisify(execFile);
const CALLBACKS = join(dirname(fileURLToPath(import.meta.url)), '..', 'differential', 'ansible');
const HOSTS = ['h1', 'h2', 'h3'];

const CASES: Record<string, string> = {
  'serial, run_once, delegate_to, check_mode': `- hosts: testhosts
  gather_facts: false
  serial: [1, "50%"]
  tasks:
    - name: once
      command: echo ONCE
      run_once: true
      register: once
    - name: shared
      debug: {msg: "{{ once.stdout }}"}
    - name: pick
      set_fact: {picked: "{{ inventory_hostname }}"}
      run_once: true
    - name: on h3
      command: "echo for {{ inventory_hostname }} {{ picked }}"
      delegate_to: h3
    - name: dry
      copy: {dest: /tmp/kw-oracle-never, content: x}
      check_mode: true
`,
  'any_errors_fatal ends the play and the playbook': `- hosts: testhosts
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: maybe fail
      command: "test {{ inventory_hostname }} != h2"
    - name: after
      command: echo AFTER
- hosts: testhosts
  gather_facts: false
  tasks:
    - name: later play
      command: echo LATER
`,
  'a rescued failure is not fatal; a failed run_once is': `- hosts: testhosts
  gather_facts: false
  tasks:
    - block:
        - name: in block
          command: "test {{ inventory_hostname }} != h1"
          any_errors_fatal: true
        - name: next in block
          command: echo NEXT
      rescue:
        - name: rescue
          command: echo RESCUE
    - name: once fails
      command: "false"
      run_once: true
    - name: never
      command: echo NEVER
`,
  'max_fail_percentage': `- hosts: testhosts
  gather_facts: false
  max_fail_percentage: 40
  tasks:
    - name: first
      command: "test {{ inventory_hostname }} != h1"
    - name: second
      command: "test {{ inventory_hostname }} != h2"
    - name: third
      command: echo THIRD
`,
  'every host failed: later plays do not run': `- hosts: h1,h2
  gather_facts: false
  tasks:
    - name: all fail
      command: "false"
- hosts: h3
  gather_facts: false
  tasks:
    - name: other hosts
      command: echo OTHER
`,
};

describe('execution keywords compared with ansible-playbook on real hosts', function () {
  this.timeout(300000);
  const tb = useTestbed(3);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'play-kw-oracle-'));
  });

  for (const [name, yml] of Object.entries(CASES)) {
    it(name, async () => {
      const pb = join(dir, `${name.replace(/\W+/g, '-')}.yml`);
      writeFileSync(pb, yml);
      const env = {
        ...process.env, ANSIBLE_STDOUT_CALLBACK: 'diff_statuses', ANSIBLE_CALLBACK_PLUGINS: CALLBACKS,
        ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False',
        ANSIBLE_PIPELINING: 'True', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      };
      const a = await run('ansible-playbook', ['-i', tb.current.inventoryPath, pb], { env, maxBuffer: 16 << 20 })
        .catch((e: { code?: number; stdout?: string; stderr?: string }) => {
          if (e.code === 2 && e.stdout) return { stdout: e.stdout };
          throw new Error(`ansible-playbook failed (${e.code}):\n${e.stdout}\n${e.stderr}`);
        });
      const p = await play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--no-state', '--json']);
      let seen = 0;
      for (const h of HOSTS) {
        const want = Object.fromEntries(ansibleStatuses(a.stdout, h));
        const got = Object.fromEntries(playStatuses(p.events as never, h));
        expect(got, `${h}\n${p.stderr}`).to.deep.equal(want);
        seen += Object.keys(want).length;
      }
      expect(seen, 'Ansible reported results').to.be.greaterThan(1);
    });
  }
});
