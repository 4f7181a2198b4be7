// The state store against real SSH hosts: reruns skip completed work, and only completed work.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, recap, results, statuses, ROOT, type PlayRun } from '../support/play.js';

const FIX = join(ROOT, 'spec', 'fixtures', 'state');
const SITE_TASKS = ['checks dir', 'install the check', 'configure the check', 'read the stamp', 'write the stamp',
  'remember a flavour', 'write the flavour', 'one file per colour'];

describe('state store on real SSH hosts', function () {
  const tb = useTestbed(2);
  let n = 0;
  /** A fresh state dir and a fresh directory on the hosts for one test. */
  const fresh = () => ({ dir: mkdtempSync(join(tmpdir(), 'play-state-')), base: `/srv/st-${process.pid}-${++n}` });
  const run = (pb: string, dir: string, base: string, more: string[] = [], opts: Parameters<typeof play>[1] = {}) =>
    play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--state-dir', dir, '-e', `base=${base}`, ...more], opts);
  const stateCli = (dir: string, ...args: string[]) => play(['state', ...args, '--state-dir', dir]);
  const names = () => tb.current.hosts.map((h) => h.name);
  const ok = (r: PlayRun) => expect(r.code, r.stderr + r.stdout.slice(-2000)).to.equal(0);
  const site = join(FIX, 'site.yml');

  it('a second run skips every task and opens no exec channel but the identity read', async () => {
    const { dir, base } = fresh();
    const first = await run(site, dir, base);
    ok(first);
    for (const h of names()) {
      expect(recap(first)[h]!.doneBefore, h).to.equal(0);
      expect(statuses(first, h)['restart agent'], `${h} handler`).to.equal('changed');
    }
    const second = await run(site, dir, base);
    ok(second);
    for (const h of names()) {
      const s = statuses(second, h);
      for (const t of SITE_TASKS) expect(s[t], `${h} ${t}`).to.equal('skipped:done-before');
      expect(s['restart agent'], 'no handler without a change').to.equal(undefined);
      expect(recap(second)[h]).to.include({ doneBefore: SITE_TASKS.length, changed: 0, ok: 0, execs: 1 });
    }
  });

  it('with gather_facts the rerun needs exactly the facts exec', async () => {
    const { dir, base } = fresh();
    ok(await run(join(FIX, 'facts.yml'), dir, base));
    const again = await run(join(FIX, 'facts.yml'), dir, base);
    ok(again);
    for (const h of names()) expect(recap(again)[h]).to.include({ doneBefore: 2, execs: 1 });
  });

  it('a registered value is restored for a skipped task: the task using it stays done-before', async () => {
    const { dir, base } = fresh();
    ok(await run(site, dir, base));
    const h1 = tb.current.hosts[0]!;
    const stamp = (await h1.exec(`cat ${base}/stamp.txt`)).stdout;
    expect(stamp).to.match(/^stamp=\d+\n$/);
    const again = await run(site, dir, base);
    ok(again);
    expect(statuses(again, h1.name)['write the stamp']).to.equal('skipped:done-before');
    // --verify probes the copy with the restored value: same content, so no drift and no change.
    const verify = await run(site, dir, base, ['--verify']);
    ok(verify);
    expect(statuses(verify, h1.name)['read the stamp'], 'a bare command cannot be verified').to.equal('skipped:done-before');
    expect(statuses(verify, h1.name)['write the stamp']).to.equal('ok');
    expect((await h1.exec(`cat ${base}/stamp.txt`)).stdout).to.equal(stamp);
  });

  it('editing a role file reruns only the task that copies it (and its handler)', async () => {
    const proj = mkdtempSync(join(tmpdir(), 'play-proj-'));
    cpSync(FIX, proj, { recursive: true });
    const { dir, base } = fresh();
    ok(await run(join(proj, 'site.yml'), dir, base));
    appendFileSync(join(proj, 'roles', 'metric-check', 'files', 'my_metric.py'), '# edited\n');
    const again = await run(join(proj, 'site.yml'), dir, base);
    ok(again);
    for (const h of tb.current.hosts) {
      const s = statuses(again, h.name);
      expect(s['install the check'], h.name).to.equal('changed');
      for (const t of SITE_TASKS.filter((x) => x !== 'install the check')) expect(s[t], `${h.name} ${t}`).to.equal('skipped:done-before');
      expect(s['restart agent']).to.equal('changed');
      expect((await h.exec(`tail -n1 ${base}/checks.d/my_metric.py`)).stdout).to.equal('# edited\n');
    }
  });

  it('`cache: false` opts a task out: it runs every time', async () => {
    const { dir, base } = fresh();
    const pb = writePlaybook(`- hosts: testhosts\n  gather_facts: false\n  tasks:\n    - name: recorded\n      file: {path: "{{base}}", state: directory}\n    - name: always\n      shell: echo x >> {{base}}/always\n      cache: false\n`);
    ok(await run(pb, dir, base));
    const again = await run(pb, dir, base);
    ok(again);
    for (const h of tb.current.hosts) {
      expect(statuses(again, h.name)).to.deep.equal({ recorded: 'skipped:done-before', always: 'changed' });
      expect((await h.exec(`cat ${base}/always`)).stdout).to.equal('x\nx\n');
    }
  });

  it('`state show --json` lists hosts and task ids; `state forget --host --role` makes exactly those run again', async () => {
    const { dir, base } = fresh();
    ok(await run(site, dir, base));
    const show = await stateCli(dir, 'show', '--json');
    expect(show.code, show.stderr).to.equal(0);
    const rows = JSON.parse(show.stdout) as Array<{ host: string; tasks: Array<{ id: string }> }>;
    expect(rows.map((r) => r.host).sort()).to.deep.equal(names().sort());
    const ids = rows[0]!.tasks.map((t) => t.id);
    expect(ids).to.include.members(['metric-check/install the check', 'site.yml/read the stamp', 'site.yml/one file per colour[0]', 'site.yml/one file per colour[1]']);
    const forget = await stateCli(dir, 'forget', '--host', 'h1', '--role', 'metric-check');
    expect(forget.code, forget.stderr).to.equal(0);
    expect(forget.stdout).to.equal('forgot 3 record(s)\n');
    const again = await run(site, dir, base);
    ok(again);
    const roleTasks = ['checks dir', 'install the check', 'configure the check'];
    for (const [t, st] of Object.entries(statuses(again, 'h1'))) expect(st, `h1 ${t}`).to.equal(roleTasks.includes(t) ? 'ok' : 'skipped:done-before');
    for (const [t, st] of Object.entries(statuses(again, 'h2'))) expect(st, `h2 ${t}`).to.equal('skipped:done-before');
  });

  it('--force runs everything and rewrites the records', async () => {
    const { dir, base } = fresh();
    ok(await run(site, dir, base));
    const at = async () => new Map((JSON.parse((await stateCli(dir, 'show', '--json')).stdout) as Array<{ host: string; tasks: Array<{ id: string; at: string }> }>)
      .flatMap((r) => r.tasks.map((t) => [`${r.host} ${t.id}`, t.at] as const)));
    const before = await at();
    const forced = await run(site, dir, base, ['--force']);
    ok(forced);
    for (const h of names()) expect(recap(forced)[h]!.doneBefore, h).to.equal(0);
    expect(statuses(forced, 'h1')['write the stamp'], 'a new stamp').to.equal('changed');
    const after = await at();
    expect([...after.keys()].sort()).to.deep.equal([...before.keys()].sort());
    for (const [k, t] of after) expect(t > before.get(k)!, `${k} rewritten`).to.equal(true);
  });

  it('--verify reports drift made by hand and repairs it; without drift it reports ok', async () => {
    const { dir, base } = fresh();
    ok(await run(site, dir, base));
    const [h1, h2] = tb.current.hosts;
    await h1!.exec(`rm ${base}/flavour.txt`);
    const verify = await run(site, dir, base, ['--verify']);
    ok(verify);
    const warnings = verify.events.filter((e) => e.kind === 'warning');
    expect(warnings.map((w) => (w.kind === 'warning' ? [w.host, w.msg] : []))).to.deep.equal([['h1', "drift: 'write the flavour' was recorded as done but the host no longer matched; repaired"]]);
    expect(statuses(verify, 'h1')['write the flavour']).to.equal('changed');
    expect(statuses(verify, h2!.name)['write the flavour']).to.equal('ok');
    expect((await h1!.exec(`cat ${base}/flavour.txt`)).stdout).to.equal('vanilla\n');
    const clean = await run(site, dir, base, ['--verify']);
    ok(clean);
    expect(clean.events.filter((e) => e.kind === 'warning')).to.deep.equal([]);
    for (const h of names()) expect(recap(clean)[h]).to.include({ changed: 0, failed: 0 });
  });

  it('secrets never enter the store', async () => {
    const { dir, base } = fresh();
    const key = randomBytes(16).toString('hex'); // throwaway, made per run
    const env = { DD_API_KEY: key };
    ok(await run(join(FIX, 'secret.yml'), dir, base, [], { env }));
    const again = await run(join(FIX, 'secret.yml'), dir, base, [], { env });
    ok(again);
    expect(statuses(again, 'h1')['agent config with the key']).to.equal('skipped:done-before');
    expect((await tb.current.hosts[0]!.exec(`cat ${base}/datadog.yaml`)).stdout).to.include(`api_key: ${key}`);
    const files = readdirSync(dir);
    expect(files).to.include('state.json');
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).not.to.include(key);
  });

  it('a SIGKILL mid-run: the next run completes the work and runs the pending handler', async () => {
    const { dir, base } = fresh();
    const h1 = tb.current.hosts[0]!;
    let pid = 0;
    const killed = run(join(FIX, 'crash.yml'), dir, base, ['-e', 'nap=60'], { onSpawn: (p) => (pid = p) });
    await until(async () => (await h1.exec(`test -e ${base}/slow-started`)).code === 0);
    process.kill(pid, 'SIGKILL');
    expect((await killed).code).to.equal(137);
    for (const h of tb.current.hosts) expect((await h.exec(`test -e ${base}/restarts`)).code, 'handler not run yet').to.equal(1);
    const next = await run(join(FIX, 'crash.yml'), dir, base, ['-e', 'nap=0']);
    ok(next);
    for (const h of tb.current.hosts) {
      const s = statuses(next, h.name);
      expect(s).to.deep.equal({ 'work dir': 'skipped:done-before', config: 'skipped:done-before', slow: 'changed', 'restart app': 'changed' });
      expect((await h.exec(`cat ${base}/restarts`)).stdout).to.equal('restarted\n');
    }
    const third = await run(join(FIX, 'crash.yml'), dir, base, ['-e', 'nap=0']);
    ok(third);
    expect(results(third).every((r) => r.outcome.status === 'skipped'), 'handler no longer pending').to.equal(true);
  });

  it('concurrent runs: the second refuses (exit 6) or waits with --state-wait; the store stays consistent', async () => {
    const { dir, base } = fresh();
    const h1 = tb.current.hosts[0]!;
    const pb = join(FIX, 'crash.yml');
    const first = run(pb, dir, base, ['-e', 'nap=8']);
    await until(async () => (await h1.exec(`test -e ${base}/slow-started`)).code === 0);
    const refused = await run(pb, dir, base, ['-e', 'nap=8']);
    expect(refused.code).to.equal(6);
    expect(refused.stderr).to.match(/another play run \(pid \d+\) is using the state store .*--state-wait/);
    const waited = run(pb, dir, base, ['-e', 'nap=8', '--state-wait', '120']);
    const [a, b] = await Promise.all([first, waited]);
    ok(a);
    ok(b);
    // It read the store only after the first run finished: everything is done-before.
    for (const h of names()) expect(recap(b)[h]).to.include({ doneBefore: 3, changed: 0 });
    const third = await run(pb, dir, base, ['-e', 'nap=8']);
    ok(third);
    for (const h of names()) expect(recap(third)[h]).to.include({ doneBefore: 3, changed: 0, execs: 1 });
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).version).to.equal(1);
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).to.equal('');
    expect(readdirSync(dir).sort()).to.deep.equal(['journal.jsonl', 'state.json']);
  });

  it('a rebuilt host (new machine-id) runs everything again; the others stay done-before', async () => {
    const { dir, base } = fresh();
    ok(await run(site, dir, base));
    const h1 = tb.current.hosts[0]!;
    const oldId = (await h1.exec('cat /etc/machine-id')).stdout.trim();
    expect((await h1.exec(`printf '%s\\n' 0123456789abcdef0123456789${String(n).padStart(6, '0')} > /etc/machine-id`)).code).to.equal(0);
    const again = await run(site, dir, base);
    ok(again);
    expect(recap(again).h1!.doneBefore).to.equal(0);
    for (const t of SITE_TASKS) expect(statuses(again, 'h1')[t], t).to.match(/^(ok|changed)$/);
    expect(recap(again).h2).to.include({ doneBefore: SITE_TASKS.length, execs: 1 });
    const snap = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { done: Record<string, unknown> };
    expect(Object.keys(snap.done), 'the old identity is dropped at compaction: one per host').to.have.length(2);
    expect(readFileSync(join(dir, 'state.json'), 'utf8'), 'identities are hashes, not raw machine-ids').not.to.include(oldId);
  });

  it('a new host in the inventory: only it does work; the others are all done-before', async () => {
    const { dir, base } = fresh();
    ok(await run(site, dir, base));
    const added = await tb.current.addHost();
    const again = await run(site, dir, base);
    ok(again);
    for (const h of names()) {
      // Seven changed tasks (set_fact is ok) plus the handler they notified.
      if (h === added.name) expect(recap(again)[h]).to.include({ doneBefore: 0, changed: 8 });
      else expect(recap(again)[h], h).to.include({ doneBefore: SITE_TASKS.length, changed: 0, execs: 1 });
    }
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
