// The persistent shell's wire format: the end-marker scanner and the script for one command,
// run here through a local sh exactly as the remote shell would run it.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { EndScanner, endMarker, frameScript, SESSION_SETUP } from '../../../runner/connection/shell-frame.js';

const id = 'abc123:7';

function scanAll(chunks: Buffer[]): { body: string; trailer: string | undefined; live: string } {
  let live = '';
  const s = new EndScanner(endMarker(id), (b) => { live += b.toString('latin1'); });
  for (const c of chunks) s.push(c);
  return { body: s.body.toString('latin1'), trailer: s.trailer, live };
}

describe('persistent shell frames', () => {
  it('finds the end marker split at every byte boundary, and passes the body on unchanged', () => {
    const wire = Buffer.from(`out\x1eput\x1eabc123:\x1e${endMarker(id)}42\x1etrailing`, 'latin1');
    for (let i = 0; i <= wire.length; i++) {
      for (let j = i; j <= wire.length; j++) {
        const r = scanAll([wire.subarray(0, i), wire.subarray(i, j), wire.subarray(j)]);
        expect(r.trailer, `split ${i}/${j}`).to.equal('42');
        expect(r.body).to.equal('out\x1eput\x1eabc123:\x1e');
        expect(r.live).to.equal(r.body);
      }
    }
  });

  it('is not fooled by another command\'s marker', () => {
    const r = scanAll([Buffer.from(`\x1eabc123:17:0\x1e${endMarker(id)}0\x1e`, 'latin1')]);
    expect(r.body).to.equal('\x1eabc123:17:0\x1e');
    expect(r.trailer).to.equal('0');
  });

  it('holds back nothing it does not have to', () => {
    const r = scanAll([Buffer.from('partial line \x1eab')]);
    expect(r.trailer).to.equal(undefined);
    expect(r.live).to.equal('partial line ');
  });

  it('runs the command in sh -c with stdin from a here-document, and ends both streams with the marker', () => {
    const stdin = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), ...Buffer.from(`PLAY_${id}\n`)]);
    const script = frameScript({ id, cmd: `od -An -tx1 | wc -w; echo "tag=$PLAY_EXEC_ID" >&2; exit 3`, execTag: 'f00d', stdin });
    const r = spawnSync('sh', [], { input: `${SESSION_SETUP}\n${script}` });
    expect(r.stdout.toString('latin1')).to.equal(`${stdin.length}\n${endMarker(id)}3\x1e`);
    expect(r.stderr.toString('latin1')).to.equal(`tag=f00d\n${endMarker(id)}\x1e`);
  });

  it('gives a command without stdin /dev/null, quotes it whole, and keeps its variables in its subshell', () => {
    const script = frameScript({ id, cmd: `cat; echo "it's $((1+1))"`, execTag: 'beef' });
    const r = spawnSync('sh', [], { input: `${SESSION_SETUP}\n${script}echo "not-eaten [$PLAY_EXEC_ID]"\n` });
    expect(r.stdout.toString('latin1')).to.equal(`it's 2\n${endMarker(id)}0\x1enot-eaten []\n`);
  });
});
