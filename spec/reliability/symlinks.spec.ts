// copy, template and lineinfile onto a symlink, next to ansible-playbook (the oracle) on a twin host.
// Ansible 2.14: copy and template (follow: false by default) replace the link with a file and leave
// the target alone; with follow: true they write the target and keep the link; lineinfile always
// edits the target and keeps the link. A --diff never shows a file the task does not write: a copy
// onto a link to /etc/shadow must not print the shadow (Ansible's own diff does: play improves on it).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, statuses } from '../support/play.js';
import { tempDir } from './support.js';

const SETUP = [
  'mkdir -p /srv/l',
  'printf "line-one\\nline-two\\n" > /srv/l/target1',
  'cp /srv/l/target1 /srv/l/target2 && cp /srv/l/target1 /srv/l/target3 && cp /srv/l/target1 /srv/l/target4',
  'ln -sfn /srv/l/target1 /srv/l/c && ln -sfn /srv/l/target2 /srv/l/cf && ln -sfn /srv/l/target3 /srv/l/li',
  'ln -sfn /srv/l/target3 /srv/l/t && ln -sfn /etc/shadow /srv/l/shadow && ln -sfn /srv/l/target4 /srv/l/tf',
].join(' && ');

const PLAYBOOK = (tmpl: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: copy onto a link
      copy: {dest: /srv/l/c, content: "new\\n"}
    - name: copy with follow
      copy: {dest: /srv/l/cf, content: "followed\\n", follow: true}
    - name: template onto a link
      template: {src: ${tmpl}, dest: /srv/l/t}
    - name: template with follow
      template: {src: ${tmpl}, dest: /srv/l/tf, follow: true}
    - name: lineinfile through a link
      lineinfile: {path: /srv/l/li, line: added}
`;

/** `ls -l`-like type and content of every file under /srv/l. */
async function snapshot(exec: (c: string) => Promise<{ stdout: string }>): Promise<string> {
  return (await exec('cd /srv/l && for f in $(ls | grep -v shadow); do if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f: $(cat "$f" | tr "\\n" "|")"; fi; done')).stdout;
}

describe('copy, template and lineinfile onto symlinks, as ansible-playbook does', function () {
  const tb = useTestbed(2);
  let shadow: string;

  it('leave the same files and links as Ansible 2.14 on a twin host', async function () {
    this.timeout(240000);
    const [h1, h2] = tb.current.hosts as [typeof tb.current.hosts[0], typeof tb.current.hosts[0]];
    for (const h of [h1!, h2!]) await h.exec(SETUP);
    shadow = (await h1!.exec('cat /etc/shadow')).stdout;
    expect(shadow.length).to.be.greaterThan(0);
    const dir = tempDir('links');
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 't.j2'), 'templated\n');
    writeFileSync(join(dir, 'ansible.yml'), PLAYBOOK(join(dir, 'templates', 't.j2')));
    writeFileSync(join(dir, 'play.yml'), PLAYBOOK('t.j2'));
    execFileSync('ansible-playbook', ['-i', tb.current.inventoryPath, '-l', 'h1', join(dir, 'ansible.yml')], {
      env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: '1' }, encoding: 'utf8',
    });
    const r = await play([join(dir, 'play.yml'), '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '-l', 'h2', '--json', '--no-state', '--diff']);
    expect(r.code, r.stderr + r.stdout.slice(-2000)).to.equal(0);
    expect(Object.values(statuses(r, 'h2'))).to.deep.equal(['changed', 'changed', 'changed', 'changed', 'changed']);
    const want = await snapshot((c) => h1!.exec(c));
    expect(want).to.include('c: new|').and.include('li -> /srv/l/target3').and.include('target3: line-one|line-two|added|');
    expect(await snapshot((c) => h2!.exec(c))).to.equal(want);
    const again = await play([join(dir, 'play.yml'), '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '-l', 'h2', '--json', '--no-state']);
    expect(Object.values(statuses(again, 'h2')), 'a second run finds everything in place').to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('a --diff of a copy onto a link to /etc/shadow does not print the shadow, and leaves /etc/shadow alone', async function () {
    this.timeout(120000);
    const h2 = tb.current.hosts[1]!;
    const dir = tempDir('shadow');
    writeFileSync(join(dir, 'pb.yml'), `- hosts: all
  gather_facts: false
  tasks:
    - name: copy onto the shadow link
      copy: {dest: /srv/l/shadow, content: "harmless\\n"}
`);
    const before = (await h2.exec('cat /etc/shadow')).stdout;
    const firstLine = before.split('\n')[0]!;
    for (const extra of [['--check', '--diff'], ['--diff'], ['--diff', '-v']]) {
      await h2.exec('ln -sfn /etc/shadow /srv/l/shadow');
      const r = await play([join(dir, 'pb.yml'), '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '-l', 'h2', '--no-state', ...extra]);
      expect(r.code, r.stderr + r.stdout).to.equal(0);
      expect(r.stdout + r.stderr, `${extra.join(' ')}: no line of /etc/shadow is printed`).not.to.include(firstLine);
      expect(r.stdout).to.include('+harmless');
    }
    expect((await h2.exec('cat /etc/shadow')).stdout, '/etc/shadow is untouched').to.equal(before);
    expect((await h2.exec('[ -L /srv/l/shadow ] && echo link || cat /srv/l/shadow')).stdout).to.equal('harmless\n');
  });

  it('lineinfile through a link to /etc/shadow keeps the link and edits the target (its diff is the real destination)', async function () {
    this.timeout(120000);
    const h2 = tb.current.hosts[1]!;
    const dir = tempDir('shadow-li');
    await h2.exec('ln -sfn /etc/shadow /srv/l/shadow');
    writeFileSync(join(dir, 'pb.yml'), `- hosts: all
  gather_facts: false
  tasks:
    - name: add a user line through the link
      lineinfile: {path: /srv/l/shadow, line: "playtest:!:19000:0:99999:7:::"}
`);
    const r = await play([join(dir, 'pb.yml'), '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '-l', 'h2', '--no-state', '--json']);
    expect(r.code, r.stderr + r.stdout).to.equal(0);
    expect((await h2.exec('readlink /srv/l/shadow')).stdout.trim()).to.equal('/etc/shadow');
    expect((await h2.exec('tail -n 1 /etc/shadow')).stdout).to.equal('playtest:!:19000:0:99999:7:::\n');
    expect((await h2.exec('stat -c %a /etc/shadow')).stdout.trim(), 'the target keeps its mode').to.equal((await tb.current.hosts[0]!.exec('stat -c %a /etc/shadow')).stdout.trim());
  });
});
