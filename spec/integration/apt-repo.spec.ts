// apt_key and apt_repository on a real test host against the signed stand-in apt repository:
// keys by url, data and id; Ansible's source file names; apt-get update; revert on a failed update.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, results, statuses } from '../support/play.js';
import { startStandins, type Standins } from '../../testbed/standins/index.js';

describe('apt_key and apt_repository on a real host', function () {
  this.timeout(300000);
  const tb = useTestbed(1, { namePrefix: 'apt' });
  let s: Standins;
  let port = '';
  const KR = '/etc/apt/trusted.gpg.d/standin.gpg';

  before(async function () {
    this.timeout(300000);
    s = await startStandins();
    port = new URL(s.aptUrl).port;
    // Only the stand-in repository: apt-get update stays on loopback and quick.
    await tb.current.hosts[0]!.exec('mkdir -p /root/apt-off && mv /etc/apt/sources.list.d/*.sources /root/apt-off/ 2>/dev/null; true');
  });
  after(() => s?.stop());

  const run = async (tasks: string, extra: string[] = []) => {
    const pb = join(mkdtempSync(join(tmpdir(), 'play-apt-')), 'pb.yml');
    writeFileSync(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
    return play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', ...extra]);
  };
  const sh = async (cmd: string) => (await tb.current.hosts[0]!.exec(cmd)).stdout;
  const st = (r: Awaited<ReturnType<typeof run>>) => statuses(r, 'apt1');

  it('apt_key from a URL into a keyring: the id comes from the key; then ok', async () => {
    const task = `    - name: key\n      apt_key: {url: "${s.keyUrl}", keyring: ${KR}}\n`;
    const check = await run(task, ['--check']);
    expect(st(check).key, check.stdout.slice(-1500)).to.equal('changed');
    expect(await sh(`test -e ${KR} && echo yes || echo no`)).to.equal('no\n');
    const first = await run(task);
    expect(st(first).key, first.stdout.slice(-1500)).to.equal('changed');
    expect(await sh(`apt-key --keyring ${KR} finger 2>/dev/null | tr -d ' '`)).to.contain(s.keyFingerprint);
    expect(st(await run(task)).key).to.equal('ok');
  });

  it('apt_repository: Ansible\'s file name, apt-get update makes the package visible; then ok; --check writes nothing', async () => {
    const repo = `deb ${s.aptUrl} stable 7`;
    const file = `/etc/apt/sources.list.d/127_0_0_1_${port}.list`;
    const task = `    - name: repo\n      apt_repository: {repo: "${repo}"}\n`;
    const check = await run(task, ['--check']);
    expect(st(check).repo).to.equal('changed');
    expect(await sh(`test -e ${file} && echo yes || echo no`)).to.equal('no\n');
    const first = await run(task);
    expect(st(first).repo, first.stdout.slice(-2000)).to.equal('changed');
    expect(await sh(`cat ${file}; stat -c %a ${file}`)).to.equal(`${repo}\n644\n`);
    expect(await sh('LC_ALL=C apt-cache policy datadog-agent | grep Candidate')).to.contain(s.agentVersion);
    expect(st(await run(task)).repo).to.equal('ok');
  });

  it('filename and mode without update_cache; state=absent removes the line and the emptied file', async () => {
    const t = (state: string) => `    - name: custom\n      apt_repository: {repo: "deb http://127.0.0.1:9/x y main", filename: custom, mode: "0600", update_cache: false, state: ${state}}\n`;
    expect(st(await run(t('present'))).custom).to.equal('changed');
    expect(await sh('cat /etc/apt/sources.list.d/custom.list; stat -c %a /etc/apt/sources.list.d/custom.list')).to.equal('deb http://127.0.0.1:9/x y main\n600\n');
    expect(st(await run(t('absent'))).custom).to.equal('changed');
    expect(await sh('test -e /etc/apt/sources.list.d/custom.list && echo yes || echo no')).to.equal('no\n');
    expect(st(await run(t('absent'))).custom).to.equal('ok');
  });

  it('a repository apt cannot fetch fails the update and is taken back out', async () => {
    const r = await run(`    - name: broken\n      apt_repository: {repo: "deb http://127.0.0.1:1/nothing stable main", update_cache_retries: 1}\n`);
    const o = results(r, { task: 'broken' })[0]!.outcome;
    expect(o.status, r.stdout.slice(-1500)).to.equal('failed');
    if (o.status === 'failed') expect(o.msg).to.match(/Failed to update apt cache/);
    expect(await sh('ls /etc/apt/sources.list.d/')).not.to.contain('127_0_0_1_1_nothing.list');
  });

  it('apt_key with inline data and by id: present is ok, absent removes it once', async () => {
    const key = await (await fetch(s.keyUrl)).text();
    const data = await run(`    - name: data\n      apt_key: {data: ${JSON.stringify(key)}, keyring: /etc/apt/trusted.gpg.d/other.gpg}\n`);
    expect(st(data).data, data.stdout.slice(-1500)).to.equal('changed');
    const id = s.keyFingerprint;
    const t = (state: string) => `    - name: byid\n      apt_key: {id: "${id}", keyring: ${KR}, state: ${state}}\n`;
    expect(st(await run(t('present'))).byid).to.equal('ok');
    expect(st(await run(t('absent'))).byid).to.equal('changed');
    expect(st(await run(t('absent'))).byid).to.equal('ok');
  });
});
