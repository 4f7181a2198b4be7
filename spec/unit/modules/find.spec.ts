// find: results on a small tree against those recorded from ansible-core 2.14.18 on the same tree
// (fixtures/find-ansible.json; paths relative to the tree's parent), and the stat facts of a match.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule, type FindArgs } from '../../../runner/modules/find.js';
import { fnmatch } from '../../../runner/modules/fnmatch.js';
import { failMsg, dctx } from './helpers.js';
import { step } from './round-trip.js';

interface Recorded { args: Record<string, unknown>; paths: string[]; matched: number; examined: number; msg: string; skipped: Record<string, string> }
const recorded: Recorded[] = JSON.parse(readFileSync(new URL('./fixtures/find-ansible.json', import.meta.url), 'utf8'));

/** The tree the recording was made on. */
function tree(root: string): void {
  const t = join(root, 't');
  mkdirSync(join(t, 'sub/deep'), { recursive: true });
  mkdirSync(join(t, '.hid'));
  writeFileSync(join(t, 'a.conf'), 'port=22\nhost=x\n');
  writeFileSync(join(t, 'b.txt'), 'nothing\n', { mode: 0o600 });
  writeFileSync(join(t, 'sub/c.conf'), 'port=1\n');
  writeFileSync(join(t, 'sub/deep/d.conf'), 'z\n');
  writeFileSync(join(t, '.hidden.conf'), 'h\n');
  writeFileSync(join(t, '.hid/e.conf'), 'in hidden\n');
  writeFileSync(join(t, 'sub/big.bin'), Buffer.alloc(3000));
  symlinkSync('a.conf', join(t, 'link.conf'));
  symlinkSync('sub', join(t, 'dirlink'));
}

describe('find', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'play-find-')); tree(dir); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const abs = (v: unknown): unknown => (typeof v === 'string' ? v.split(',').map((p) => (p.startsWith('t') || p === 'none' ? join(dir, p) : p)).join(',') : v);

  for (const [i, c] of recorded.entries()) {
    it(`matches what Ansible found: case ${i} ${JSON.stringify(c.args)}`, async () => {
      const args = findModule.normalize!({ ...c.args, paths: abs(c.args.paths) }) as FindArgs;
      const d = await step(findModule, args);
      expect(d.kind).to.equal('noop');
      const r = (d.kind === 'noop' ? d.result : {}) as { files: Array<{ path: string }>; matched: number; examined: number; msg: string; skipped_paths: Record<string, string> };
      expect(r.files.map((f) => f.path.slice(dir.length + 1)).sort()).to.deep.equal(c.paths);
      expect([r.matched, r.examined, r.msg]).to.deep.equal([c.matched, c.examined, c.msg]);
      expect(Object.keys(r.skipped_paths).map((k) => k.slice(dir.length + 1))).to.deep.equal(Object.keys(c.skipped));
    });
  }
  it('gives each match the stat facts of Ansible statinfo()', async () => {
    const d = await step(findModule, { paths: [join(dir, 't')], patterns: ['b.txt'], get_checksum: true });
    const f = (d.kind === 'noop' ? (d.result!.files as Record<string, unknown>[]) : [])[0]!;
    expect(f).to.include({ path: join(dir, 't/b.txt'), mode: '0600', isreg: true, islnk: false, size: 8, rusr: true, wusr: true, xusr: false, roth: false, nlink: 1 });
    expect(f.checksum).to.equal(createHash('sha1').update('nothing\n').digest('hex'));
    expect(f).to.have.keys(['path', 'mode', 'isdir', 'ischr', 'isblk', 'isreg', 'isfifo', 'islnk', 'issock', 'uid', 'gid', 'size', 'inode', 'dev', 'nlink', 'atime', 'mtime', 'ctime', 'gr_name', 'pw_name', 'wusr', 'rusr', 'xusr', 'wgrp', 'rgrp', 'xgrp', 'woth', 'roth', 'xoth', 'isuid', 'isgid', 'checksum']);
  });
  it('fails on an age or size it cannot read', () => {
    const p = { now: 0, roots: [] };
    expect(failMsg(findModule.decide({ paths: ['/x'], age: '3y' }, p, dctx()))).to.equal('failed to process age');
    expect(failMsg(findModule.decide({ paths: ['/x'], size: 'lots' }, p, dctx()))).to.equal('failed to process size');
  });
  it('fnmatch as Python: * crosses dots, [!x] negates, a lone [ is literal', () => {
    expect(fnmatch('.bashrc', '*rc')).to.equal(true);
    expect(fnmatch('b.txt', '[!a]*')).to.equal(true);
    expect(fnmatch('a[', 'a[')).to.equal(true);
    expect(fnmatch('abc', 'a?')).to.equal(false);
  });
});
