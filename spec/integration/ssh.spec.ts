// openSsh against real test hosts (sshd in namespaces on loopback addresses).
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionError } from '../../runner/errors.js';
import { openSsh, type SshOptions } from '../../runner/connection/ssh.js';
import { SFTP_MIN_BYTES } from '../../runner/connection/ssh-session.js';
import type { Connection } from '../../runner/connection/types.js';
import type { ConnectionSpec } from '../../runner/types.js';
import type { TestHost } from '../../testbed/host.js';
import { useTestbed } from '../support/testbed.js';

describe('openSsh (real test hosts)', () => {
  const tb = useTestbed(3, { namePrefix: 'ssh' });
  const conns: Connection[] = [];
  const spec = (h: TestHost): ConnectionSpec => ({
    host: h.name, kind: 'ssh', address: h.ip, port: h.port, user: 'root', privateKeyFile: tb.current.clientKeyPath,
  });
  const open = (h: TestHost, o: Partial<SshOptions> = {}) =>
    openSsh(spec(h), { hostKeyCheck: 'strict', knownHostsFiles: [tb.current.knownHostsPath], ...o });
  const scratch = (n: string) => join(tb.current.baseDir, `ssh-spec-${n}`);
  const rejection = async (p: Promise<unknown>): Promise<Error> => {
    try {
      await p;
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected a rejection');
  };

  before(async () => {
    for (const h of tb.current.hosts) conns.push(await open(h));
  });
  after(async () => {
    await Promise.all(conns.map((c) => c.close()));
  });

  it('returns code, stdout and stderr; a non-zero exit is a value', async () => {
    const r = await conns[0]!.exec('echo out; echo err >&2; exit 3');
    expect(r).to.deep.equal({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('delivers stdin and closes it; a command that ignores stdin still works', async () => {
    const big = 'x'.repeat(1 << 20);
    expect((await conns[0]!.exec('cat', { stdin: 'secret\nline 2' })).stdout).to.equal('secret\nline 2');
    expect((await conns[0]!.exec('wc -c', { stdin: big })).stdout.trim()).to.equal(String(big.length));
    expect(await conns[0]!.exec('echo ignored', { stdin: big })).to.deep.equal({ code: 0, stdout: 'ignored\n', stderr: '' });
    expect((await conns[0]!.exec('cat')).stdout).to.equal('');
  });

  it('streams output through onOutput', async () => {
    const seen: string[] = [];
    const r = await conns[0]!.exec('echo a; echo b >&2', { onOutput: (c, s) => seen.push(`${s}:${c}`) });
    expect(r.code).to.equal(0);
    expect(seen).to.include.members(['stdout:a\n', 'stderr:b\n']);
  });

  for (const persistentShell of [true, false]) {
    describe(persistentShell ? 'through the persistent shell' : 'with a channel per command', () => {
      let c: Connection;
      before(async () => { c = await open(tb.current.hosts[0]!, { persistentShell }); });
      after(() => c.close());

      it('keeps bytes exact: no trailing newline, binary, the marker byte, stdin of every byte value', async () => {
        expect(await c.exec(`printf 'no newline'; printf 'e' >&2`)).to.deep.equal({ code: 0, stdout: 'no newline', stderr: 'e' });
        expect((await c.exec(`printf 'a\\036b\\036'`)).stdout).to.equal('a\x1eb\x1e');
        const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const sum = createHash('sha256').update(all).digest('hex');
        expect((await c.exec('sha256sum', { stdin: all })).stdout).to.equal(`${sum}  -\n`);
        expect((await c.exec('cat', { stdin: 'it\'s "$(x)" `y`\n' })).stdout).to.equal('it\'s "$(x)" `y`\n');
      });

      it('runs each command in its own sh: exit, cd, variables and traps do not leak into the next', async () => {
        expect((await c.exec('cd /tmp; X=1; export Y=2; trap "echo trapped" EXIT; exit 4')).code).to.equal(4);
        expect(await c.exec('pwd; echo "[$X][$Y]"')).to.deep.equal({ code: 0, stdout: '/root\n[][]\n', stderr: '' });
      });

      it('kills a timed-out command, and the next command works', async () => {
        const r = await c.exec('sleep 38; echo never', { timeoutMs: 400 });
        expect(r.code).to.equal(124);
        expect(r.stderr).to.equal('timed out after 0.4 s');
        expect((await c.exec('echo still here')).stdout).to.equal('still here\n');
        const left = await tb.current.hosts[0]!.exec(`pgrep -x sleep -a | grep -c 'sleep 38' || true`);
        expect(left.stdout.trim()).to.equal('0');
      });

      it('puts text and binary files with exact bytes and modes (given, kept, default)', async () => {
        const text = Buffer.from(`it's "$(x)" \`y\` \\ %s\nno final newline ü`);
        const bin = Buffer.from([0, 1, 2, 255, 10, 0]);
        const d = `/root/put-${persistentShell}`;
        await c.exec(`rm -rf ${d}; mkdir ${d}`);
        const cases: [string, Buffer, number | undefined, string][] = [
          [`${d}/a`, text, 0o600, '600'], [`${d}/b`, text, 0o755, '755'], [`${d}/c`, text, undefined, '644'],
          [`${d}/d`, bin, 0o640, '640'], [`${d}/e`, text, 0o4750, '4750'],
        ];
        for (const [path, content, mode, want] of cases) {
          await c.put(path, content, mode);
          const r = await c.exec(`stat -c %a ${path}; base64 -w0 < ${path}`);
          expect(r.stdout, path).to.equal(`${want}\n${content.toString('base64')}`);
        }
        for (const [path, content] of [[`${d}/owned-small`, text], [`${d}/owned-bin`, bin], [`${d}/owned-big`, Buffer.alloc(SFTP_MIN_BYTES, 'y')]] as const) {
          await c.put(path, content, 0o640, 'nobody:nogroup');
          expect((await c.exec(`stat -c '%U:%G %a %s' ${path}`)).stdout, path).to.equal(`nobody:nogroup 640 ${content.length}\n`);
        }
        await c.exec(`chmod 600 ${d}/c`);
        await c.put(`${d}/c`, Buffer.from('again\n'));
        expect((await c.exec(`stat -c %a ${d}/c; cat ${d}/c`)).stdout).to.equal('600\nagain\n');
        expect((await c.exec(`ls -a ${d} | grep -c play-tmp`)).stdout.trim()).to.equal('0');
        const err = await rejection(c.put('/no/such/dir/f', text, 0o644));
        expect(err.message).to.match(/put \/no\/such\/dir\/f/);
      });

      it('runs commands given at once side by side, each with its own result', async () => {
        const rs = await Promise.all([0, 1, 2, 3].map((i) => c.exec(`sleep 0.2; echo ${i}; echo e${i} >&2`)));
        expect(rs).to.deep.equal([0, 1, 2, 3].map((i) => ({ code: 0, stdout: `${i}\n`, stderr: `e${i}\n` })));
      });
    });
  }

  it('a timeout kills the command, not the persistent shell it ran in', async () => {
    const c = await open(tb.current.hosts[0]!);
    const shell = (await c.exec('echo $$')).stdout;
    for (let i = 0; i < 2; i++) {
      expect((await c.exec('sleep 39', { timeoutMs: 300 })).code).to.equal(124);
      await new Promise((r) => setTimeout(r, 300)); // the killer has finished its sweep
      expect((await c.exec('echo $$')).stdout, 'the same shell').to.equal(shell);
    }
    await c.close();
  });

  it('a command that kills the persistent shell fails as a value; the next command gets a new shell', async () => {
    const c = await open(tb.current.hosts[0]!);
    const r = await c.exec('echo partial; kill -KILL $$');
    expect(r.code).to.equal(255);
    expect(r.stdout).to.equal('partial\n');
    expect(r.stderr).to.match(/the remote shell ended during the command/);
    expect(await c.exec('echo again')).to.deep.equal({ code: 0, stdout: 'again\n', stderr: '' });
    await c.close();
  });

  it('puts a file atomically with its mode and leaves no temp file', async () => {
    const c = conns[1]!;
    const h = tb.current.hosts[1]!;
    await c.put('/root/put.txt', Buffer.from('one\n'), 0o600);
    const ino1 = (await c.exec('stat -c %i /root/put.txt')).stdout;
    expect((await c.exec('stat -c %a /root/put.txt; cat /root/put.txt')).stdout).to.equal('600\none\n');
    await c.put('/root/put.txt', Buffer.from('two\n'), 0o640);
    expect((await c.exec('stat -c %a /root/put.txt; cat /root/put.txt')).stdout).to.equal('640\ntwo\n');
    // rename over, not rewrite in place: a reader holding the old file never sees a half-written one
    expect((await c.exec('stat -c %i /root/put.txt')).stdout).to.not.equal(ino1);
    await c.put('/root/put.txt', Buffer.from('three\n'));
    expect((await c.exec('stat -c %a /root/put.txt')).stdout).to.equal('640\n');
    expect((await c.exec('ls -a /root | grep -c play-tmp')).stdout.trim()).to.equal('0');
    expect(existsSync(join(h.upperDir, 'root/put.txt'))).to.equal(true);
    const err = await rejection(c.put('/no/such/dir/f', Buffer.from('x')));
    expect(err.message).to.match(/put \/no\/such\/dir\/f/);
  });

  it('puts a large file over SFTP the same way: content, mode kept, atomic, no temp file', async () => {
    const c = conns[1]!;
    const big = randomBytes(SFTP_MIN_BYTES * 4);
    await c.put('/root/big.bin', Buffer.from('old\n'), 0o640);
    const before = c.execCount;
    await c.put('/root/big.bin', big);
    expect(c.execCount, 'no exec channel: it went over SFTP').to.equal(before);
    const sum = createHash('sha256').update(big).digest('hex');
    expect((await c.exec('stat -c %a /root/big.bin; sha256sum < /root/big.bin')).stdout).to.equal(`640\n${sum}  -\n`);
    expect((await c.exec('ls -a /root | grep -c play-tmp')).stdout.trim()).to.equal('0');
    const err = await rejection(c.put('/no/such/dir/big', big));
    expect(err.message).to.match(/put \/no\/such\/dir\/big/);
  });

  it('keeps hosts apart: a file written in one is absent from the others and from this machine', async () => {
    const path = `/root/only-on-${tb.current.hosts[0]!.name}-${process.pid}`;
    expect((await conns[0]!.exec(`echo hi > ${path} && cat ${path}`)).stdout).to.equal('hi\n');
    for (const c of conns.slice(1)) expect((await c.exec(`test -e ${path}`)).code).to.equal(1);
    expect(existsSync(path)).to.equal(false);
    expect(existsSync(join(tb.current.hosts[0]!.upperDir, path))).to.equal(true);
  });

  it('sees a different hostname and machine-id on every host', async () => {
    const got = await Promise.all(conns.map((c) => c.exec('hostname; cat /etc/machine-id')));
    const names = tb.current.hosts.map((h) => `${h.name}\n${h.machineId}\n`);
    expect(got.map((r) => r.stdout)).to.deep.equal(names);
    expect(new Set(got.map((r) => r.stdout.split('\n')[1])).size).to.equal(3);
  });

  it('strict refuses a host missing from known_hosts', async () => {
    const empty = scratch('empty');
    await fs.writeFile(empty, '');
    const err = await rejection(open(tb.current.hosts[0]!, { knownHostsFiles: [empty] }));
    expect(err).to.be.instanceOf(ConnectionError);
    expect(err.message).to.contain(`host key for ${tb.current.hosts[0]!.ip} is not in known_hosts`);
    expect(err.message).to.contain('--ssh-host-key-check=accept-new');
  });

  it('refuses a CHANGED key under strict and accept-new, connects under off', async () => {
    const [a, b] = tb.current.hosts as [TestHost, TestHost];
    const wrong = scratch('wrong');
    await fs.writeFile(wrong, `${a.ip} ${b.hostKeyPublic}\n`);
    for (const mode of ['strict', 'accept-new'] as const) {
      const err = await rejection(open(a, { knownHostsFiles: [wrong], hostKeyCheck: mode }));
      expect(err).to.be.instanceOf(ConnectionError);
      expect(err.message).to.match(new RegExp(`host key for ${a.ip.replace(/\./g, '\\.')} CHANGED.*refusing to connect`));
    }
    expect(await fs.readFile(wrong, 'utf8')).to.equal(`${a.ip} ${b.hostKeyPublic}\n`);
    const off = await open(a, { knownHostsFiles: [wrong], hostKeyCheck: 'off' });
    expect((await off.exec('hostname')).stdout).to.equal(`${a.name}\n`);
    await off.close();
  });

  it('accepts hashed known_hosts entries (as written by ssh-keygen -H)', async () => {
    const hashed = scratch('hashed');
    await fs.copyFile(tb.current.knownHostsPath, hashed);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', hashed], { stdio: 'ignore' });
    await fs.rm(`${hashed}.old`, { force: true });
    expect(await fs.readFile(hashed, 'utf8')).to.match(/^\|1\|/);
    const c = await open(tb.current.hosts[2]!, { knownHostsFiles: [hashed] });
    expect((await c.exec('true')).code).to.equal(0);
    await c.close();
  });

  it('accept-new appends an unknown host, then strict accepts it', async () => {
    const h = tb.current.hosts[2]!;
    const file = scratch('accept-new');
    await fs.rm(file, { force: true });
    const c = await open(h, { knownHostsFiles: [file], hostKeyCheck: 'accept-new' });
    await c.close();
    expect(await fs.readFile(file, 'utf8')).to.equal(`${h.ip} ${h.hostKeyPublic}\n`);
    const again = await open(h, { knownHostsFiles: [file] });
    expect((await again.exec('hostname')).stdout).to.equal(`${h.name}\n`);
    await again.close();
  });

  it('kills a timed-out command (its whole process group) and the connection keeps working', async () => {
    const c = conns[2]!;
    const r = await c.exec('sleep 37; echo never', { timeoutMs: 500 });
    expect(r.code).to.equal(124);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.equal('timed out after 0.5 s');
    expect((await c.exec('echo still here')).stdout).to.equal('still here\n');
    const left = await tb.current.hosts[2]!.exec(`pgrep -x sleep -a | grep -c 'sleep 37' || true`);
    expect(left.stdout.trim()).to.equal('0');
  });

  it('reports a refused connection as ConnectionError', async () => {
    const h = tb.current.hosts[0]!;
    const err = await rejection(openSsh({ ...spec(h), port: 2 }, { hostKeyCheck: 'off', connectTimeoutMs: 3000 }));
    expect(err).to.be.instanceOf(ConnectionError);
    expect(err.message).to.match(/connection refused/);
  });

  it('runs 50 sequential execs on one TCP connection', async () => {
    const h = tb.current.hosts[1]!;
    const established = () =>
      execFileSync('ss', ['-tnH', 'state', 'established', 'src', h.ip, 'sport', '=', ':22'], { encoding: 'utf8' })
        .split('\n').filter(Boolean).length;
    const before = established();
    const c = await open(h);
    expect(established()).to.equal(before + 1);
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = process.hrtime.bigint();
      expect((await c.exec(`echo ${i}`)).stdout).to.equal(`${i}\n`);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    expect(c.execCount).to.equal(50);
    expect(established()).to.equal(before + 1);
    times.sort((x, y) => x - y);
    console.log(`      exec round-trip median ${times[25]!.toFixed(2)} ms (min ${times[0]!.toFixed(2)}, max ${times[49]!.toFixed(2)})`);
    await c.close();
  });

  it('turns a host going away mid-run into ConnectionError for the pending and the next exec', async () => {
    const h = await tb.current.addHost('sshkill');
    const c = await open(h);
    expect((await c.exec('hostname')).stdout).to.equal('sshkill\n');
    const pending = rejection(c.exec('sleep 20'));
    await new Promise((r) => setTimeout(r, 300));
    await h.killSshd();
    const err = await pending;
    expect(err).to.be.instanceOf(ConnectionError);
    expect(err.message).to.match(/^sshkill: connection to .* lost/);
    expect(await rejection(c.exec('true'))).to.be.instanceOf(ConnectionError);
    expect(await rejection(open(h, { connectTimeoutMs: 3000 }))).to.be.instanceOf(ConnectionError);
    await h.restartSshd();
    const back = await open(h);
    expect((await back.exec('hostname')).stdout).to.equal('sshkill\n');
    await back.close();
  });
});
