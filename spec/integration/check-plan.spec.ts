// --check as a plan on fresh test hosts: predicted state, unknowns, drift, the plan summary, and a
// host that is never changed (its overlay upper dir is compared before and after). docs/check-mode.md.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanSummary, RunEvent } from '../../runner/events.js';
import { useTestbed } from '../support/testbed.js';
import { play, results, ROOT, type PlayRun } from '../support/play.js';
import { snapshot } from '../support/upper.js';

const SITE = join(ROOT, 'spec', 'fixtures', 'check-plan', 'site.yml');

const planOf = (run: PlayRun): PlanSummary => {
  const e = run.events.find((x): x is Extract<RunEvent, { kind: 'plan' }> => x.kind === 'plan');
  if (!e) throw new Error(`no plan event:\n${run.stdout.slice(-2000)}\n${run.stderr}`);
  return { hosts: e.hosts, total: e.total };
};

const byStatus = (run: PlayRun, host: string, ...status: string[]) =>
  results(run, { host }).filter((r) => status.includes(r.outcome.status)).map((r) => r.task);

describe('--check as a plan on fresh hosts', function () {
  this.timeout(600000);
  const tb = useTestbed(1);
  const common = () => ['-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json'];
  const state = mkdtempSync(join(tmpdir(), 'play-check-plan-'));
  let first: PlayRun;
  let check: PlayRun;

  it('plans a 30-task role with dependencies on a fresh host: exit 0, no host change, every change a real run then makes', async () => {
    const h = tb.current.hosts[0]!;
    const before = snapshot(h.upperDir);
    check = await play([SITE, ...common(), '--check', '--state-dir', state]);
    expect(check.code, check.stderr + check.stdout.slice(-3000)).to.equal(0);
    expect(snapshot(h.upperDir), 'the host is not changed under --check').to.deep.equal(before);
    const tasks = results(check, { host: h.name }).filter((r) => !r.task.startsWith('restart'));
    expect(tasks.length).to.equal(30);
    expect(byStatus(check, h.name, 'failed'), 'nothing would fail').to.deep.equal([]);

    first = await play([SITE, ...common(), '--state-dir', state]);
    expect(first.code, first.stderr + first.stdout.slice(-3000)).to.equal(0);
    const changed = byStatus(first, h.name, 'changed');
    const planned = byStatus(check, h.name, 'changed', 'unknown');
    for (const t of changed) expect(planned, `the real run changed '${t}'; the plan must say so`).to.include(t);
    for (const t of byStatus(check, h.name, 'changed')) expect(changed, `the plan said '${t}' would change`).to.include(t);
    expect(changed.length).to.be.greaterThan(20);
  });

  it('counts a when: on a command\'s registered output as unknown, in the plan event and the --json recap', () => {
    const h = tb.current.hosts[0]!.name;
    const marker = results(check, { host: h, task: 'a marker when the port is configured' })[0]!;
    expect(marker.outcome).to.deep.include({ status: 'unknown', dependsOn: "app : read the app's port" });
    if (marker.outcome.status === 'unknown') expect(marker.outcome.summary).to.match(/^would change \(unknown until applied: depends on 'app : read the app's port'\)/);
    const plan = planOf(check);
    expect(plan.hosts[h]!.unknown).to.equal(byStatus(check, h, 'unknown').length).and.to.be.greaterThan(0);
    expect(plan.total.fail).to.equal(0);
    const recap = check.events.find((e): e is Extract<RunEvent, { kind: 'recap' }> => e.kind === 'recap')!;
    expect(recap.plan).to.deep.equal(plan);
    expect(recap.hosts[h]!.unknown).to.equal(plan.hosts[h]!.unknown);
  });

  it('after a real run, --check plans nothing to change and nothing unknown', async () => {
    const again = await play([SITE, ...common(), '--check', '--state-dir', state, '--detailed-exitcode']);
    expect(again.code, again.stdout.slice(-2000)).to.equal(0);
    const h = tb.current.hosts[0]!.name;
    expect(byStatus(again, h, 'changed', 'unknown', 'failed')).to.deep.equal([]);
    expect(planOf(again).total).to.include({ change: 0, unknown: 0, fail: 0 });
  });

  it('shows drift in recorded tasks as "would repair" with the right diff, and changes nothing', async () => {
    const h = tb.current.hosts[0]!;
    await h.exec('rm /srv/cpapp/conf/motd && sed -i s/8080/9090/ /srv/cpapp/conf/app.conf');
    const before = snapshot(h.upperDir);
    const drift = await play([SITE, ...common(), '--check', '--diff', '--state-dir', state, '--detailed-exitcode']);
    expect(drift.code, 'changes pending: exit 7 with --detailed-exitcode').to.equal(7);
    expect(snapshot(h.upperDir)).to.deep.equal(before);
    const motd = results(drift, { host: h.name, task: 'the motd part' })[0]!.outcome;
    const conf = results(drift, { host: h.name, task: 'the app config' })[0]!.outcome;
    expect(motd.status).to.equal('changed');
    expect(conf.status).to.equal('changed');
    if (motd.status === 'changed') {
      expect(motd.summary).to.match(/^would repair: create \/srv\/cpapp\/conf\/motd/);
      expect(motd.diff).to.include('+Welcome to the check-plan test host.');
    }
    if (conf.status === 'changed') {
      expect(conf.summary).to.match(/^would repair: update \/srv\/cpapp\/conf\/app.conf/);
      expect(conf.diff).to.include('-port = 9090').and.to.include('+port = 8080');
    }
    expect(drift.events.filter((e) => e.kind === 'warning' && /drift: 'the motd part'/.test(e.msg))).to.have.length(1);
    expect(planOf(drift).hosts[h.name]).to.include({ change: 3, fail: 0 }); // the two files and the handler they notify
  });

  it('--check --verify never says repaired', async () => {
    const h = tb.current.hosts[0]!;
    const before = snapshot(h.upperDir);
    const run = await play([SITE, ...common(), '--check', '--verify', '--state-dir', state]);
    expect(run.code).to.equal(0);
    expect(run.stdout).not.to.match(/repaired/);
    expect(results(run, { host: h.name, task: 'the motd part' })[0]!.outcome).to.deep.include({ status: 'changed' });
    expect(snapshot(h.upperDir)).to.deep.equal(before);
    expect((await h.exec('test -e /srv/cpapp/conf/motd')).code).to.equal(1);
  });
});
