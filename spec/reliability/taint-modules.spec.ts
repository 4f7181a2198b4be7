// What the newer readers bring back from a host is data too: a hostile host plants template syntax
// naming the controller's secrets in a file's content (slurp), in file names (find), in a symlink's
// target (stat), in a GECOS field (getent), and an HTTP service on the host's side answers with it
// (uri). The playbook deploys every one of those values; each lands literally, and no secret is in
// any byte the run wrote.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { statuses } from '../support/play.js';
import { leaks, runCli, tempDir, writtenByRun, type MeasuredRun } from './support.js';

const S = {
  dbPassword: `DbPass-${randomBytes(6).toString('hex')}`,
  apiToken: `ApiTok-${randomBytes(6).toString('hex')}`,
};
const HOSTILE = '{{ api_token }} {{hostvars.h1.db_password}} {% for h in hostvars %}{{ hostvars[h].db_password }}{% endfor %} {{ lookup("vars", "api_token") }}';
// a file name and a link target cannot hold '/', so this one names the secrets without it
const NAME = '{{api_token}}{{hostvars.h1.db_password}}';

const playbook = (url: string) => `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: out dir
      file: {path: /srv/tm/out, state: directory}
    - name: slurp it
      slurp: {src: /srv/tm/in/hostile.txt}
      register: s
    - name: deploy slurped
      copy: {dest: /srv/tm/out/slurp.txt, content: "{{ s.content | b64decode }}"}
    - name: find them
      find: {paths: /srv/tm/in, patterns: "*api_token*"}
      register: f
    - name: deploy found names
      copy: {dest: /srv/tm/out/find.txt, content: "{{ f.files | map(attribute='path') | map('basename') | join(',') }}"}
    - name: stat the link
      stat: {path: /srv/tm/in/link}
      register: st
    - name: deploy the link target
      copy: {dest: /srv/tm/out/stat.txt, content: "{{ st.stat.lnk_target }}"}
    - name: read the account
      getent: {database: passwd, key: tmhostile}
    - name: deploy the gecos
      copy: {dest: /srv/tm/out/getent.txt, content: "{{ getent_passwd.tmhostile[3] }}"}
    - name: ask the service
      uri: {url: "${url}", return_content: true}
      register: u
    - name: deploy the json field
      copy: {dest: /srv/tm/out/uri.txt, content: "{{ u.json.msg }}"}
    - name: show them
      debug: {msg: "{{ s.content | b64decode }} {{ st.stat.lnk_target }} {{ u.json.msg }}"}
`;

describe('host data is never a template (slurp, find, stat, getent, uri)', function () {
  const tb = useTestbed(2);
  let run: MeasuredRun;
  let proj: string;
  let stateDir: string;
  let server: Server;

  before(async function () {
    this.timeout(300000);
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ msg: HOSTILE }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hostile`;
    proj = tempDir('taint-modules');
    stateDir = join(proj, 'state');
    copyFileSync(tb.current.inventoryPath, join(proj, 'inventory.yml'));
    mkdirSync(join(proj, 'host_vars'));
    writeFileSync(join(proj, 'host_vars', 'h1.yml'), `db_password: ${S.dbPassword}\n`);
    writeFileSync(join(proj, 'site.yml'), playbook(url));
    for (const h of tb.current.hosts) {
      const r = await h.exec([
        'mkdir -p /srv/tm/in',
        `printf '%s' '${HOSTILE}' > /srv/tm/in/hostile.txt`,
        `: > '/srv/tm/in/${NAME}'`,
        `ln -s '${NAME}' /srv/tm/in/link`,
        `useradd -M -c '${NAME}' tmhostile`,
      ].join(' && '));
      expect(r.code, r.stderr).to.equal(0);
    }
    const env = { PLAY_SECRET_API_TOKEN: S.apiToken };
    run = await runCli(['site.yml', '-i', 'inventory.yml', '--known-hosts', tb.current.knownHostsPath, '--state-dir', stateDir, '--json', '-v', '--diff'], { cwd: proj, env });
  });
  after(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('every task ran on both hosts', () => {
    expect(run.code, run.stderr + run.stdout.slice(-3000)).to.equal(0);
    for (const h of ['h1', 'h2']) {
      const s = statuses(run, h);
      for (const t of ['deploy slurped', 'deploy found names', 'deploy the link target', 'deploy the gecos', 'deploy the json field']) expect(s[t], `${h}: ${t}`).to.equal('changed');
    }
  });

  it('the deployed files hold the host\'s text literally', async () => {
    for (const h of tb.current.hosts) {
      const cat = async (f: string) => (await h.exec(`cat /srv/tm/out/${f}`)).stdout;
      expect(await cat('slurp.txt')).to.equal(HOSTILE);
      expect(await cat('find.txt')).to.equal(NAME);
      expect(await cat('stat.txt')).to.equal(NAME);
      expect(await cat('getent.txt')).to.equal(NAME);
      expect(await cat('uri.txt')).to.equal(HOSTILE);
    }
  });

  it('no byte the run wrote holds a secret: stdout, stderr, the state dir, every file on each host', () => {
    const sources = writtenByRun(run, stateDir, tb.current.hosts.map((h) => h.upperDir));
    expect(Object.keys(sources).some((k) => k.endsWith('/srv/tm/out/uri.txt')), 'host files were searched').to.equal(true);
    for (const [name, value] of Object.entries(S)) expect(leaks(value, sources), `${name} found in`).to.deep.equal([]);
    expect(run.stdout, 'the hostile text itself is shown as data').to.include('{{hostvars.h1.db_password}}');
  });
});
