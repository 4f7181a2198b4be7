// The store against hostile or odd input: keys from outside, unknown formats, huge values, odd files.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateError } from '../../../runner/errors.js';
import { RECORD_CAP_BYTES } from '../../../runner/state/cap.js';
import { readSnapshot } from '../../../runner/state/journal.js';
import { COMPACT_BYTES, StateStore } from '../../../runner/state/store.js';
import type { DoneRecord } from '../../../runner/state/types.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'play-harden-'));
const rec = (identity: string, taskId: string, result: Record<string, unknown> = { rc: 0 }, host = 'h1'): DoneRecord =>
  ({ identity, host, taskId, fingerprint: 'fp', result, at: new Date().toISOString() });

async function refusal(p: Promise<unknown>): Promise<StateError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(StateError);
    return e as StateError;
  }
  throw new Error('expected a StateError');
}

describe('state store hardening', () => {
  it('identities and host names like __proto__, constructor, toString are plain keys', async () => {
    const dir = tmp();
    const s = await StateStore.open(dir);
    for (const k of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(s.lookup(k, 'pb.yml/a'), `${k} before`).to.equal(undefined);
      expect(s.pendingHandlers(k), k).to.deep.equal([]);
      s.recordDone(rec(k, k, { rc: 0 }, k));
      s.notify(k, k, 'pb.yml/h');
      expect(s.lookup(k, k)?.taskId, k).to.equal(k);
      expect(s.pendingHandlers(k)).to.deep.equal(['pb.yml/h']);
    }
    expect(s.forget({ host: 'constructor' })).to.equal(1);
    s.close();
    const back = readSnapshot(dir);
    expect(Object.entries(back.done).filter(([, t]) => Object.keys(t).length).map(([k]) => k).sort()).to.deep.equal(['__proto__', 'hasOwnProperty', 'toString']);
    expect(back.pending['constructor'], 'forgetting the host drops its pending handlers').to.equal(undefined);
    expect(({} as Record<string, unknown>).toString).to.equal(Object.prototype.toString);
  });

  it('a __proto__ journal entry does not pollute Object.prototype', () => {
    const dir = tmp();
    const evil = { identity: '__proto__', host: '__proto__', taskId: 'polluted', fingerprint: 'fp', result: { rc: 0 }, at: 'x' };
    writeFileSync(join(dir, 'journal.jsonl'), `{"t":"done","rec":${JSON.stringify(evil)}}\n{"t":"notify","identity":"__proto__","host":"__proto__","handlerId":"polluted2"}\n`);
    const snap = readSnapshot(dir);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.prototype).not.to.have.property('polluted');
    expect(snap.done['__proto__']!.polluted!.taskId).to.equal('polluted');
    expect(snap.hosts['__proto__']).to.equal('__proto__');
  });

  for (const [what, text] of [
    ['"version": 2', '{"version":2,"done":{},"pending":{},"hosts":{}}'],
    ['"version": "1"', '{"version":"1","done":{},"pending":{},"hosts":{}}'],
    ['an array', '[]'],
    ['version 1 without done', '{"version":1}'],
    ['a record of the wrong shape', '{"version":1,"done":{"id":{"t":5}},"pending":{},"hosts":{}}'],
  ] as const) {
    it(`refuses a state.json with ${what}, says what to do, and never overwrites it`, async () => {
      const dir = tmp();
      writeFileSync(join(dir, 'state.json'), text);
      const e = await refusal(StateStore.open(dir));
      expect(e.message).to.match(/state snapshot .*state\.json is not one this play can read: .+Nothing was changed; use the play that wrote it, or move it aside/);
      expect(readFileSync(join(dir, 'state.json'), 'utf8')).to.equal(text);
      expect(() => readSnapshot(dir)).to.throw(StateError);
      expect(readdirSync(dir), 'the lock was released').not.to.include('lock');
    });
  }

  it('refuses a journal entry of an unknown kind (not a torn line)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'journal.jsonl'), '{"t":"done2","x":1}\n{"t":"handled","identity":"a","handlerId":"b"}\n');
    const e = await refusal(StateStore.open(dir));
    expect(e.message).to.match(/journal\.jsonl:1 is not a journal entry this play knows/);
  });

  it('caps a huge registered value: hash and head kept, never replayed, the store stays small', async () => {
    const dir = tmp();
    const s = await StateStore.open(dir);
    const big = 'x'.repeat(RECORD_CAP_BYTES * 4);
    s.recordDone(rec('id-1', 'pb.yml/big', { rc: 0, stdout: big, stdout_lines: [big] }));
    s.recordDone(rec('id-1', 'pb.yml/small', { rc: 0, stdout: 'ok' }));
    expect(s.lookup('id-1', 'pb.yml/big'), 'a capped record must not stand in for the task').to.equal(undefined);
    expect(s.lookup('id-1', 'pb.yml/small')?.result).to.deep.equal({ rc: 0, stdout: 'ok' });
    s.close();
    expect(statSync(join(dir, 'state.json')).size).to.be.below(8 * 1024);
    const kept = readSnapshot(dir).done['id-1']!['pb.yml/big']!;
    expect(kept.result).to.deep.equal({});
    expect(kept.capped!.bytes).to.be.above(RECORD_CAP_BYTES * 8);
    expect(kept.capped!.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(kept.capped!.head).to.match(/^\[\{"rc":0,"stdout":"x+$/);
  });

  it('compacts a journal that grows past its bound, and what a killed run left at the next open', async () => {
    const dir = tmp();
    const s = await StateStore.open(dir);
    const chunk = 'y'.repeat(RECORD_CAP_BYTES - 100);
    const n = Math.ceil(COMPACT_BYTES / chunk.length) + 2;
    for (let i = 0; i < n; i++) {
      s.recordDone(rec('id-1', `pb.yml/t${i}`, { stdout: chunk }));
      s.flush();
    }
    expect(statSync(join(dir, 'journal.jsonl')).size).to.be.below(COMPACT_BYTES);
    s.recordDone(rec('id-1', 'pb.yml/last'));
    s.flush();
    s.abandon(); // like a killed run: the journal keeps its last entry
    expect(statSync(join(dir, 'journal.jsonl')).size).to.be.above(0);
    const again = await StateStore.open(dir);
    expect(statSync(join(dir, 'journal.jsonl')).size, 'folded in at open').to.equal(0);
    expect(again.lookup('id-1', 'pb.yml/last')).to.not.equal(undefined);
    expect(again.lookup('id-1', `pb.yml/t${n - 1}`)).to.not.equal(undefined);
    again.close();
  });

  for (const [what, make] of [
    ['a directory', (lock: string) => mkdirSync(lock)],
    ['a dangling symlink', (lock: string) => symlinkSync('/nonexistent/play-lock-target', lock)],
  ] as const) {
    it(`a lock that is ${what} is refused clearly, after --state-wait, never spun on`, async () => {
      const dir = tmp();
      make(join(dir, 'lock'));
      const t0 = Date.now();
      const e = await refusal(StateStore.open(dir, { waitMs: 600 }));
      expect(e.message).to.include(`is ${what}, not a lock file play made`);
      expect(Date.now() - t0, 'it waited for --state-wait').to.be.at.least(550);
    });
  }

  it('a regular file where the state directory should be is a clear StateError', async () => {
    const file = join(tmp(), '.play');
    writeFileSync(file, 'not a dir');
    const e = await refusal(StateStore.open(file));
    expect(e.message).to.match(/the state directory .*\.play exists but is a regular file, not a directory; move it aside or pass --state-dir/);
    expect(() => readSnapshot(file)).to.throw(StateError, /regular file/);
  });

  it('the state directory removed mid-run: the next flush or close says so', async () => {
    const dir = tmp();
    const s = await StateStore.open(dir);
    s.recordDone(rec('id-1', 'pb.yml/a'));
    rmSync(dir, { recursive: true, force: true });
    s.recordDone(rec('id-1', 'pb.yml/b'));
    let err: unknown;
    try {
      s.close();
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(StateError);
    expect((err as Error).message).to.match(/the state directory .* was removed during the run/);
    s.abandon();
  });
});
