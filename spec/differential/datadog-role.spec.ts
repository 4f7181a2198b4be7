// Issue 16's last aim: the official DataDog role's Debian path runs under play against the local
// signed apt repository (testbed/aptrepo, served by testbed/standins) and leaves the same files as
// under ansible-playbook: two fresh test hosts, one per tool, the same playbook and variables; a
// --check run first (same statuses, nothing changed), then after each of two runs the host trees (type, owner, group, mode, content, link target of every path
// either tool touched) are compared, and the second run changes nothing under either tool. The API
// key is a secret: it never shows in play's output, state or argv, nor in a file besides datadog.yaml.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { diffSnapshots, snapshot, type Snapshot } from '../../bench/compare.js';
import { startStandins, type Standins } from '../../testbed/standins/index.js';
import { play, recap, results, type PlayRun } from '../support/play.js';
import { useTestbed } from '../support/testbed.js';
import { ansibleChanged, ansibleRecap, ansibleTaskStatuses, extractRole, statusSequenceDiff, pinnedCommit, playbookYaml, roleMirror, roleVars, type Recap } from './datadog-role.js';
import { runAnsible } from './run-both.js';
import { templateRegex } from '../../runner/load/includes.js';

/**
 * Paths whose content differs for reasons neither tool controls (the deliberate differences): the running Agent's
 * state (its pid) and gpg's trust database, which records when gpg made it. Their existence, owner
 * and mode are still compared.
 */
const VOLATILE: Array<{ path: string; why: string }> = [
  { path: 'opt/datadog-agent/run/standin-status.json', why: "the running stand-in Agent's state file holds its pid" },
  { path: 'root/.gnupg/trustdb.gpg', why: 'gpg writes its creation time into a new trust database' },
];

const API_KEY = randomBytes(16).toString('hex');

function comparable(s: Snapshot): Snapshot {
  return new Map([...s].map(([p, d]) => [p, VOLATILE.some((v) => v.path === p) ? d.replace(/sha256=\S+ size=\d+ /, '') : d]));
}

/** Files under the host's upper dir that hold the key (bounded walk). */
async function filesWithKey(upper: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(join(upper, rel), { withFileTypes: true }).catch(() => [])) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile() && (await fs.readFile(join(upper, r)).catch(() => Buffer.alloc(0))).includes(API_KEY)) out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

interface Round { ansibleOut: string; play: PlayRun; ansibleTree: Snapshot; playTree: Snapshot }

describe('differential: the official DataDog role (Debian path, signed stand-in apt repository)', function () {
  const tb = useTestbed(2, { namePrefix: 'ddrole' });
  let standins: Standins | undefined;
  let dir = '';
  let playArgs: string[] = [];
  const rounds: Round[] = [];
  let check: Round | undefined;
  let fresh: { ansible: Snapshot; play: Snapshot } | undefined;

  before(async function () {
    this.timeout(1800000);
    const git = roleMirror();
    // the role is read from its git mirror (bench/corpus's layout); without one there is nothing to run
    if (!git) return this.skip();
    const commit = pinnedCommit();
    dir = await fs.mkdtemp(join(tmpdir(), 'play-diff-ddrole-'));
    extractRole(git, commit, join(dir, 'roles', 'datadog'));
    standins = await startStandins();
    await fs.writeFile(join(dir, 'site.yml'), playbookYaml());
    await fs.writeFile(join(dir, 'vars.yml'), stringify(roleVars(standins)));
    await fs.writeFile(join(dir, 'secret.yml'), stringify({ datadog_api_key: API_KEY }), { mode: 0o600 });
    const [ah, ph] = tb.current.hosts;
    if (!ah || !ph) throw new Error('needs two test hosts');
    const pb = join(dir, 'site.yml');
    playArgs = [pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '-l', ph.name, '--json', '--state-dir', join(dir, 'state')];
    fresh = { ansible: await snapshot(ah.upperDir), play: await snapshot(ph.upperDir) };
    const checkAnsible = await runAnsible(tb.current, pb, ah.name, 'check', ['-e', `@${join(dir, 'secret.yml')}`]);
    const checkPlay = await play([...playArgs, '--check', '--diff'], { env: { DD_API_KEY: API_KEY } });
    check = { ansibleOut: checkAnsible, play: checkPlay, ansibleTree: await snapshot(ah.upperDir), playTree: await snapshot(ph.upperDir) };
    for (const i of [0, 1]) {
      const ansibleOut = await runAnsible(tb.current, pb, ah.name, 'first', ['-e', `@${join(dir, 'secret.yml')}`]);
      // the second run probes every task again (--force): no state record stands in for a check
      const p = await play(i === 0 ? playArgs : [...playArgs, '--force'], { env: { DD_API_KEY: API_KEY } });
      rounds.push({ ansibleOut, play: p, ansibleTree: await snapshot(ah.upperDir), playTree: await snapshot(ph.upperDir) });
    }
  });

  after(async function () {
    await standins?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const hosts = () => tb.current.hosts.map((h) => h.name) as [string, string];
  const playRecap = (r: Round): Recap => recap(r.play)[hosts()[1]]!;
  const playChanged = (r: Round): string[] => results(r.play, { host: hosts()[1] }).filter((e) => e.outcome.status === 'changed').map((e) => e.task);
  const failures = (r: Round): string => results(r.play).filter((e) => e.outcome.status === 'failed').map((e) => JSON.stringify(e)).join('\n') + r.play.stderr.slice(-2000);

  it('--check on the fresh hosts: the same statuses in the same order, and nothing changes on either host', function () {
    const a = ansibleTaskStatuses(check!.ansibleOut, hosts()[0]);
    const p = results(check!.play, { host: hosts()[1] }).filter((e) => e.item === undefined).map((e) => ({ task: e.task, status: e.outcome.status }));
    expect(a.length).to.be.greaterThan(50);
    expect(statusSequenceDiff(a, p)).to.deep.equal([]);
    expect(diffSnapshots(fresh!.ansible, check!.ansibleTree, ['fresh', 'ansible --check'])).to.deep.equal([]);
    expect(diffSnapshots(fresh!.play, check!.playTree, ['fresh', 'play --check'])).to.deep.equal([]);
  });

  it('the role runs to the end under both tools, without a failure', function () {
    for (const r of rounds) {
      expect(ansibleRecap(r.ansibleOut, hosts()[0]), r.ansibleOut.slice(-3000)).to.deep.include({ failed: 0, unreachable: 0 });
      expect(playRecap(r), failures(r)).to.deep.include({ failed: 0, unreachable: 0 });
      expect(r.play.code, failures(r)).to.equal(0);
    }
  });

  it('the first run changes the host under both tools; the same tasks change, in the same order', function () {
    const [first] = rounds;
    const a = ansibleChanged(first!.ansibleOut, hosts()[0]);
    const p = playChanged(first!);
    expect(a.length).to.be.greaterThan(5);
    // Ansible names a task as rendered (`keyring=/usr/share/...`), play as written (`keyring={{ ... }}`)
    const same = p.length === a.length && p.every((name, i) => templateRegex(name).test(a[i]!.replace(/^datadog : /, '')));
    expect(same, `ansible: ${a.join(' | ')}\nplay: ${p.join(' | ')}`).to.equal(true);
  });

  it('every task (but fact gathering and the includes) has the same status under both tools, in the same order, in both runs', function () {
    for (const [i, r] of rounds.entries()) {
      const a = ansibleTaskStatuses(r.ansibleOut, hosts()[0]);
      const p = results(r.play, { host: hosts()[1] }).filter((e) => e.item === undefined).map((e) => ({ task: e.task, status: e.outcome.status }));
      // the Debian path is most of the role: about 100 tasks run or are skipped on it
      expect(a.length, `run ${i + 1}`).to.be.greaterThan(80);
      expect(statusSequenceDiff(a, p), `run ${i + 1}`).to.deep.equal([]);
    }
  });

  it('leaves the same tree after the first run and after the second', function () {
    for (const [i, r] of rounds.entries()) {
      const d = diffSnapshots(comparable(r.ansibleTree), comparable(r.playTree), ['ansible', 'play']);
      expect(d, `run ${i + 1}`).to.deep.equal([]);
    }
    // the Agent and its configuration are really there (the comparison is not of two empty trees)
    for (const p of ['etc/datadog-agent/datadog.yaml', 'etc/datadog-agent/conf.d/process.d/conf.yaml', 'etc/apt/sources.list.d/ansible_datadog_custom.list', 'usr/share/keyrings/datadog-archive-keyring.gpg', 'opt/datadog-agent/bin/agent/agent']) {
      expect(rounds[0]!.playTree.get(p), p).to.match(/^file /);
    }
  });

  it('is idempotent: the second run changes nothing under either tool', function () {
    const second = rounds[1]!;
    expect(ansibleChanged(second.ansibleOut, hosts()[0]), 'ansible').to.deep.equal([]);
    expect(playChanged(second), 'play').to.deep.equal([]);
    expect(playRecap(second).changed).to.equal(0);
  });

  it("keeps the API key secret: not in play's output, state or argv, nor in a host file besides datadog.yaml", async function () {
    for (const r of [check!, ...rounds]) {
      expect(r.play.stdout.includes(API_KEY) || r.play.stderr.includes(API_KEY)).to.equal(false);
    }
    expect(playArgs.join(' ')).not.to.include(API_KEY);
    const state = join(dir, 'state');
    const stateFiles = await fs.readdir(state, { recursive: true }).catch(() => [] as string[]);
    expect(stateFiles.length, 'the state dir has records').to.be.greaterThan(0);
    for (const f of stateFiles) {
      const st = await fs.stat(join(state, f));
      if (st.isFile()) expect((await fs.readFile(join(state, f))).includes(API_KEY), f).to.equal(false);
    }
    expect(await filesWithKey(tb.current.hosts[1]!.upperDir)).to.deep.equal(['etc/datadog-agent/datadog.yaml']);
    expect(await filesWithKey(tb.current.hosts[0]!.upperDir)).to.deep.equal(['etc/datadog-agent/datadog.yaml']);
  });
});
