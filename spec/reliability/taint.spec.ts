// What a host sends back is data, never a template (issue 13). Two real hosts write template syntax
// that names the controller's secrets into /etc/motd and /etc/os-release; the playbook registers,
// gathers, set_facts and deploys it. The deployed files hold the literal braces, and no secret is in
// any byte the run wrote: controller stdout/stderr, the state dir, any file on either host. h2 also
// sends a 114 KB nested {% if %} (inert) and 1 MiB that declared vars double past the render limit:
// that task fails on h2 alone, with the limit's message, while h1 finishes normally.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { results, statuses } from '../support/play.js';
import { leaks, runCli, tempDir, writtenByRun, type MeasuredRun } from './support.js';

const S = {
  dbPassword: `DbPass-${randomBytes(6).toString('hex')}`,
  apiToken: `ApiTok-${randomBytes(6).toString('hex')}`,
};
const HOSTILE = '{{hostvars.h1.db_password}} {{ api_token }} {% if api_token %}[{{ api_token }}]{% endif %} {% for h in hostvars %}{{ h }}={{ hostvars[h].db_password }};{% endfor %} {{ lookup("vars", "api_token") }} {{#if api_token}}{{api_token}}{{/if}}';
const CODENAME = "{{api_token}}{{hostvars.h1.db_password}}";
const BOMB = '{% if api_token %}'.repeat(7200) + '{{ api_token }}' + '{% endif %}'.repeat(7200);

const PLAYBOOK = `- hosts: testhosts
  gather_facts: true
  vars:
    base: /srv/taint
    chain_file: "{{ base }}/chain.txt"
    banner: "motd says: {{ motd.stdout }}"
    user_line: "user {{ item }}"
    x1: "{{ big.stdout }}{{ big.stdout }}"
    x2: "{{ x1 }}{{ x1 }}"
    x3: "{{ x2 }}{{ x2 }}"
    x4: "{{ x3 }}{{ x3 }}"
    x5: "{{ x4 }}{{ x4 }}"
  tasks:
    - name: dir
      file: {path: /srv/taint, state: directory}
    - name: read motd
      command: cat /etc/motd
      register: motd
    - name: deploy motd
      copy: {dest: /srv/taint/motd.txt, content: "{{ motd.stdout }}"}
    - name: deploy codename
      copy: {dest: /srv/taint/codename.txt, content: "{{ ansible_distribution_release }}|{{ ansible_facts.os_codename }}"}
    - name: relay through set_fact
      set_fact: {relayed: "{{ motd.stdout }}", relayed_list: "{{ motd.stdout_lines }}"}
    - name: deploy relayed
      copy: {dest: /srv/taint/relayed.txt, content: "{{ relayed }}\\n{{ relayed_list[0] }}"}
    - name: deploy banner
      copy: {dest: /srv/taint/banner.txt, content: "{{ banner }}"}
    - name: show it
      debug: {msg: "{{ motd.stdout }}"}
    - name: a play var that uses item, over host lines
      lineinfile: {path: /srv/taint/users.txt, line: "{{ user_line }}", create: true}
      loop: "{{ motd.stdout_lines }}"
    - name: vars referring to vars still resolve
      copy: {dest: "{{ chain_file }}", content: "chain ok\\n"}
    - name: read the bomb
      command: cat /srv/bomb.txt
      register: bomb
    - name: deploy the bomb
      copy: {dest: /srv/taint/bomb.txt, content: "{{ bomb.stdout }}"}
    - name: print a block
      shell: cat /srv/big.txt
      register: big
    - name: expand it
      copy: {dest: /srv/taint/x5.txt, content: "{{ x5 }}"}
      ignore_errors: true
    - name: after the expansion
      copy: {dest: /srv/taint/after.txt, content: "after\\n"}
`;

describe('host data is never a template (registered, facts, set_fact)', function () {
  const tb = useTestbed(2);
  let run: MeasuredRun;
  let proj: string;
  let stateDir: string;

  before(async function () {
    this.timeout(300000);
    proj = tempDir('taint');
    stateDir = join(proj, 'state');
    copyFileSync(tb.current.inventoryPath, join(proj, 'inventory.yml'));
    mkdirSync(join(proj, 'host_vars'));
    writeFileSync(join(proj, 'host_vars', 'h1.yml'), `db_password: ${S.dbPassword}\n`);
    writeFileSync(join(proj, 'site.yml'), PLAYBOOK);
    for (const h of tb.current.hosts) {
      const big = h.name === 'h2' ? 1024 * 1024 : 64;
      const bomb = h.name === 'h2'
        ? `{ yes '{% if api_token %}' | head -n 7200; echo '{{ api_token }}'; yes '{% endif %}' | head -n 7200; } | tr -d '\\n' > /srv/bomb.txt`
        : `printf 'no bomb here' > /srv/bomb.txt`;
      await h.exec(`printf '%s\\n' '${HOSTILE}' > /etc/motd && ${bomb} && head -c ${big} /dev/zero | tr '\\0' y > /srv/big.txt`);
      await h.exec(`sed -i '/^VERSION_CODENAME=/d' /etc/os-release; printf "VERSION_CODENAME='%s'\\n" '${CODENAME}' >> /etc/os-release`);
    }
    const env = { PLAY_SECRET_API_TOKEN: S.apiToken };
    run = await runCli(['site.yml', '-i', 'inventory.yml', '--known-hosts', tb.current.knownHostsPath, '--state-dir', stateDir, '--json', '-v', '--diff'], { cwd: proj, env });
  });

  it('every task ran on both hosts; only the oversized expansion failed, on h2 alone, with the limit named', () => {
    expect(run.code, run.stderr + run.stdout.slice(-3000)).to.equal(0);
    const h1 = statuses(run, 'h1');
    const h2 = statuses(run, 'h2');
    expect(h1['expand it']).to.equal('changed');
    expect(h2['expand it']).to.equal('failed');
    const failed = results(run, { host: 'h2', task: 'expand it' })[0]!;
    expect(failed.outcome.status === 'failed' && failed.outcome.msg).to.include('exceeds the limit of 16 MiB');
    for (const s of [h1, h2]) {
      expect(s['deploy motd']).to.equal('changed');
      expect(s['deploy the bomb']).to.equal('changed');
      expect(s['after the expansion']).to.equal('changed');
    }
  });

  it('the deployed files hold the literal braces', async () => {
    for (const h of tb.current.hosts) {
      const cat = async (f: string) => (await h.exec(`cat /srv/taint/${f}`)).stdout;
      expect(await cat('motd.txt')).to.equal(HOSTILE);
      expect(await cat('codename.txt')).to.equal(`${CODENAME}|${CODENAME}`);
      expect(await cat('relayed.txt')).to.equal(`${HOSTILE}\n${HOSTILE}`);
      expect(await cat('banner.txt')).to.equal(`motd says: ${HOSTILE}`);
      expect(await cat('chain.txt')).to.equal('chain ok\n');
      expect(await cat('users.txt')).to.equal(`user ${HOSTILE}\n`);
      expect(await cat('bomb.txt')).to.equal(h.name === 'h2' ? BOMB : 'no bomb here');
    }
    expect((await tb.current.hosts[0]!.exec('wc -c < /srv/taint/x5.txt')).stdout.trim()).to.equal(String(64 * 32));
  });

  it('no byte the run wrote holds a secret: stdout, stderr, the state dir, every file on each host', () => {
    const sources = writtenByRun(run, stateDir, tb.current.hosts.map((h) => h.upperDir));
    expect(Object.keys(sources).some((k) => k.endsWith('/srv/taint/motd.txt')), 'host files were searched').to.equal(true);
    for (const [name, value] of Object.entries(S)) expect(leaks(value, sources), `${name} found in`).to.deep.equal([]);
    expect(run.stdout, 'the hostile text itself is shown as data').to.include('{{hostvars.h1.db_password}}');
  });
});
