// The host lock's script, run here through a local sh as the host would run it (in a private directory).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostLockScript, LOCK_NAME, lockLine } from '../../../runner/state/host-lock.js';

function hold(script: string) {
  const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines: string[] = [];
  let buf = '';
  const next = () => new Promise<string>((resolve) => {
    const check = () => {
      const nl = buf.indexOf('\n');
      if (nl < 0) return false;
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      resolve(lines[lines.length - 1]!);
      return true;
    };
    if (check()) return;
    const on = (b: Buffer) => { buf += b.toString(); if (check()) child.stdout.off('data', on); };
    child.stdout.on('data', on);
  });
  return { child, next, release: () => child.stdin.end() };
}

describe('host lock script', () => {
  it('holds the lock until its stdin closes; a second one waits, names the holder, then gets it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'play-hostlock-'));
    const a = hold(hostLockScript(0, 'run A', [dir]));
    expect(lockLine(await a.next())).to.deep.equal({ word: 'held', file: join(dir, LOCK_NAME), rest: '' });
    expect(readFileSync(join(dir, LOCK_NAME), 'utf8')).to.equal('run A\n');
    const refused = hold(hostLockScript(0, 'run B', [dir]));
    expect(lockLine(await refused.next())).to.deep.include({ word: 'busy', rest: 'run A' });
    expect(lockLine(await refused.next())?.word).to.equal('timeout');
    const b = hold(hostLockScript(30, 'run C', [dir]));
    expect(lockLine(await b.next())?.word).to.equal('busy');
    a.release(); // the connection ends: cat sees EOF, fd 9 closes
    expect(lockLine(await b.next())?.word).to.equal('held');
    expect(readFileSync(join(dir, LOCK_NAME), 'utf8')).to.equal('run C\n');
    b.release();
  });

  it('a host with no usable lock directory says so instead of failing', async () => {
    const r = hold(hostLockScript(0, 'x', ['/nonexistent-dir-for-play']).replace('f="${d:-/tmp}', 'f="${d:-/nonexistent-dir-for-play}'));
    expect(lockLine(await r.next())?.word).to.equal('none');
    r.release();
  });
});
