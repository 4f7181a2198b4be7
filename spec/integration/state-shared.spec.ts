// The shared (postgres) state store with the built CLI on real SSH hosts and a real PostgreSQL:
// controllers in parallel, a killed controller, a killed database, shards, run history, push/pull.
import { expect } from 'chai';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { usePostgres } from '../support/postgres.js';
import { play, recap, results, statuses, ROOT, type PlayRun } from '../support/play.js';

const CRASH = join(ROOT, 'spec', 'fixtures', 'state', 'crash.yml');
const SITE = join(ROOT, 'spec', 'fixtures', 'state', 'site.yml');

describe('shared state store (postgres) on real SSH hosts', function () {
  const tb = useTestbed(3);
  const server = usePostgres();
  let n = 0;
  let url = '';
  const base = () => `/srv/sh-${process.pid}-${n}`;
  beforeEach(async () => {
    n++;
    url = await server.current.freshDatabase();
  });
  const run = (pb: string, more: string[] = [], opts: Parameters<typeof play>[1] = {}) =>
    play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--state', url, '-e', `base=${base()}`, ...more],
      { ...opts, env: { ...server.current.env, ...opts.env } });
  const stateCli = (...args: string[]) => play(['state', ...args], { env: { ...server.current.env, PLAY_STATE_URL: url } });
  const names = () => tb.current.hosts.map((h) => h.name);
  const host = (name: string) => tb.current.hosts.find((h) => h.name === name)!;
  const ok = (r: PlayRun) => expect(r.code, r.stderr + r.stdout.slice(-2000)).to.equal(0);
  const worked = (r: PlayRun) => [...new Set(results(r).filter((x) => x.outcome.status !== 'skipped').map((x) => x.host))].sort();

  it('two controllers on overlapping hosts: a held host is busy or waited for, never worked on twice at once', async () => {
    // "enter" fails if someone is inside; every controller runs the same inputs, so the log shows each
    // host's work done exactly once.
    const pb = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:
    - name: work dir
      file: {path: "{{base}}", state: directory}
    - name: enter
      shell: "mkdir {{base}}/inside && echo in >> {{base}}/log"
    - name: slow
      shell: "sleep 5"
    - name: leave
      shell: "rmdir {{base}}/inside"\n`);
    const a = run(pb, ['-l', 'h1,h2']);
    await until(async () => (await host('h2').exec(`test -d ${base()}/inside`)).code === 0);
    // C (h2 only) waits for A's lock; B (h2 and h3) does not wait.
    const waited = run(pb, ['-l', 'h2', '--state-wait', '120']);
    const busy = await run(pb, ['-l', 'h2,h3']);
    expect(busy.code, busy.stderr).to.equal(3);
    const unreachable = busy.events.filter((e) => e.kind === 'host_unreachable');
    // Refused by the host-side lock (taken with the identity read) or by the store's lock, whichever comes first.
    expect(unreachable.map((e) => (e.kind === 'host_unreachable' ? e.host : ''))).to.deep.equal(['h2']);
    const msg = unreachable[0]!.kind === 'host_unreachable' ? unreachable[0]!.msg : '';
    expect(msg).to.match(/^h2: (busy: another play run holds this host's lock in the state store|another play run holds the host lock )/);
    expect(worked(busy), 'the other host went on').to.deep.equal(['h3']);
    const [ra, rc] = await Promise.all([a, waited]);
    ok(ra);
    ok(rc);
    // C started while A was inside h2, yet found all four tasks done: it got h2 only after A finished
    // (slow and leave were recorded only then), and honoured A's records.
    expect(statuses(rc, 'h2')).to.deep.equal({ 'work dir': 'skipped:done-before', enter: 'skipped:done-before', slow: 'skipped:done-before', leave: 'skipped:done-before' });
    for (const h of names()) expect((await host(h).exec(`cat ${base()}/log`)).stdout, `${h} entered once`).to.equal('in\n');
    for (const h of names()) expect((await host(h).exec(`test -e ${base()}/inside`)).code, `${h} left`).to.equal(1);
  });

  it('a SIGKILLed controller: its locks go with its session; the next run resumes and runs the pending handler', async () => {
    let pid = 0;
    const killed = run(CRASH, ['-e', 'nap=60'], { onSpawn: (p) => (pid = p) });
    await until(async () => (await host('h1').exec(`test -e ${base()}/slow-started`)).code === 0);
    process.kill(pid, 'SIGKILL');
    expect((await killed).code).to.equal(137);
    const next = await run(CRASH, ['-e', 'nap=0']); // no --state-wait: the locks must be free already
    ok(next);
    for (const h of names()) {
      expect(statuses(next, h)).to.deep.equal({ 'work dir': 'skipped:done-before', config: 'skipped:done-before', slow: 'changed', 'restart app': 'changed' });
      expect((await host(h).exec(`cat ${base()}/restarts`)).stdout).to.equal('restarted\n');
    }
    const runs = JSON.parse((await stateCli('runs', '--json')).stdout) as Array<{ exit_code: number | null; ended_at: string | null }>;
    expect(runs.map((r) => r.exit_code)).to.deep.equal([0, null]); // newest first; the killed one never ended
  });

  it('the database killed mid-run: exit 6, no new task, what was committed kept; the next run resumes', async () => {
    const dying = run(CRASH, ['-e', 'nap=3']);
    await until(async () => (await host('h1').exec(`test -e ${base()}/slow-started`)).code === 0);
    await server.current.kill();
    let r: PlayRun;
    try {
      r = await dying;
    } finally {
      await server.current.start();
    }
    expect(r.code, r.stderr).to.equal(6);
    expect(r.stderr).to.match(/play: the state database postgres:\/\/play@127\.0\.0\.1:\d+\/\S+ failed mid-run .*no new task was started; everything recorded before is intact/);
    expect(results(r).filter((x) => x.task === 'restart app'), 'no task after the loss').to.deep.equal([]);
    const next = await run(CRASH, ['-e', 'nap=0']);
    ok(next);
    for (const h of names()) expect(statuses(next, h)).to.deep.include({ 'work dir': 'skipped:done-before', config: 'skipped:done-before', 'restart app': 'changed' });
  });

  it('unreachable at start: exit 6 with a clear message, nothing run, no fallback to a local store', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'play-nofallback-')), 'store');
    const dead = url.replace(/:\d+\//, ':1/');
    const r = await play([CRASH, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--state-dir', dir, '-e', `base=${base()}`],
      { env: { ...server.current.env, PLAY_STATE_URL: dead } });
    expect(r.code).to.equal(6);
    expect(r.stderr).to.match(/^play: the state database postgres:\/\/play@127\.0\.0\.1:1\/\S+ is unreachable \(.*\); play does not fall back to the local store/);
    expect(results(r)).to.deep.equal([]);
    expect(existsSync(dir)).to.equal(false);
    const argv = await run(CRASH, ['--state', url.replace('play@', 'play:pw-in-argv@')]);
    expect(argv.code).to.equal(5);
    expect(argv.stderr).to.include('a password on the command line is visible to every user').and.not.include('pw-in-argv');
  });

  it('the password comes from PLAY_SECRET_PGPASSWORD, PGPASSWORD or a .pgpass file, never argv; a wrong one is masked', async () => {
    const pw = server.current.password;
    const noPw = { PGPASSWORD: '', PLAY_SECRET_PGPASSWORD: '', PGPASSFILE: '/nonexistent' };
    ok(await run(CRASH, [], { env: { ...noPw, PLAY_SECRET_PGPASSWORD: pw } }));
    const passfile = join(mkdtempSync(join(tmpdir(), 'play-pgpass-')), 'pgpass');
    const { port, pathname } = new URL(url);
    writeFileSync(passfile, `127.0.0.1:${port}:${pathname.slice(1)}:play:${pw}\n`, { mode: 0o600 });
    const viaFile = await run(CRASH, [], { env: { ...noPw, PGPASSFILE: passfile } });
    ok(viaFile);
    expect(viaFile.stdout + viaFile.stderr).not.to.include(pw);
    const wrong = 'wrong-' + pw.slice(0, 8);
    const refused = await run(CRASH, [], { env: { ...noPw, PGPASSWORD: wrong } });
    expect(refused.code).to.equal(6);
    expect(refused.stderr).to.match(/is unreachable \(password authentication failed for user "play"\)/);
    expect(refused.stdout + refused.stderr).not.to.include(wrong);
  });

  it('--shard I/N: N controllers in parallel cover every host exactly once; show aggregates them', async () => {
    const shards = await Promise.all([1, 2, 3].map((i) => run(SITE, ['--shard', `${i}/3`])));
    for (const s of shards) ok(s);
    const covered = shards.map((s) => Object.keys(recap(s)).sort());
    expect(covered.flat().sort()).to.deep.equal(names().sort());
    const show = await stateCli('show', '--json');
    expect(show.code, show.stderr).to.equal(0);
    const rows = JSON.parse(show.stdout) as Array<{ host: string; tasks: Array<{ run: { id: number } }> }>;
    expect(rows.map((x) => x.host)).to.deep.equal(names().sort());
    const again = await run(SITE);
    ok(again);
    for (const h of names()) expect(recap(again)[h]).to.include({ changed: 0, execs: 1 });
  });

  it('run history: who, from where, playbook, limit, per-host recap; show --host names the run of each task', async () => {
    ok(await run(CRASH, ['-l', 'h1']));
    ok(await run(CRASH, ['-t', 'never-matches']));
    const runs = JSON.parse((await stateCli('runs', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(runs).to.have.length(2);
    const [second, first] = runs;
    expect(first).to.include({ who: process.env.USER || 'root', playbook: relative(ROOT, CRASH), limit_pattern: 'h1', exit_code: 0 });
    expect(second!.tags).to.deep.equal(['never-matches']);
    expect(Object.keys(first!.recap as object)).to.deep.equal(['h1']);
    expect((first!.recap as Record<string, { changed: number }>).h1!.changed).to.equal(4);
    const text = await stateCli('runs');
    expect(text.stdout).to.match(new RegExp(`^#${String(second!.id)} \\S+ \\S+@\\S+ ${relative(ROOT, CRASH)} \\(tags never-matches\\): exit 0$`, 'm'));
    expect(text.stdout).to.include('    h1: ok=0 changed=4 failed=0 unreachable=0 done-before=0');
    const show = await stateCli('show', '--host', 'h1');
    expect(show.stdout).to.match(new RegExp(`^  crash\\.yml/config  \\S+  run #${String(first!.id)} by \\S+@\\S+ \\(${relative(ROOT, CRASH)}\\)$`, 'm'));
    const forget = await stateCli('forget', '--host', 'h1');
    expect(forget.stdout, forget.stderr).to.equal('forgot 3 record(s)\n');
    expect((await stateCli('show', '--host', 'h1')).stdout).to.match(/^h1 \(identity \S+\): 0 task\(s\) done\n$/);
  });

  it('state push then pull: a local store moves to postgres and back, honoured on both sides', async () => {
    const local = mkdtempSync(join(tmpdir(), 'play-local-'));
    const localRun = (dir: string) => play([SITE, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--state-dir', dir, '-e', `base=${base()}`]);
    ok(await localRun(local));
    const push = await play(['state', 'push', '--state-dir', local], { env: { ...server.current.env, PLAY_STATE_URL: url } });
    expect(push.code, push.stderr).to.equal(0);
    expect(push.stdout).to.match(/^pushed 27 record\(s\) and 0 pending handler\(s\) from .* to postgres:\/\/play@127\.0\.0\.1:\d+\/\S+\n$/);
    const shared = await run(SITE);
    ok(shared);
    for (const h of names()) expect(recap(shared)[h], h).to.include({ changed: 0, ok: 0, execs: 1 });
    const back = mkdtempSync(join(tmpdir(), 'play-back-'));
    const pull = await play(['state', 'pull', '--state-dir', back], { env: { ...server.current.env, PLAY_STATE_URL: url } });
    expect(pull.code, pull.stderr).to.equal(0);
    const again = await localRun(back);
    ok(again);
    for (const h of names()) expect(recap(again)[h], h).to.include({ changed: 0, ok: 0, execs: 1 });
  });
});

async function until(cond: () => Promise<boolean>, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition never became true');
}

function writePlaybook(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'play-pb-')), 'pb.yml');
  writeFileSync(p, text);
  return p;
}
