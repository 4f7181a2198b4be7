// The persistent shell's wire format: the end-marker scanner and the script for one command,
// run here through a local sh exactly as the remote shell would run it.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CUT_CLOSE, CUT_PROBE, cutMarker, EndScanner, endMarker, frameScript, SESSION_SETUP, stopTreeScript } from '../../../runner/connection/shell-frame.js';

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

  describe('cut frames', () => {
    const id2 = 'abc123:8';
    const cutWire = (i: string, status: string) => `${cutMarker(i)}${status}\n${endMarker(i)}0\x1e`;

    it('the host used here can cut (sed -u)', () => {
      expect(spawnSync('sh', ['-c', CUT_PROBE]).stdout.toString()).to.equal('cut\n');
    });

    it('a background child that keeps stdout and stderr open never reaches the next command', () => {
      const first = frameScript({ id, cmd: '(sleep 0.3; echo LATE; echo LATE-ERR >&2) & echo now; echo err >&2', execTag: 'a1', cut: true });
      const second = frameScript({ id: id2, cmd: 'sleep 0.8; echo second', execTag: 'a2', cut: true });
      const r = spawnSync('sh', [], { input: `${SESSION_SETUP}\n${first}${second}` });
      expect(r.stdout.toString('latin1')).to.equal(`now\n${cutWire(id, '0')}second\n${cutWire(id2, '0')}`);
      expect(r.stderr.toString('latin1')).to.equal(`err\n${cutMarker(id)}\n${endMarker(id)}\x1e${cutMarker(id2)}\n${endMarker(id2)}\x1e`);
    });

    it('carries the exit status, stdin, bytes of any value and a last line without newline', () => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const script = frameScript({ id, cmd: 'cat; printf tail; exit 7', execTag: 'b1', stdin: bytes, cut: true });
      const r = spawnSync('sh', [], { input: `${SESSION_SETUP}\n${script}` });
      const expected = Buffer.concat([bytes, Buffer.from(`tail${cutWire(id, '7')}`, 'latin1')]);
      expect(r.stdout.equals(expected), r.stdout.toString('latin1')).to.equal(true);
    });

    it('the scanner chain: own output up to the cut line, its status, nothing after', () => {
      const wire = Buffer.from(`out${cutWire(id, '3')}`, 'latin1');
      for (let i = 0; i <= wire.length; i++) {
        let live = '';
        const own = new EndScanner(cutMarker(id), (b) => { live += b.toString('latin1'); }, CUT_CLOSE);
        const end = new EndScanner(endMarker(id), (b) => own.push(b));
        end.push(wire.subarray(0, i));
        end.push(wire.subarray(i));
        expect(end.done).to.equal(true);
        expect([own.all.toString('latin1'), own.trailer, live], `split ${i}`).to.deep.equal(['out', '3', 'out']);
      }
    });
  });

  it('stopTreeScript stops every descendant of the shell, at any depth, and names them', async () => {
    const top = spawn('sh', ['-c', '{ ( sleep 30; echo never ) | cat; } & wait'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const r = spawnSync('sh', ['-c', `${stopTreeScript(top.pid!)}echo $kids`]);
    const kids = r.stdout.toString().trim().split(/\s+/).map(Number);
    try {
      expect(kids.length, r.stdout.toString()).to.be.at.least(3); // the group, its subshell, sleep, cat
      for (const k of kids) expect(readFileSync(`/proc/${k}/stat`, 'utf8').split(') ')[1]![0], `pid ${k}`).to.equal('T');
    } finally {
      for (const k of kids) try { process.kill(k, 'SIGKILL'); } catch { /* gone */ }
      top.kill('SIGKILL');
    }
  });
});
