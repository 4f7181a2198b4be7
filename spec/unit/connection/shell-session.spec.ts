// The persistent shell with a command sent ahead (pipelining), over a local sh standing in for the SSH
// channel: both frames go out in one write, run in order, and each gets exactly its own output.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientChannel } from 'ssh2';
import { SHELL_ENDED, ShellSession } from '../../../runner/connection/shell-session.js';
import type { Ahead } from '../../../runner/connection/types.js';

/** A local `sh` dressed as an ssh2 channel; `writes` records what the session wrote, one entry per write. */
async function session(shellCmd?: string): Promise<{ s: ShellSession; writes: string[] }> {
  const writes: string[] = [];
  let child: ChildProcess | undefined;
  const ch = new EventEmitter() as EventEmitter & { stderr: EventEmitter; write(s: string): boolean; close(): void };
  ch.stderr = new EventEmitter();
  ch.write = (text: string) => {
    writes.push(text);
    return child!.stdin!.write(text);
  };
  ch.close = () => child?.kill('SIGKILL');
  const s = new ShellSession({
    open: async (cmd) => {
      child = spawn('/bin/sh', ['-c', shellCmd ?? cmd], { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdin!.on('error', () => undefined);
      child.stdout!.on('data', (b: Buffer) => ch.emit('data', b));
      child.stderr!.on('data', (b: Buffer) => ch.stderr.emit('data', b));
      child.on('close', () => ch.emit('close'));
      return ch as unknown as ClientChannel;
    },
    killTagged: async () => undefined,
    lost: () => new Error('lost'),
    isClosed: () => false,
  });
  expect(await s.start()).to.equal(true);
  return { s, writes };
}

describe('persistent shell: a command sent ahead', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'play-ahead-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('goes out in the same write, runs after the command that carries it, and sees what it did', async () => {
    const { s, writes } = await session();
    const before = writes.length;
    const ahead: Ahead = { host: 'h', cmd: `cat ${dir}/f; echo probe-err >&2` };
    const r = await s.run(`printf applied > ${dir}/f; echo apply-out; echo apply-err >&2`, { ahead: [ahead], isolate: true });
    expect(writes.length - before, 'one write for both').to.equal(1);
    expect(r).to.deep.equal({ code: 0, stdout: 'apply-out\n', stderr: 'apply-err\n' });
    expect(await ahead.result).to.deep.equal({ code: 0, stdout: 'applied', stderr: 'probe-err\n' });
    s.drop();
  });

  it('runs after a failed command too, with its own status: whether to use it is the executor\'s call', async () => {
    const { s } = await session();
    const ahead: Ahead = { host: 'h', cmd: 'echo fine' };
    const r = await s.run('echo no >&2; exit 4', { ahead: [ahead] });
    expect(r.code).to.equal(4);
    expect(await ahead.result).to.deep.equal({ code: 0, stdout: 'fine\n', stderr: '' });
    const again = await s.run('echo next', {});
    expect(again.stdout, 'the session goes on after both').to.equal('next\n');
    s.drop();
  });

  it('keeps the outputs apart when they arrive in one chunk, and queues a later command behind it', async () => {
    const { s } = await session();
    const ahead: Ahead = { host: 'h', cmd: 'sleep 0.2; echo late-probe' };
    const first = await s.run('echo quick', { ahead: [ahead] });
    expect(first.stdout).to.equal('quick\n');
    // the ahead is still running: the next command waits behind it in the shell's stdin
    const second = await s.run('echo after', {});
    expect(second.stdout).to.equal('after\n');
    expect((await ahead.result)!.stdout).to.equal('late-probe\n');
    s.drop();
  });

  it('sends several in one write and gives each its own result, in order', async () => {
    const { s, writes } = await session();
    const before = writes.length;
    const aheads: Ahead[] = ['one', 'two', 'three'].map((w) => ({ host: 'h', cmd: `echo ${w}; echo ${w}-err >&2; exit ${w.length}` }));
    const r = await s.run('echo carrier', { ahead: aheads });
    expect(writes.length - before).to.equal(1);
    expect(r.stdout).to.equal('carrier\n');
    const got = await Promise.all(aheads.map((a) => a.result!));
    expect(got).to.deep.equal([
      { code: 3, stdout: 'one\n', stderr: 'one-err\n' },
      { code: 3, stdout: 'two\n', stderr: 'two-err\n' },
      { code: 5, stdout: 'three\n', stderr: 'three-err\n' },
    ]);
    s.drop();
  });
});

describe('persistent shell: hostile output', () => {
  // Everything a command can see of itself (its PLAY_EXEC_ID) turned into every marker shape the frame
  // uses, on both streams, with RS bytes and a last line without newline: none may end its frame early.
  const FORGE = 't=$PLAY_EXEC_ID; n=${t%z}; q=${n##*x}; o=${n%x*}; ' +
    `printf 'a\\036%s:%s:0\\036b\\n\\036C%s:%s:0\\nc\\036' "$o" "$q" "$o" "$q"; ` +
    `printf 'e\\036%s:%s:\\036f\\n\\036C%s:%s:\\ng' "$o" "$q" "$o" "$q" >&2; exit 3`;

  for (const isolate of [false, true]) {
    it(`cannot forge its frame's end from what it sees (${isolate ? 'cut' : 'plain'} frame); the next command gets its own output`, async () => {
      const { s } = await session();
      const r = await s.run(FORGE, { isolate, timeoutMs: 10_000 });
      expect(r.code).to.equal(3);
      expect(r.stdout).to.match(/^a\x1e[0-9a-f]+:\d+:0\x1eb\n\x1eC[0-9a-f]+:\d+:0\nc\x1e$/);
      expect(r.stderr).to.match(/^e\x1e[0-9a-f]+:\d+:\x1ef\n\x1eC[0-9a-f]+:\d+:\ng$/);
      const next = await s.run('echo next; echo next-err >&2', { isolate });
      expect(next).to.deep.equal({ code: 0, stdout: 'next\n', stderr: 'next-err\n' });
      s.drop();
    });
  }
});

describe('persistent shell: start', () => {
  it('writes a plain command right behind the setup, before its answer; a cut one waits for the answer', async () => {
    const a = await session();
    expect(a.writes).to.have.length(1);
    const plain = a.s.run('echo one; echo one-err >&2', {});
    expect(a.writes, 'no round trip of its own').to.have.length(2);
    expect(await plain).to.deep.equal({ code: 0, stdout: 'one\n', stderr: 'one-err\n' });
    a.s.drop();
    const b = await session();
    const cut = b.s.run('echo two', { isolate: true });
    expect(b.writes, 'the cut frame needs to know sed -u is there').to.have.length(1);
    expect(await cut).to.deep.equal({ code: 0, stdout: 'two\n', stderr: '' });
    expect(b.writes).to.have.length(2);
    expect(b.writes[1]).to.include('sed -u');
    b.s.drop();
  });

  it('a shell that ends before it answers: what was written behind the setup hears so, and neverStarted says none of it ran', async () => {
    const { s } = await session('exit 0');
    const r = await s.run('echo never', {});
    expect(r.code).to.equal(255);
    expect(r.stderr).to.equal(SHELL_ENDED);
    expect([s.neverStarted, s.setupFailed, s.usable]).to.deep.equal([true, true, false]);
  });

  it('a first command that ends the shell after the setup answered ran: it is not to run again', async () => {
    const { s } = await session();
    const r = await s.run('echo partial; kill -KILL $$', {});
    expect([r.code, r.stdout, r.stderr]).to.deep.equal([255, 'partial\n', SHELL_ENDED]);
    expect(s.neverStarted).to.equal(false);
  });

  it('a setup that answers with no usable pid: the command behind it still ends normally, then the shell is dropped', async () => {
    // a shell whose $$ is not a pid: the setup's first line says "x"
    const { s } = await session(String.raw`read -r setup; setup=$(printf '%s' "$setup" | sed 's/echo "\$\$"/echo x/'); eval "$setup"; exec /bin/sh`);
    const r = await s.run('echo fine', {});
    expect(r).to.deep.equal({ code: 0, stdout: 'fine\n', stderr: '' });
    expect([s.neverStarted, s.setupFailed, s.usable]).to.deep.equal([false, true, false]);
  });
});
