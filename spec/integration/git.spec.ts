// git on a real test host against a bare repository on the host (path and file:// URL): clone at
// HEAD, tag, branch (shallow), sha; a new remote commit; local changes and force; --check.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, results, statuses } from '../support/play.js';

describe('git on a real host', function () {
  this.timeout(120000);
  const tb = useTestbed(1, { namePrefix: 'git' });
  const sh = async (cmd: string) => {
    const r = await tb.current.hosts[0]!.exec(cmd);
    if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
    return r.stdout;
  };
  let first = '';
  let mainSha = '';

  before(async () => {
    await sh([
      'set -e; export HOME=/root GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@x GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@x',
      'git init -q --bare -b main /srv/src.git; git init -q -b main /srv/work; cd /srv/work',
      'echo one > f; git add f; git commit -qm one; git tag -a v1 -m v1',
      'echo two > f; git commit -qam two; git checkout -qb dev; echo dev > d; git add d; git commit -qm dev; git checkout -q main',
      'git remote add origin /srv/src.git; git push -q origin main dev --tags',
    ].join('\n'));
    first = (await sh('git -C /srv/work rev-parse v1^{commit}')).trim();
    mainSha = (await sh('git -C /srv/work rev-parse main')).trim();
  });

  const run = async (tasks: string, extra: string[] = []) => {
    const pb = join(mkdtempSync(join(tmpdir(), 'play-git-')), 'pb.yml');
    writeFileSync(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
    return play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', ...extra]);
  };
  const st = (r: Awaited<ReturnType<typeof run>>) => statuses(r, 'git1');
  const registered = (r: Awaited<ReturnType<typeof run>>, name: string): Record<string, unknown> => {
    const o = results(r, { task: name })[0]!.outcome;
    if (o.status !== 'ok') throw new Error(`${name}: ${JSON.stringify(o)}`);
    return JSON.parse(o.reason.slice(o.reason.indexOf(': ') + 2)) as Record<string, unknown>;
  };

  it('clones HEAD (--check first creates nothing), reports before/after, and is ok on a rerun', async () => {
    const task = '    - name: clone\n      git: {repo: /srv/src.git, dest: /srv/co/head}\n      register: g\n    - name: show\n      debug: {var: g}\n';
    expect(st(await run(task, ['--check'])).clone).to.equal('changed');
    expect(await sh('test -e /srv/co/head && echo yes || echo no')).to.equal('no\n');
    const r = await run(task);
    expect(st(r).clone, r.stdout.slice(-1500)).to.equal('changed');
    expect(registered(r, 'show')).to.deep.include({ before: null, after: mainSha });
    expect(await sh('cat /srv/co/head/f; git -C /srv/co/head rev-parse --abbrev-ref HEAD')).to.equal('two\nmain\n');
    const again = await run(task);
    expect(st(again).clone).to.equal('ok');
    expect(registered(again, 'show')).to.deep.include({ before: mainSha, after: mainSha });
  });

  it('a tag, a shallow branch and a sha over file://; each ok on a rerun', async () => {
    const tasks = [
      `    - name: tag\n      git: {repo: "file:///srv/src.git", dest: /srv/co/tag, version: v1}\n`,
      `    - name: branch\n      git: {repo: "file:///srv/src.git", dest: /srv/co/dev, version: dev, depth: 1}\n`,
      `    - name: sha\n      git: {repo: /srv/src.git, dest: /srv/co/sha, version: "${first}"}\n`,
    ].join('');
    const r = await run(tasks);
    expect(st(r), r.stdout.slice(-1500)).to.deep.include({ tag: 'changed', branch: 'changed', sha: 'changed' });
    expect(await sh('cat /srv/co/tag/f /srv/co/dev/d /srv/co/sha/f; git -C /srv/co/dev rev-list --count HEAD')).to.equal('one\ndev\none\n1\n');
    expect(st(await run(tasks))).to.deep.include({ tag: 'ok', branch: 'ok', sha: 'ok' });
  });

  it('a new remote commit moves the checkout; local changes fail without force and are discarded with it', async () => {
    await sh('export HOME=/root GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@x GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@x; cd /srv/work && echo three > f && git commit -qam three && git push -q origin main');
    const task = (force: boolean) => `    - name: up\n      git: {repo: /srv/src.git, dest: /srv/co/head, force: ${force}}\n`;
    expect(st(await run(task(false))).up).to.equal('changed');
    expect(await sh('cat /srv/co/head/f')).to.equal('three\n');
    await sh('echo mine > /srv/co/head/f');
    const refused = await run(task(false));
    const o = results(refused, { task: 'up' })[0]!.outcome;
    expect(o.status === 'failed' && o.msg).to.equal('Local modifications exist in the destination: /srv/co/head (force=no).');
    expect(st(await run(task(true))).up).to.equal('changed');
    expect(await sh('cat /srv/co/head/f')).to.equal('three\n');
    expect(st(await run(task(true))).up).to.equal('ok');
  });
});
