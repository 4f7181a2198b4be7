// Journal replay, forget filters and compaction, on plain files in a temp dir.
import { expect } from 'chai';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEntry, emptySnapshot, JournalWriter, readSnapshot, writeSnapshot, type JournalEntry } from '../../../runner/state/journal.js';
import type { DoneRecord } from '../../../runner/state/types.js';

const rec = (identity: string, taskId: string, role?: string): DoneRecord => ({
  identity, host: identity === 'id-1' ? 'h1' : 'h2', taskId, role, fingerprint: `fp-${taskId}`, result: { rc: 0 }, at: '2026-01-01T00:00:00.000Z',
});
const line = (e: JournalEntry) => JSON.stringify(e) + '\n';
const tmp = () => mkdtempSync(join(tmpdir(), 'play-journal-'));

describe('state journal', () => {
  it('replays the journal over the snapshot and ignores a torn last line', () => {
    const dir = tmp();
    const snap = emptySnapshot();
    applyEntry(snap, { t: 'done', rec: rec('id-1', 'r/a', 'r') });
    writeFileSync(join(dir, 'state.json'), JSON.stringify(snap));
    const torn = line({ t: 'done', rec: rec('id-1', 'r/c') }).slice(0, 40);
    writeFileSync(join(dir, 'journal.jsonl'), line({ t: 'done', rec: rec('id-1', 'r/b') }) + line({ t: 'notify', identity: 'id-1', host: 'h1', handlerId: 'r/restart' }) + torn);
    const back = readSnapshot(dir);
    expect(Object.keys(back.done['id-1']!)).to.deep.equal(['r/a', 'r/b']);
    expect(back.pending['id-1']).to.deep.equal(['r/restart']);
    expect(back.hosts).to.deep.equal({ h1: 'id-1' });
  });

  it('a writer opened after a torn line ends it, so the next entry is not glued onto it', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'journal.jsonl'), line({ t: 'done', rec: rec('id-1', 'r/a') }) + '{"t":"done","rec":{"ident');
    const w = new JournalWriter(dir);
    w.append({ t: 'done', rec: rec('id-1', 'r/b') });
    w.close();
    expect(Object.keys(readSnapshot(dir).done['id-1']!)).to.deep.equal(['r/a', 'r/b']);
  });

  it('forget filters by identity, role and task id (loop items included)', () => {
    const base = () => {
      const s = emptySnapshot();
      for (const r of [rec('id-1', 'r/a', 'r'), rec('id-1', 'r/b[0]', 'r'), rec('id-1', 'r/b[1]', 'r'), rec('id-1', 'pb.yml/x'), rec('id-2', 'r/a', 'r')]) applyEntry(s, { t: 'done', rec: r });
      applyEntry(s, { t: 'notify', identity: 'id-1', host: 'h1', handlerId: 'r/restart' });
      return s;
    };
    const keys = (s: ReturnType<typeof emptySnapshot>) => Object.entries(s.done).flatMap(([id, t]) => Object.keys(t).map((k) => `${id} ${k}`));

    let s = base();
    applyEntry(s, { t: 'forget', identity: 'id-1', role: 'r' });
    expect(keys(s)).to.deep.equal(['id-1 pb.yml/x', 'id-2 r/a']);
    expect(s.pending['id-1'], 'a partial forget keeps pending handlers').to.deep.equal(['r/restart']);

    s = base();
    applyEntry(s, { t: 'forget', taskId: 'r/b' });
    expect(keys(s)).to.deep.equal(['id-1 r/a', 'id-1 pb.yml/x', 'id-2 r/a']);

    s = base();
    applyEntry(s, { t: 'forget', role: 'r' });
    expect(keys(s)).to.deep.equal(['id-1 pb.yml/x']);

    s = base();
    applyEntry(s, { t: 'forget', identity: 'id-1' });
    expect(keys(s)).to.deep.equal(['id-2 r/a']);
    expect(s.pending['id-1']).to.equal(undefined);
  });

  it('a handled entry clears the pending notification', () => {
    const s = emptySnapshot();
    applyEntry(s, { t: 'notify', identity: 'id-1', host: 'h1', handlerId: 'r/restart' });
    applyEntry(s, { t: 'notify', identity: 'id-1', host: 'h1', handlerId: 'r/restart' });
    expect(s.pending['id-1']).to.deep.equal(['r/restart']);
    applyEntry(s, { t: 'handled', identity: 'id-1', handlerId: 'r/restart' });
    expect(s.pending['id-1']).to.deep.equal([]);
  });

  it('compaction writes the snapshot, empties the journal and drops identities no host points at', () => {
    const dir = tmp();
    const w = new JournalWriter(dir);
    const s = emptySnapshot();
    for (const e of [{ t: 'done', rec: rec('old-1', 'r/a') }, { t: 'done', rec: rec('id-2', 'r/a') }, { t: 'done', rec: { ...rec('id-1', 'r/a'), host: 'h1' } }] as JournalEntry[]) {
      w.append(e);
      applyEntry(s, e);
    }
    w.close();
    // old-1 was h1 before h1 was rebuilt as id-1
    expect(s.hosts).to.deep.equal({ h1: 'id-1', h2: 'id-2' });
    writeSnapshot(dir, s);
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).to.equal('');
    const back = readSnapshot(dir);
    expect(Object.keys(back.done).sort()).to.deep.equal(['id-1', 'id-2']);
    appendFileSync(join(dir, 'journal.jsonl'), line({ t: 'handled', identity: 'id-1', handlerId: 'x' }));
    expect(readSnapshot(dir).pending['id-1']).to.deep.equal([]);
  });
});
