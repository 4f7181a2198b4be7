import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readControllerBytes } from '../../../runner/execute/controller-files.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('controller files read once for all hosts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'play-cf-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('gives the bytes and their sha256; hosts asking at once share one read', async () => {
    const p = join(dir, 'motd');
    await writeFile(p, 'hello\n');
    const all = await Promise.all(Array.from({ length: 20 }, () => readControllerBytes(p)));
    expect(all[0]!.content.toString()).to.equal('hello\n');
    expect(all[0]!.sha256).to.equal(sha('hello\n'));
    expect(new Set(all).size).to.equal(1);
  });

  it('reads again a file that changed since (same size too)', async () => {
    const p = join(dir, 'f');
    await writeFile(p, 'aaaa');
    expect((await readControllerBytes(p)).content.toString()).to.equal('aaaa');
    await new Promise((r) => setTimeout(r, 5));
    await writeFile(p, 'bbbb');
    const again = await readControllerBytes(p);
    expect(again.content.toString()).to.equal('bbbb');
    expect(again.sha256).to.equal(sha('bbbb'));
  });

  it('rejects for a missing file, and finds it once it exists', async () => {
    const p = join(dir, 'later');
    let err: unknown;
    await readControllerBytes(p).catch((e: unknown) => (err = e));
    expect((err as NodeJS.ErrnoException).code).to.equal('ENOENT');
    await writeFile(p, 'now');
    expect((await readControllerBytes(p)).content.toString()).to.equal('now');
  });
});
