// copy: directory src (controller tree, local_follow), directory_mode, remote_src (file and directory).
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyModule, type CopyArgs } from '../../../runner/modules/copy.js';
import { walkControllerDir } from '../../../runner/modules/controller-tree.js';
import { treeTargets } from '../../../runner/modules/copy-tree.js';
import { remoteTreeTarget } from '../../../runner/modules/copy-remote.js';
import { parseContentProbe } from '../../../runner/modules/content-file.js';
import type { PrepareEnv } from '../../../runner/modules/types.js';
import { cmds, dctx, failMsg, fx } from './helpers.js';
import { apply, converge, step } from './round-trip.js';

let dir = '';
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'play-copy-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const modeOf = (p: string): number => statSync(p).mode & 0o7777;

/** A PrepareEnv over a local files/ directory. */
function env(root: string): PrepareEnv {
  return {
    vars: {},
    readControllerFile: async (_k, rel) => readFileSync(join(root, rel)),
    readControllerTree: async (_k, rel, follow) => (statSync(join(root, rel)).isDirectory() ? walkControllerDir(join(root, rel), follow) : undefined),
    renderTemplate: (t) => t,
  };
}

function controllerTree(): string {
  const files = join(dir, 'files');
  mkdirSync(join(files, 'tree/sub'), { recursive: true });
  writeFileSync(join(files, 'tree/a.txt'), 'a\n');
  writeFileSync(join(files, 'tree/sub/b.txt'), 'b\n');
  writeFileSync(join(files, 'outside.txt'), 'o\n');
  symlinkSync('../outside.txt', join(files, 'tree/ln'));
  return files;
}

describe('copy: directory src', () => {
  it('names targets as rsync does: tree/ copies the contents, tree the directory', () => {
    const e = [{ kind: 'file' as const, rel: 'a', bytes: Buffer.from('') }];
    expect(treeTargets({ src: 'tree/', dest: '/d' }, e)).to.deep.equal(['/d/a']);
    expect(treeTargets({ src: 'x/tree', dest: '/d/' }, e)).to.deep.equal(['/d/tree/a']);
  });
  it('walks files, then directories; local_follow decides what a symlink becomes', async () => {
    const files = controllerTree();
    const followed = await walkControllerDir(join(files, 'tree'), true);
    expect(followed.map((x) => `${x.kind} ${x.rel}`)).to.deep.equal(['file a.txt', 'file ln', 'dir sub', 'file sub/b.txt']);
    const kept = await walkControllerDir(join(files, 'tree'), false);
    expect(kept.find((x) => x.rel === 'ln')).to.deep.equal({ kind: 'link', rel: 'ln', target: '../outside.txt' });
  });
  it('copies a tree with mode for files and directory_mode for directories, then is a noop', async () => {
    const files = controllerTree();
    const dest = join(dir, 'out');
    const args = await copyModule.prepare!({ src: 'tree', dest: `${dest}/`, mode: '0600', directory_mode: '0750' }, env(files));
    expect(await converge(copyModule, args)).to.match(/out\/ already has the 4 entries of tree/);
    expect(readFileSync(join(dest, 'tree/sub/b.txt'), 'utf8')).to.equal('b\n');
    expect(readFileSync(join(dest, 'tree/ln'), 'utf8')).to.equal('o\n');
    expect([modeOf(dest), modeOf(join(dest, 'tree')), modeOf(join(dest, 'tree/sub')), modeOf(join(dest, 'tree/a.txt'))]).to.deep.equal([0o750, 0o750, 0o750, 0o600]);
  });
  it('local_follow: false copies a symlink as a symlink', async () => {
    const files = controllerTree();
    const dest = join(dir, 'out2');
    mkdirSync(dest);
    const args = await copyModule.prepare!({ src: 'tree/', dest, local_follow: false }, env(files));
    await converge(copyModule, args);
    expect(readlinkSync(join(dest, 'ln'))).to.equal('../outside.txt');
  });
  it('force: false leaves an existing file of other content', async () => {
    const files = controllerTree();
    mkdirSync(join(dir, 'o3'));
    writeFileSync(join(dir, 'o3/a.txt'), 'mine\n');
    const args = await copyModule.prepare!({ src: 'tree/', dest: join(dir, 'o3'), force: false }, env(files));
    await apply(await step(copyModule, args));
    expect(readFileSync(join(dir, 'o3/a.txt'), 'utf8')).to.equal('mine\n');
  });
});

describe('copy: directory_mode and content checks', () => {
  it('a file into a missing dest/ gives each new directory directory_mode, owner and group', () => {
    const d = copyModule.decide({ dest: '/srv/fx/nodir/', src: 'x', _bytes: Buffer.from('x'), directory_mode: '0711', owner: 'nobody' }, parseContentProbe('path=/srv/fx/nodir/x\ntype=absent\nparent=no\n', ''), dctx());
    expect(cmds(d)[0]).to.equal('for d in /srv /srv/fx /srv/fx/nodir; do [ -e "$d" ] || { mkdir -- "$d" && chown -- nobody "$d" && chmod -- 0711 "$d"; } || exit 1; done');
  });
  it("refuses content with a dir as dest, as Ansible's action does", () => {
    expect(failMsg(copyModule.decide({ dest: '/srv/', content: 'x' }, parseContentProbe(fx('copy-absent'), ''), dctx()))).to.equal('can not use content with a dir as dest');
  });
});

describe('copy remote_src', () => {
  it('maps a directory src to its target like the module', () => {
    expect(remoteTreeTarget('/a/tree/', '/d')).to.equal('/d');
    expect(remoteTreeTarget('/a/tree', '/d/')).to.equal('/d/tree');
  });
  it('copies a file on the host with the mode asked for, then noop; a missing source fails', async () => {
    writeFileSync(join(dir, 'src'), 'data\n');
    const args: CopyArgs = { src: join(dir, 'src'), dest: join(dir, 'dst'), remote_src: true, mode: '0640' };
    expect(await converge(copyModule, args)).to.match(/already has the same content/);
    expect(readFileSync(join(dir, 'dst'), 'utf8')).to.equal('data\n');
    expect(modeOf(join(dir, 'dst'))).to.equal(0o640);
    expect(failMsg(await step(copyModule, { ...args, src: join(dir, 'nope') }))).to.equal(`Source ${join(dir, 'nope')} not found`);
  });
  it('merges a directory: missing entries with the source mode, changed files rewritten, extra ones kept', async () => {
    mkdirSync(join(dir, 's/in'), { recursive: true });
    writeFileSync(join(dir, 's/one'), '1\n', { mode: 0o640 });
    writeFileSync(join(dir, 's/in/two'), '2\n');
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd/one'), 'old\n');
    writeFileSync(join(dir, 'd/extra'), 'e\n');
    await converge(copyModule, { src: `${join(dir, 's')}/`, dest: join(dir, 'd'), remote_src: true });
    expect(readFileSync(join(dir, 'd/one'), 'utf8')).to.equal('1\n');
    expect(modeOf(join(dir, 'd/one'))).to.equal(0o640);
    expect(readFileSync(join(dir, 'd/in/two'), 'utf8')).to.equal('2\n');
    expect(readFileSync(join(dir, 'd/extra'), 'utf8')).to.equal('e\n');
    await converge(copyModule, { src: join(dir, 's'), dest: join(dir, 'd2'), remote_src: true });
    expect(lstatSync(join(dir, 'd2/s/in')).isDirectory()).to.equal(true);
  });
});
