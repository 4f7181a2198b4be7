// getent, tempfile, user passwords and apt cleanup on real SSH hosts: what they read, make and
// keep out of the run's output.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, results, type PlayRun } from '../support/play.js';

const HASH = '$6$itsalt$ivXpIZ5NGOvSlGHSX5zTssXIZrcnlyk4bZ4c8dQUEVaMOdZaPSUc6DDKXfnkkOInmWBrm8XjdEldkpJbym5tE/';

function writePlaybook(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'play-pb-')), 'pb.yml');
  writeFileSync(p, text);
  return p;
}

describe('system modules on real SSH hosts (getent, tempfile, user passwords, apt cleanup)', function () {
  this.timeout(240000);
  const tb = useTestbed(1, { namePrefix: 'sysmod' });
  const run = (pb: string, more: string[] = []) =>
    play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', ...more]);
  const ok = (r: PlayRun) => expect(r.code, r.stderr + r.stdout.slice(-3000)).to.equal(0);

  it('getent reads passwd into getent_passwd; a missing key fails unless fail_key is false', async () => {
    const pb = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - getent: {database: passwd, key: root}
    - name: root's record
      assert:
        that: ["getent_passwd['root'][4] == '/root'", "getent_passwd.root | length == 6"]
    - getent: {database: group, key: no-such-group-here, fail_key: false}
    - name: a missing key is none
      assert:
        that: ["getent_group['no-such-group-here'] is none"]
    - name: a missing key fails
      getent: {database: passwd, key: no-such-user-here}
      ignore_errors: true
`);
    const r = await run(pb);
    ok(r);
    expect(results(r, { task: "root's record" })[0]!.outcome.status).to.equal('ok');
    expect(results(r, { task: 'a missing key is none' })[0]!.outcome.status).to.equal('ok');
    const failed = results(r, { task: 'a missing key fails' })[0]!;
    expect(failed.outcome.status).to.equal('failed');
    expect(JSON.stringify(failed.outcome)).to.contain('could not be found');
  });

  it('tempfile makes a new 0600 file or 0700 directory each run, and registers its path', async () => {
    const pb = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - tempfile: {path: /srv, prefix: "pt.", suffix: ".conf"}
      register: f
    - tempfile: {state: directory, path: /srv, prefix: "ptd."}
      register: d
    - copy: {dest: /srv/tempfile-paths, content: "{{ f.path }} {{ d.path }}\\n"}
`);
    const r = await run(pb);
    ok(r);
    const h = tb.current.hosts[0]!;
    const [file, dir] = (await h.exec('cat /srv/tempfile-paths')).stdout.trim().split(' ');
    expect(file).to.match(/^\/srv\/pt\.[A-Za-z0-9]{8}\.conf$/);
    expect(dir).to.match(/^\/srv\/ptd\.[A-Za-z0-9]{8}$/);
    expect((await h.exec(`stat -c '%a %F' ${file} ${dir}`)).stdout).to.equal('600 regular empty file\n700 directory\n');
    const again = await run(pb);
    ok(again);
    expect((await h.exec('cat /srv/tempfile-paths')).stdout.trim().split(' ')[0]).to.not.equal(file);
  });

  it('user password: set in /etc/shadow, never in the output, and a rerun is ok', async () => {
    const pb = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: account
      user: {name: sysmodpw, password: "${HASH}", password_expire_max: 45, expires: 1893456000}
`);
    const r = await run(pb, ['--diff', '-v']);
    ok(r);
    expect(results(r, { task: 'account' })[0]!.outcome.status).to.equal('changed');
    expect(r.stdout + r.stderr).to.not.contain(HASH.slice(10, 40));
    const shadow = (await tb.current.hosts[0]!.exec('getent shadow sysmodpw')).stdout.split(':');
    expect([shadow[1], shadow[4], shadow[7]]).to.deep.equal([HASH, '45', String(1893456000 / 86400)]);
    const again = await run(pb);
    ok(again);
    expect(results(again, { task: 'account' })[0]!.outcome.status).to.equal('ok');
  });

  it('apt autoremove and autoclean: ok when apt-get --simulate finds nothing to do', async () => {
    const pb = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: cleanup
      apt: {autoremove: true}
`);
    const r = await run(pb);
    ok(r);
    const res = results(r, { task: 'cleanup' })[0]!;
    expect(res.outcome.status, JSON.stringify(res.outcome)).to.equal('ok');
  });
});
