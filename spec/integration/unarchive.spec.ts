// unarchive from the controller (the archive streamed on stdin) on a real host: .tgz and .zip,
// creates, list_files, a rerun that is ok, a changed file put back, a missing dest.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, results, statuses } from '../support/play.js';

describe('unarchive on a real host', function () {
  this.timeout(120000);
  const tb = useTestbed(1, { namePrefix: 'ua' });
  let dir = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'play-ua-'));
    const src = join(dir, 'src');
    mkdirSync(join(src, 'app', 'bin'), { recursive: true });
    writeFileSync(join(src, 'app', 'README'), 'readme\n');
    writeFileSync(join(src, 'app', 'bin', 'run'), '#!/bin/sh\necho run\n', { mode: 0o755 });
    mkdirSync(join(dir, 'files'));
    execFileSync('tar', ['czf', join(dir, 'files', 'app.tgz'), '-C', src, 'app']);
    execFileSync('zip', ['-qr', join(dir, 'files', 'app.zip'), 'app'], { cwd: src });
  });

  const run = async (tasks: string, extra: string[] = []) => {
    const pb = join(dir, `pb-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
    return play([pb, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json', '--no-state', ...extra]);
  };
  const sh = async (cmd: string) => (await tb.current.hosts[0]!.exec(cmd)).stdout;
  const st = (r: Awaited<ReturnType<typeof run>>) => statuses(r, 'ua1');

  it('a .tgz from files/: unpacked, then ok; a changed file is put back; --check writes nothing', async () => {
    await sh('mkdir -p /srv/t');
    const task = '    - name: tgz\n      unarchive: {src: app.tgz, dest: /srv/t}\n';
    expect(st(await run(task, ['--check'])).tgz).to.equal('changed');
    expect(await sh('ls /srv/t | wc -l')).to.equal('0\n');
    const first = await run(task);
    expect(st(first).tgz, first.stdout.slice(-1500)).to.equal('changed');
    expect(await sh('cat /srv/t/app/README; /srv/t/app/bin/run')).to.equal('readme\nrun\n');
    expect(st(await run(task)).tgz).to.equal('ok');
    await sh('echo local edit > /srv/t/app/README');
    expect(st(await run(task)).tgz).to.equal('changed');
    expect(await sh('cat /srv/t/app/README')).to.equal('readme\n');
  });

  it('a .zip with list_files and mode; creates skips; a missing dest fails', async () => {
    await sh('mkdir -p /srv/z');
    const task = '    - name: zip\n      unarchive: {src: app.zip, dest: /srv/z, list_files: true}\n      register: z\n    - name: show\n      debug: {var: z}\n';
    const first = await run(task);
    expect(st(first).zip, first.stdout.slice(-1500)).to.equal('changed');
    const o = results(first, { task: 'show' })[0]!.outcome;
    expect(o.status === 'ok' && JSON.parse(o.reason.slice(o.reason.indexOf(': ') + 2)).files).to.include.members(['app/README', 'app/bin/run']);
    expect(await sh('cat /srv/z/app/README')).to.equal('readme\n');
    expect(st(await run(task)).zip).to.equal('ok');
    const r = await run('    - name: skip\n      unarchive: {src: app.zip, dest: /srv/z, creates: /srv/z/app}\n    - name: nodest\n      unarchive: {src: app.zip, dest: /srv/nowhere}\n');
    expect(st(r)).to.deep.include({ skip: 'ok', nodest: 'failed' });
    const f = results(r, { task: 'nodest' })[0]!.outcome;
    expect(f.status === 'failed' && f.msg).to.equal("Destination '/srv/nowhere' is not a directory");
  });
});
