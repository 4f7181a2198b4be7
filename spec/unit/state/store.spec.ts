// The store's lock (one writer; a dead holder's lock is taken over) and its session API.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateError } from '../../../runner/errors.js';
import { readSnapshot } from '../../../runner/state/journal.js';
import { StateStore } from '../../../runner/state/store.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'play-store-'));
const rec = (taskId: string, role?: string) => ({ identity: 'id-1', host: 'h1', taskId, role, fingerprint: 'fp', result: { rc: 0 }, at: new Date().toISOString() });

/** A pid that existed and has exited (its lock is stale). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('state store', () => {
  it('takes over the lock of a dead holder and keeps what it recorded', async () => {
    const dir = tmp();
    const first = await StateStore.open(dir);
    first.recordDone(rec('r/a'));
    first.flush();
    // simulate a SIGKILL: no close, the lock names a pid that is gone
    writeFileSync(join(dir, 'lock'), String(await deadPid()));
    const second = await StateStore.open(dir);
    expect(readFileSync(join(dir, 'lock'), 'utf8')).to.equal(String(process.pid));
    expect(second.lookup('id-1', 'r/a')?.fingerprint).to.equal('fp');
    second.close();
    expect(existsSync(join(dir, 'lock'))).to.equal(false);
    expect(existsSync(join(dir, 'lock.takeover'))).to.equal(false);
  });

  it('takes over a lock with unreadable contents', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'lock'), 'garbage');
    const s = await StateStore.open(dir);
    expect(readFileSync(join(dir, 'lock'), 'utf8')).to.equal(String(process.pid));
    s.close();
  });

  it('refuses while a live process holds the lock, naming it; waits when asked', async () => {
    const dir = tmp();
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'lock'), String(holder.pid));
      let err: unknown;
      await StateStore.open(dir).catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(StateError);
      expect((err as Error).message).to.include(`another play run (pid ${holder.pid})`).and.include('--state-wait');
      const waiting = StateStore.open(dir, { waitMs: 60_000 });
      setTimeout(() => holder.kill('SIGKILL'), 300);
      const s = await waiting;
      s.close();
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('journals a notification once; forget by host name and role', async () => {
    const dir = tmp();
    const s = await StateStore.open(dir);
    s.recordDone(rec('r/a', 'r'));
    s.recordDone(rec('pb.yml/b'));
    s.notify('id-1', 'h1', 'r/restart');
    s.notify('id-1', 'h1', 'r/restart');
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"notify"'))).to.have.length(1);
    expect(s.forget({ host: 'nope' })).to.equal(0);
    expect(s.forget({ host: 'h1', role: 'r' })).to.equal(1);
    s.handled('id-1', 'r/restart');
    s.close();
    const back = readSnapshot(dir);
    expect(Object.keys(back.done['id-1']!)).to.deep.equal(['pb.yml/b']);
    expect(back.pending['id-1']).to.deep.equal([]);
  });
});
