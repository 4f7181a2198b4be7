// A full disk: writing the store fails with a StateError and what was recorded before stays intact.
// Uses a 64 KiB tmpfs (the suite runs as root, like the testbed).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateError } from '../../../runner/errors.js';
import { readSnapshot } from '../../../runner/state/journal.js';
import { StateStore } from '../../../runner/state/store.js';

const rec = (i: number) => ({
  identity: 'id-1', host: 'h1', taskId: `r/task ${i}`, role: 'r', fingerprint: 'f'.repeat(64),
  result: { rc: 0, stdout: 'x'.repeat(300) }, at: new Date().toISOString(),
});

describe('state store on a full disk', function () {
  const mnt = mkdtempSync(join(tmpdir(), 'play-enospc-'));
  const dir = join(mnt, 'store');
  before(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    mkdirSync(dir);
  });
  after(() => {
    execFileSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });

  it('recordDone/flush throw StateError; the snapshot and earlier journal entries survive; the next open works', async () => {
    const s1 = await StateStore.open(dir);
    for (let i = 0; i < 3; i++) s1.recordDone(rec(i));
    s1.close();
    const snapshot = readFileSync(join(dir, 'state.json'), 'utf8');

    const s2 = await StateStore.open(dir);
    s2.recordDone(rec(3));
    s2.flush();
    fill(mnt);
    let err: unknown;
    try {
      for (let i = 4; i < 100; i++) {
        s2.recordDone(rec(i));
        s2.flush();
      }
      s2.close(); // compaction needs space too
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(StateError);
    expect((err as Error).message).to.match(/no space left on device.*What was recorded before is intact/);
    s2.abandon();
    expect(readFileSync(join(dir, 'state.json'), 'utf8'), 'snapshot untouched').to.equal(snapshot);
    expect(readdirSync(dir).filter((f) => f.startsWith('state.json.tmp')), 'no temp file left').to.deep.equal([]);
    const after = readSnapshot(dir);
    for (let i = 0; i < 4; i++) expect(after.done['id-1']![`r/task ${i}`], `task ${i}`).to.not.equal(undefined);

    rmSync(join(mnt, 'filler'));
    const s3 = await StateStore.open(dir);
    s3.recordDone(rec(200));
    s3.close();
    const final = readSnapshot(dir);
    expect(final.done['id-1']!['r/task 200']).to.not.equal(undefined);
    expect(final.done['id-1']!['r/task 0']).to.not.equal(undefined);
  });
});

/** Takes every free byte of the filesystem. */
function fill(mnt: string): void {
  const chunk = Buffer.alloc(1024, 1);
  const path = join(mnt, 'filler');
  writeFileSync(path, '');
  try {
    for (;;) writeFileSync(path, chunk, { flag: 'a' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
}
