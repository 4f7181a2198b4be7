// Host identity, the host-side run lock and a store that stays small, against real SSH hosts.
import { expect } from 'chai';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, recap, statuses, type PlayRun } from '../support/play.js';

describe('host identity, host lock and store size on real SSH hosts', function () {
  this.timeout(240000);
  const tb = useTestbed(2);
  let n = 0;
  const fresh = () => ({ dir: mkdtempSync(join(tmpdir(), 'play-ident-')), base: `/srv/id-${process.pid}-${++n}` });
  const run = (pb: string, dir: string, base: string, more: string[] = [], inventory = tb.current.inventoryPath) =>
    play([pb, '-i', inventory, '--known-hosts', tb.current.knownHostsPath, '--json', '--state-dir', dir, '-e', `base=${base}`, ...more]);
  const ok = (r: PlayRun) => expect(r.code, r.stderr + r.stdout.slice(-3000)).to.equal(0);
  const pb = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: work dir
      file: {path: "{{base}}", state: directory}
    - name: marker
      copy: {dest: "{{base}}/marker", content: "here\\n"}
    - name: stamp
      shell: echo "{{inventory_hostname}}" >> {{base}}/ran
`);

  it('a clone with h1\'s machine-id is a new host: h2 gets everything', async () => {
    const { dir, base } = fresh();
    const [h1, h2] = tb.current.hosts;
    ok(await run(pb, dir, base, ['-l', 'h1']));
    const id1 = (await h1!.exec('cat /etc/machine-id')).stdout;
    writeFileSync(join(h2!.upperDir, 'etc/machine-id'), id1);
    expect((await h2!.exec('cat /etc/machine-id')).stdout).to.equal(id1);
    const both = await run(pb, dir, base, ['-l', 'h1,h2']);
    ok(both);
    expect(recap(both).h1).to.include({ doneBefore: 3 });
    expect(recap(both).h2).to.include({ doneBefore: 0, changed: 3 });
    expect((await h2!.exec(`cat ${base}/marker ${base}/ran`)).stdout).to.equal('here\nh2\n');
  });

  it('two controllers with two stores on the same hosts: the host lock keeps every lineinfile line', async () => {
    const { base } = fresh();
    const lines = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: the file
      file: {path: "{{base}}", state: directory}
    - name: a line each
      lineinfile: {path: "{{base}}/lines", line: "{{who}}-{{item}}", create: true}
      loop: [${Array.from({ length: 25 }, (_, i) => i).join(', ')}]
`);
    const inv = (k: string) => {
      const d = mkdtempSync(join(tmpdir(), `play-inv-${k}-`));
      copyFileSync(tb.current.inventoryPath, join(d, 'hosts.yml'));
      return join(d, 'hosts.yml');
    };
    const [ia, ib] = [inv('a'), inv('b')];
    const go = (who: string, i: string, more: string[] = []) =>
      play([lines, '-i', i, '--known-hosts', tb.current.knownHostsPath, '--json', '-e', `base=${base}`, '-e', `who=${who}`, ...more]);
    const [a, b] = await Promise.all([go('A', ia, ['--state-wait', '120']), go('B', ib, ['--state-wait', '120'])]);
    ok(a);
    ok(b);
    for (const h of tb.current.hosts) {
      const got = (await h.exec(`cat ${base}/lines`)).stdout.split('\n').filter(Boolean).sort();
      const want = ['A', 'B'].flatMap((w) => Array.from({ length: 25 }, (_, i) => `${w}-${i}`)).sort();
      expect(got, h.name).to.deep.equal(want);
    }
  });

  it('without --state-wait the second controller fails the held hosts clearly, untouched', async () => {
    const { dir, base } = fresh();
    const slow = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: slow
      shell: mkdir -p {{base}} && touch {{base}}/started && sleep 6
`);
    const first = run(slow, dir, base);
    const h1 = tb.current.hosts[0]!;
    for (let i = 0; i < 300 && (await h1.exec(`test -e ${base}/started`)).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    const other = mkdtempSync(join(tmpdir(), 'play-ident-other-'));
    const second = await run(pb, other, base);
    expect(second.code, second.stderr).to.equal(3);
    const un = second.events.filter((e) => e.kind === 'host_unreachable');
    expect(un.map((e) => e.kind === 'host_unreachable' && e.host).sort()).to.deep.equal(['h1', 'h2']);
    for (const e of un) {
      expect(e.kind === 'host_unreachable' && e.msg).to.match(/another play run holds the host lock \/(run\/lock|var\/lock|tmp)\/play-run\.lock \(play run pid \d+ on .*\); this host was not touched\. .*--state-wait/);
    }
    expect((await h1.exec(`test -e ${base}/marker`)).code, 'nothing was done').to.equal(1);
    ok(await first);
  });

  it('a 10-item loop printing more than the cap each leaves a small store; later runs work', async () => {
    const { dir, base } = fresh();
    const loud = writePlaybook(`- hosts: testhosts
  gather_facts: false
  tasks:
    - name: work dir
      file: {path: "{{base}}", state: directory}
    - name: loud
      shell: head -c 300000 /dev/zero | tr '\\0' 'x'; echo
      register: out
      loop: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    - name: quiet
      copy: {dest: "{{base}}/quiet", content: "done\\n"}
`);
    ok(await run(loud, dir, base));
    expect(statSync(join(dir, 'state.json')).size, 'state.json').to.be.below(64 * 1024);
    expect(statSync(join(dir, 'journal.jsonl')).size, 'journal').to.equal(0);
    const again = await run(loud, dir, base);
    ok(again);
    for (const h of ['h1', 'h2']) {
      expect(statuses(again, h)['work dir'], h).to.equal('skipped:done-before');
      expect(statuses(again, h).loud, `${h}: a capped value is never replayed`).to.equal('changed');
    }
    const show = await play(['state', 'show', '--json', '--state-dir', dir]);
    expect(show.code, show.stderr).to.equal(0);
    expect(JSON.parse(show.stdout)).to.have.length(2);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).to.include('"capped"');
  });

  it('machine-ids __proto__ and constructor (and no machine-id, hostname toString) neither crash nor pollute', async () => {
    const { dir, base } = fresh();
    const [h1, h2] = tb.current.hosts;
    writeFileSync(join(h1!.upperDir, 'etc/machine-id'), '__proto__\n');
    writeFileSync(join(h2!.upperDir, 'etc/machine-id'), 'constructor\n');
    ok(await run(pb, dir, base));
    const again = await run(pb, dir, base);
    ok(again);
    for (const h of ['h1', 'h2']) expect(recap(again)[h], h).to.include({ doneBefore: 3, changed: 0 });
    // no machine-id at all: the hostname stands in
    expect((await h1!.exec('rm -f /etc/machine-id && hostname toString && cat /etc/machine-id 2>/dev/null || hostname')).stdout).to.equal('toString\n');
    const third = await run(pb, dir, base);
    ok(third);
    expect(recap(third).h1, 'a new identity: runs again').to.include({ doneBefore: 0 });
    expect(recap(third).h2).to.include({ doneBefore: 3 });
  });

  it('two hosts presenting one machine (machine-id and host key) both run in full, with a warning', async () => {
    const { dir, base } = fresh();
    const [h1, h2] = tb.current.hosts;
    const shared = `${'c'.repeat(26)}${String(n).padStart(6, '0')}`;
    const setId = async (h: typeof h1) => expect((await h!.exec(`printf '%s\\n' ${shared} > /etc/machine-id`)).code).to.equal(0);
    await setId(h1);
    ok(await run(pb, dir, base));
    // h2 becomes a full clone of h1: same machine-id, same SSH host key; h1's own records would match h1
    await setId(h2);
    for (const f of ['play_host_ed25519_key', 'play_host_ed25519_key.pub']) copyFileSync(join(h1!.upperDir, 'etc/ssh', f), join(h2!.upperDir, 'etc/ssh', f));
    await h2!.killSshd();
    await h2!.restartSshd();
    const again = await run(pb, dir, base, ['--ssh-host-key-check', 'off']);
    ok(again);
    const warned = again.events.flatMap((e) => (e.kind === 'warning' ? [[e.host, e.msg]] : []));
    expect(warned.map(([h]) => h).sort()).to.deep.equal(['h1', 'h2']);
    expect(warned[0]![1]).to.match(/presents the same machine \(machine-id and SSH host key\) as h\d/);
    for (const h of ['h1', 'h2']) {
      expect(recap(again)[h], h).to.include({ doneBefore: 0 });
      expect(statuses(again, h).stamp, h).to.equal('changed');
    }
    expect((await h2!.exec(`cat ${base}/ran`)).stdout).to.equal('h2\nh2\n');
  });
});

function writePlaybook(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'play-pb-')), 'pb.yml');
  writeFileSync(p, text);
  return p;
}

describe('the CLI refuses a store it cannot read (exit 6), and never overwrites it', () => {
  const pb = writePlaybook(`- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: hello\n      debug: {msg: hi}\n`);
  for (const text of ['{"version":2,"done":{},"pending":{},"hosts":{}}', '{"version":"1"}', '[]', '{"version":1}']) {
    it(`state.json ${text}: run, state show and state forget exit 6 with what to do`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'play-badstore-'));
      writeFileSync(join(dir, 'state.json'), text);
      for (const args of [[pb, '--state-dir', dir], ['state', 'show', '--state-dir', dir], ['state', 'forget', '--state-dir', dir]]) {
        const r = await play(args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(6);
        expect(r.stderr).to.match(/is not one this play can read: .*move it aside/);
        expect(r.stderr).not.to.match(/internal error/);
      }
      expect(readFileSync(join(dir, 'state.json'), 'utf8')).to.equal(text);
    });
  }

  it('rm -rf of the state directory mid-run ends the run with a true message (exit 6)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'play-rmrf-'));
    const mid = writePlaybook(`- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: one\n      shell: touch ${d}/started; sleep 1\n    - name: two\n      command: echo two\n`);
    const running = play([mid, '--state-dir', join(d, '.play')]);
    for (let i = 0; i < 200 && !existsSync(join(d, 'started')); i++) await new Promise((r) => setTimeout(r, 25));
    rmSync(join(d, '.play'), { recursive: true, force: true });
    const r = await running;
    expect(r.code, r.stderr).to.equal(6);
    expect(r.stderr).to.match(/the state directory .*\.play was removed during the run/);
    expect(r.stderr).not.to.match(/internal error|free space/);
  });

  it('a regular file named .play, and a lock that is a directory, are clear errors (exit 6)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'play-odd-'));
    writeFileSync(join(d, '.play'), '');
    const r = await play([pb, '--state-dir', join(d, '.play')]);
    expect(r.code, r.stderr).to.equal(6);
    expect(r.stderr).to.match(/exists but is a regular file, not a directory/);
    const s = mkdtempSync(join(tmpdir(), 'play-odd-'));
    mkdirSync(join(s, 'lock'));
    const l = await play([pb, '--state-dir', s, '--state-wait', '1']);
    expect(l.code, l.stderr).to.equal(6);
    expect(l.stderr).to.match(/lock is a directory, not a lock file play made/);
  });
});
