// The postgres backend's write queue: batches keep order and kind, and a record never leaves its notifications.
import { expect } from 'chai';
import { Serial, takeBatch, WriteQueue, type Batch, type RecordRow, type Write } from '../../../runner/state/postgres/queue.js';

const row = (identity: string, taskId: string, at = 't1'): RecordRow => ({ identity, host: 'h', taskId, role: null, fingerprint: 'f', result: '{}', setVars: null, at });
const notice = (identity: string, handler_id: string) => ({ identity, handler_id, host: 'h' });

describe('postgres write queue', () => {
  it('takes the longest prefix of one kind; records bring their notifications; a later record of a task replaces the earlier', () => {
    const q: Write[] = [
      { kind: 'record', notices: [notice('a', 'x')], rec: row('a', 't') },
      { kind: 'record', notices: [], rec: row('b', 't') },
      { kind: 'record', notices: [], rec: row('a', 't', 't2') },
      { kind: 'handled', identity: 'a', handlerId: 'x' },
      { kind: 'record', notices: [notice('b', 'y')] },
    ];
    expect(takeBatch(q)).to.deep.equal({ kind: 'record', notices: [notice('a', 'x')], records: [row('b', 't'), row('a', 't', 't2')] });
    expect(takeBatch(q)).to.deep.equal({ kind: 'handled', done: [{ identity: 'a', handler_id: 'x' }] });
    expect(takeBatch(q)).to.deep.equal({ kind: 'record', notices: [notice('b', 'y')], records: [] });
    expect(q).to.deep.equal([]);
  });

  it('sends what one tick writes in one statement, the rest once it is done, in order; drain waits for all', async () => {
    const sent: Batch[] = [];
    let release: () => void = () => undefined;
    const q = new WriteQueue(new Serial(), (b) => {
      sent.push(b);
      return sent.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
    }, () => undefined);
    q.push({ kind: 'record', notices: [], rec: row('a', '1') });
    q.push({ kind: 'record', notices: [], rec: row('b', '1') });
    await Promise.resolve();
    await Promise.resolve();
    q.push({ kind: 'record', notices: [], rec: row('a', '2') });
    q.push({ kind: 'record', notices: [], rec: row('b', '2') });
    const drained = q.drain();
    release();
    await drained;
    expect(sent.map((b) => (b.kind === 'record' ? b.records.map((r) => `${r.identity}${r.taskId}`) : []))).to.deep.equal([['a1', 'b1'], ['a2', 'b2']]);
  });

  it('a failed statement drops what is queued and reports once per failure', async () => {
    const errors: unknown[] = [];
    const q = new WriteQueue(new Serial(), () => Promise.reject(new Error('gone')), (e) => errors.push(e));
    q.push({ kind: 'record', notices: [], rec: row('a', '1') });
    q.push({ kind: 'handled', identity: 'a', handlerId: 'x' });
    await q.drain();
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['gone']);
  });
});
