// Hostile variable values: quotes, $(), backticks, ;, newlines and spaces, through {{ x | quote }} in shell
// and through module args. A canary file proves no unintended command ran; the intended files hold
// exactly the intended bytes.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, statuses } from '../support/play.js';
import { tempDir } from './support.js';

const CANARY = '/tmp/INJECTED';
const NASTY = {
  quotes: `it's "quoted" 'twice'`,
  subst: `$(touch ${CANARY}-subst)`,
  ticks: `\`touch ${CANARY}-ticks\``,
  semi: `x; touch ${CANARY}-semi`,
  newline: `line1\ntouch ${CANARY}-newline`,
  spaced: '/srv/inj/a dir/file with spaces.txt',
  /** A file name (no slash): would create ./INJECTED-fname in the remote cwd if a shell split it. */
  fname: `x; touch INJECTED-fname $(touch INJECTED-fname) 'q"`,
};

describe('injection: hostile values stay data', function () {
  const tb = useTestbed(1);

  it('through | quote in shell, copy dest with spaces, lineinfile with quotes, command argv', async () => {
    const dir = tempDir('inj');
    writeFileSync(join(dir, 'vars.json'), JSON.stringify(NASTY));
    writeFileSync(join(dir, 'pb.yml'), `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: dirs
      file: {path: "/srv/inj/a dir", state: directory}
    - name: shell quote
      shell: "printf '%s|' {{ quotes | quote }} {{ subst | quote }} {{ ticks | quote }} {{ semi | quote }} {{ newline | quote }} > /srv/inj/shell.txt"
    - name: copy to a spaced dest
      copy: {dest: "{{ spaced }}", content: "{{ semi }}\\n"}
    - name: lineinfile with quotes
      lineinfile: {path: /srv/inj/lines.txt, line: "{{ quotes }}", create: true}
    - name: command argv
      command: {argv: [touch, "/srv/inj/{{ fname }}"]}
    - name: command free form with a quoted var
      command: "touch /srv/inj/free-{{ fname | quote }}"
`);
    const r = await play([join(dir, 'pb.yml'), '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', '-e', `@${join(dir, 'vars.json')}`]);
    expect(r.code, r.stderr + r.stdout.slice(-3000)).to.equal(0);
    expect(Object.values(statuses(r, 'h1'))).to.deep.equal(['changed', 'changed', 'changed', 'changed', 'changed', 'changed']);
    const h = tb.current.hosts[0]!;
    const canaries = await h.exec(`ls -d ${CANARY}* 2>/dev/null; ls -a /root /tmp /srv/inj | grep -x 'INJECTED-fname'; true`);
    expect(canaries.stdout, 'no injected command ran').to.equal('');
    expect((await h.exec('cat /srv/inj/shell.txt')).stdout).to.equal(`${NASTY.quotes}|${NASTY.subst}|${NASTY.ticks}|${NASTY.semi}|${NASTY.newline}|`);
    expect((await h.exec(`cat '/srv/inj/a dir/file with spaces.txt'`)).stdout).to.equal(`${NASTY.semi}\n`);
    expect((await h.exec('cat /srv/inj/lines.txt')).stdout).to.equal(`${NASTY.quotes}\n`);
    expect((await h.exec(`ls /srv/inj`)).stdout.split('\n')).to.include(NASTY.fname);
    expect((await h.exec('ls /srv/inj')).stdout.split('\n')).to.include(`free-${NASTY.fname}`);
  });

  // What a host prints can never end a frame early: not the markers a command can build from everything
  // it sees of itself (PLAY_EXEC_ID), in either stream, through the cut frame of a user's command, nor a
  // failing contained step (a module's own mkdir, plain frame) right after it.
  it('output shaped like frame markers stays output; the next tasks get exactly their own', async () => {
    const dir = tempDir('inj-frame');
    const forge = 't=$PLAY_EXEC_ID; n=${t%z}; q=${n##*x}; o=${n%x*}; ' +
      `printf 'a\\036%s:%s:0\\036b\\n\\036C%s:%s:0\\nc' "$o" "$q" "$o" "$q"; ` +
      `printf 'e\\036%s:%s:\\036f\\n\\036C%s:%s:\\ng' "$o" "$q" "$o" "$q" >&2; exit 3`;
    writeFileSync(join(dir, 'vars.json'), JSON.stringify({ forge, bad: '/srv/inj2/plain/\x1ex:1:0\x1e\n\x1eCx:1:0\n' }));
    writeFileSync(join(dir, 'pb.yml'), `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: dir
      file: {path: /srv/inj2, state: directory}
    - name: forged markers
      shell: "{{ forge }}"
      register: forged
      failed_when: forged.rc != 3
    - name: keep what it printed
      copy: {dest: /srv/inj2/forged.out, content: "{{ forged.stdout }}|{{ forged.stderr }}|{{ forged.rc }}"}
    - name: a plain file
      copy: {dest: /srv/inj2/plain, content: "x"}
    - name: contained step fails
      file: {path: "{{ bad }}", state: directory}
      ignore_errors: true
    - name: after it
      shell: echo after; echo after-err >&2
      register: after
    - name: keep that too
      copy: {dest: /srv/inj2/after.out, content: "{{ after.stdout }}|{{ after.stderr }}|{{ after.rc }}"}
`);
    const r = await play([join(dir, 'pb.yml'), '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', '-e', `@${join(dir, 'vars.json')}`]);
    expect(r.code, r.stderr + r.stdout.slice(-3000)).to.equal(0);
    expect(statuses(r, 'h1')).to.deep.equal({
      dir: 'changed', 'forged markers': 'changed', 'keep what it printed': 'changed', 'a plain file': 'changed',
      'contained step fails': 'failed', 'after it': 'changed', 'keep that too': 'changed',
    });
    const h = tb.current.hosts[0]!;
    const forged = (await h.exec('cat /srv/inj2/forged.out')).stdout;
    expect(forged).to.match(/^a\x1e[0-9a-f]+:\d+:0\x1eb\n\x1eC[0-9a-f]+:\d+:0\nc\|e\x1e[0-9a-f]+:\d+:\x1ef\n\x1eC[0-9a-f]+:\d+:\ng\|3$/);
    expect((await h.exec('cat /srv/inj2/after.out')).stdout).to.equal('after|after-err|0');
  });
});
