import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocal } from '../../runner/connection/local.js';

describe('openLocal', () => {
  const c = openLocal('localhost');

  it('runs sh -c and returns code, stdout, stderr', async () => {
    expect(await c.exec('echo out; echo err >&2; exit 4')).to.deep.equal({ code: 4, stdout: 'out\n', stderr: 'err\n' });
    expect(c.execCount).to.equal(1);
  });

  it('delivers stdin, and tolerates a command that ignores it', async () => {
    expect((await c.exec('cat', { stdin: 'a\nb' })).stdout).to.equal('a\nb');
    expect((await c.exec('true', { stdin: 'x'.repeat(1 << 20) })).code).to.equal(0);
  });

  it('streams output and kills the whole process group on timeout', async () => {
    const seen: string[] = [];
    expect((await c.exec('echo hi', { onOutput: (s) => seen.push(s) })).code).to.equal(0);
    expect(seen.join('')).to.equal('hi\n');
    const mark = `play-local-${process.pid}`;
    const r = await c.exec(`sleep 41 & sleep 42; echo ${mark}`, { timeoutMs: 300 });
    expect(r).to.deep.equal({ code: 124, stdout: '', stderr: 'timed out after 0.3 s' });
    expect((await c.exec(`pgrep -f '^sleep 4[12]$' | wc -l`)).stdout.trim()).to.equal('0');
  });

  it('puts a file atomically with a mode, keeping the mode on overwrite', async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'play-local-'));
    const p = join(dir, 'f.txt');
    await c.put(p, Buffer.from('one'), 0o600);
    expect((await fs.stat(p)).mode & 0o777).to.equal(0o600);
    await c.put(p, Buffer.from('two'));
    expect(await fs.readFile(p, 'utf8')).to.equal('two');
    expect((await fs.stat(p)).mode & 0o777).to.equal(0o600);
    expect(await fs.readdir(dir)).to.deep.equal(['f.txt']);
    await fs.rm(dir, { recursive: true });
  });
});
