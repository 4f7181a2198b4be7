import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { MASK, Redactor } from '../../../runner/secrets/redact.js';
import { StreamRedactor } from '../../../runner/secrets/stream.js';
import { redacting } from '../../../runner/report/redacting.js';
import type { Reporter, RunEvent } from '../../../runner/events.js';

const key = () => randomBytes(16).toString('hex');

describe('Redactor: a secret in the forms it travels in', () => {
  it('masks raw, JSON-escaped, hex, base64 (any alignment) and URL-encoded forms', () => {
    const s = `p@ss "w/rd" ${key()}`;
    const r = new Redactor();
    r.add(s);
    const forms = [s, JSON.stringify(s), Buffer.from(s).toString('hex'), Buffer.from(s).toString('base64'), encodeURIComponent(s)];
    for (const f of forms) expect(r.redact(`x ${f} y`), f).to.not.include(f.replace(/^"|"$/g, ''));
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const b64 = Buffer.from(`${prefix}${s}tail`).toString('base64');
      expect(r.holdsSecret(b64), `base64 after ${prefix.length} bytes`).to.equal(true);
    }
  });
});

describe('StreamRedactor: secrets split across chunks and lines', () => {
  it('masks a key printed in two halves with a pause between', () => {
    const k = key();
    const r = new Redactor();
    r.add(k);
    const s = new StreamRedactor(r);
    const out = [s.push(`first ${k.slice(0, 10)}`), s.push(`${k.slice(10)} done\n`), s.flush()];
    expect(out.join('')).to.equal(`first ${MASK} done\n`);
    expect(out.some((c) => c.includes(k.slice(0, 10)) || c.includes(k.slice(10))), 'no chunk holds a half').to.equal(false);
  });

  it('masks a key split one character per chunk, and a multi-line secret across lines', () => {
    const k = key();
    const multi = `line-one-${key()}\nline-two-${key()}`;
    const r = new Redactor();
    r.add(k);
    r.add(multi);
    const s = new StreamRedactor(r);
    const text = `a ${k} b\n${multi}\nc`;
    const out = [...text].map((ch) => s.push(ch)).join('') + s.flush();
    expect(out).to.equal(`a ${MASK} b\n${MASK}\nc`);
  });

  it('emits text promptly when no secret could be completing', () => {
    const r = new Redactor();
    r.add('abcdefgh');
    const s = new StreamRedactor(r);
    expect(s.push('hello world\n')).to.equal('hello world\n');
    expect(s.push('then abc')).to.equal('then ');
    expect(s.push('dxyz')).to.equal('abcdxyz');
  });
});

describe('redacting reporter: --json output chunks never join back into a key', () => {
  it('holds a split key back until it is whole and flushes at the host result', () => {
    const k = key();
    const r = new Redactor();
    r.add(k);
    const seen: RunEvent[] = [];
    const sink: Reporter = { emit: (e) => void seen.push(e), close: async () => undefined };
    const rep = redacting(sink, r);
    const out = (chunk: string): RunEvent => ({ kind: 'output', taskId: 't1', host: 'h1', stream: 'stdout', chunk });
    rep.emit(out(k.slice(0, 16)));
    rep.emit({ kind: 'warning', msg: 'meanwhile', host: 'h2' });
    rep.emit(out(`${k.slice(16)}\n`));
    rep.emit({ kind: 'host_result', taskId: 't1', task: 'x', host: 'h1', outcome: { status: 'changed', summary: 'ran' }, ms: 1 });
    const chunks = seen.filter((e): e is Extract<RunEvent, { kind: 'output' }> => e.kind === 'output').map((e) => e.chunk);
    expect(chunks.join('')).to.equal(`${MASK}\n`);
    expect(seen.map((e) => e.kind).at(-1)).to.equal('host_result');
  });
});

describe('Redactor.redactValue', () => {
  it('masks strings and keys at any depth, and a number that is a secret, without breaking the value', () => {
    const r = new Redactor();
    r.add('1234');
    r.add('sekrit-value');
    const v = r.redactValue({ ms: 61626364, rc: 1234, list: ['x sekrit-value y', { 'sekrit-value': 2 }], n: null, u: undefined });
    expect(v).to.deep.equal({ ms: 61626364, rc: MASK, list: [`x ${MASK} y`, { [MASK]: 2 }], n: null });
  });
});
