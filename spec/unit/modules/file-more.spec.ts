// file: mode on every created parent, state=hard. Decisions from probe output, then real round trips in a temp dir.
import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileModule, parseFileProbe, type FileArgs } from '../../../runner/modules/file.js';
import { pathPrefixes } from '../../../runner/modules/mkdirs.js';
import { cmds, dctx, failMsg, reason } from './helpers.js';
import { converge, step } from './round-trip.js';

const probe = (text: string) => parseFileProbe(text, '');
const decide = (a: FileArgs, text: string) => fileModule.decide(a, probe(text), dctx());

describe('file: directories with missing parents', () => {
  it('lists the prefixes of absolute and relative paths', () => {
    expect(pathPrefixes('/a//b/c/')).to.deep.equal(['/a', '/a/b', '/a/b/c']);
    expect(pathPrefixes('./x/y')).to.deep.equal(['x', 'x/y']);
  });
  it('a symbolic mode is resolved against a new directory (0755)', () => {
    expect(cmds(decide({ path: 'rel/d', state: 'directory', mode: 'g-rx,o=' }, 'path=rel/d\ntype=absent\n'))).to.deep.equal(['for d in rel rel/d; do [ -e "$d" ] || { mkdir -- "$d" && chmod -- 0700 "$d"; } || exit 1; done']);
  });
});

describe('file state=hard decisions', () => {
  const absent = 'path=/h\ntype=absent\nhard=1\nsrcino=42\n';
  const same = 'path=/h\ntype=file\nmode=644\nuid=0\ngid=0\nowner=root\ngroup=root\nkind=regular file\nhard=1\nino=42\nnlink=2\nsrcino=42\n';
  const other = 'path=/h\ntype=file\nmode=644\nuid=0\ngid=0\nowner=root\ngroup=root\nkind=regular file\nhard=1\nino=7\nnlink=1\nsrcino=42\n';
  it('links an absent path, then applies the mode', () => {
    expect(cmds(decide({ path: '/h', src: '/t', state: 'hard', mode: '0600' }, absent))).to.deep.equal(['ln -T -- /t /h && chmod -- 0600 /h']);
  });
  it('noop when path is already src (same inode)', () => {
    expect(reason(decide({ path: '/h', src: '/t', state: 'hard' }, same))).to.match(/^\/h is already a hard link with mode 0644/);
  });
  it('refuses a different file without force, replaces it with force', () => {
    expect(failMsg(decide({ path: '/h', src: '/t', state: 'hard' }, other))).to.equal('Cannot link, file exists at destination');
    expect(cmds(decide({ path: '/h', src: '/t', state: 'hard', force: true }, other))).to.deep.equal(['ln -fT -- /t /h']);
    const hard = other.replace('nlink=1', 'nlink=3');
    expect(failMsg(decide({ path: '/h', src: '/t', state: 'hard' }, hard))).to.equal('Cannot link, different hard link exists at destination');
  });
  it('fails without src, and when src is missing', () => {
    expect(failMsg(decide({ path: '/h', state: 'hard' }, 'path=/h\ntype=absent\nhard=1\n'))).to.equal('src is required for creating new hardlinks');
    expect(failMsg(decide({ path: '/h', src: '/nope', state: 'hard' }, 'path=/h\ntype=absent\nhard=1\n'))).to.match(/^src does not exist/);
  });
  it('replaces a symlink by a hard link', () => {
    const link = 'path=/h\ntype=link\ntarget=/other\nhard=1\nino=9\nnlink=1\nsrcino=42\n';
    expect(cmds(decide({ path: '/h', src: '/t', state: 'hard' }, link))).to.deep.equal(['ln -fT -- /t /h']);
  });
});

describe('file applied locally', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'play-file-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const modeOf = (p: string): number => statSync(p).mode & 0o7777;

  it('state=directory gives every created parent the mode, and leaves existing ones', async () => {
    const path = join(dir, 'p1/p2/p3');
    await converge(fileModule, { path, state: 'directory', mode: '0750' });
    expect([modeOf(join(dir, 'p1')), modeOf(join(dir, 'p1/p2')), modeOf(path)]).to.deep.equal([0o750, 0o750, 0o750]);
    expect(modeOf(dir)).to.equal(0o700);
  });
  it('state=hard links to src and is then a noop', async () => {
    const src = join(dir, 'target');
    writeFileSync(src, 'x\n');
    const path = join(dir, 'h1');
    expect(await converge(fileModule, { path, src, state: 'hard' })).to.match(/already a hard link/);
    expect(statSync(path).ino).to.equal(statSync(src).ino);
    const again = await step(fileModule, { path, src, state: 'hard', mode: '0600' });
    expect(cmds(again)).to.deep.equal([`chmod -- 0600 ${path}`]);
  });
});
