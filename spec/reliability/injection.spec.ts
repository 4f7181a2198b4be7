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
});
