// Pipelining (runner/execute/ahead.ts): the next task's probe travels with this task's apply. Over a
// fake host that runs a command sent ahead right after the one carrying it, as the remote shell does,
// and answers a probe from what the host holds at that moment.
import { expect } from 'chai';
import type { Connection, ExecOptions, ExecResult, PutOptions } from '../../../runner/connection/types.js';
import { answeringFirst } from '../../../runner/execute/ahead.js';
import { SHELL_ENDED } from '../../../runner/connection/shell-session.js';
import { FakeConnection, outcomes, runFake, type Rule } from '../../support/fake-host.js';

/** A fake host that takes commands sent ahead: each runs right after the command that carries it. */
class PipelinedHost extends FakeConnection {
  /** Commands that ran as the ahead of another, in order. */
  readonly aheadRan: string[] = [];
  /** What a command sent ahead answers, instead of the rules (to poison a result that must not be used). */
  aheadReply?: (cmd: string) => ExecResult | undefined;
  constructor(host: string, rules: Rule[]) {
    super(host, rules);
  }
  override async exec(cmd: string, opts?: ExecOptions): Promise<ExecResult> {
    const r = await super.exec(cmd, opts);
    this.#sendAhead(opts?.ahead);
    return r;
  }
  override async put(path: string, content: Buffer, mode?: number, owner?: string, po?: PutOptions): Promise<void> {
    await super.put(path, content, mode, owner);
    this.#sendAhead(po?.ahead);
  }
  #sendAhead(ahead: ExecOptions['ahead']): void {
    for (const a of ahead ?? []) {
      if (a.host !== this.host) continue;
      this.aheadRan.push(a.cmd);
      const poisoned = this.aheadReply?.(a.cmd);
      // evaluated now, after the carrying command: what the host holds at this moment
      a.result = poisoned ? Promise.resolve(poisoned) : super.exec(a.cmd);
    }
  }
}

const play = (tasks: string) => `- hosts: web\n  gather_facts: false\n  tasks:\n${tasks}`;
const fileProbe = (path: string) => new RegExp(`^p=${path.replace(/[./]/g, '\\$&')}\\n`);
const FILE = (path: string, mode: string) => `parent=yes\npath=${path}\ntype=file\nmode=${mode}\nuid=0\ngid=0\nowner=root\ngroup=root\nsize=2\nmtime=1\nkind=regular file\n`;

/** /srv/f is absent until a put writes it; the probe answers from that. */
function hostWithFile(name: string): PipelinedHost {
  const h: PipelinedHost = new PipelinedHost(name, [
    { match: fileProbe('/srv/f'), reply: () => ({ stdout: h.puts.some((p) => p.path === '/srv/f') ? FILE('/srv/f', '644') : 'parent=yes\npath=/srv/f\ntype=absent\n' }) },
  ]);
  return h;
}

describe('pipelining: the next task\'s probe travels with this task\'s apply', () => {
  it('sends the probe of task N+1 with the apply of task N, and uses it: it sees the applied state', async () => {
    const h1 = hostWithFile('h1');
    const r = await runFake(play('    - copy: {dest: /srv/f, content: "x\\n"}\n    - file: {path: /srv/f, mode: "0600"}\n'),
      { conns: { h1 }, inventory: 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n' });
    expect(outcomes(r, 'h1')).to.deep.equal(['copy=changed', 'file=changed']);
    expect(h1.aheadRan.filter((c) => fileProbe('/srv/f').test(c)), 'the file probe went ahead, with the put').to.have.length(1);
    expect(h1.cmds.filter((c) => fileProbe('/srv/f').test(c)), 'the copy probe, then the file probe only once (sent ahead)').to.have.length(2);
    expect(h1.ran(/^chmod -- 0?600 \/srv\/f$/), 'the mode was changed: the probe saw the file the put wrote').to.have.length(1);
  });

  it('never uses the probe when the apply that carried it failed: the task probes again', async () => {
    const h1 = new PipelinedHost('h1', [
      { match: /exit 3/, reply: { code: 3, stderr: 'boom' } },
      { match: fileProbe('/srv/g'), reply: { stdout: 'parent=yes\npath=/srv/g\ntype=absent\n' } },
    ]);
    // were the result sent ahead used, the file task would see a directory and fail
    h1.aheadReply = (cmd) => (fileProbe('/srv/g').test(cmd) ? { code: 0, stdout: 'parent=yes\npath=/srv/g\ntype=directory\nmode=755\nkind=directory\n', stderr: '' } : undefined);
    const r = await runFake(play('    - shell: exit 3\n      ignore_errors: true\n    - file: {path: /srv/g, state: touch}\n'),
      { conns: { h1 }, inventory: 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n' });
    expect(h1.aheadRan.filter((c) => fileProbe('/srv/g').test(c)), 'it was sent ahead').to.have.length(1);
    expect(outcomes(r, 'h1')).to.deep.equal(['shell=failed', 'file=changed']);
    expect(h1.cmds.filter((c) => fileProbe('/srv/g').test(c)), 'probed again for real (the poisoned answer sent ahead was not used)').to.have.length(1);
  });

  it('never uses the probe when failed_when fails the task that carried it', async () => {
    const h1 = new PipelinedHost('h1', [{ match: fileProbe('/srv/g'), reply: { stdout: 'parent=yes\npath=/srv/g\ntype=absent\n' } }]);
    h1.aheadReply = (cmd) => (fileProbe('/srv/g').test(cmd) ? { code: 0, stdout: 'parent=yes\npath=/srv/g\ntype=directory\nmode=755\nkind=directory\n', stderr: '' } : undefined);
    const r = await runFake(play('    - shell: echo hi\n      failed_when: true\n      ignore_errors: true\n    - file: {path: /srv/g, state: touch}\n'),
      { conns: { h1 }, inventory: 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n' });
    expect(h1.aheadRan).to.have.length(1);
    expect(outcomes(r, 'h1')).to.deep.equal(['shell=failed', 'file=changed']);
  });

  it('does not send ahead the probe of a task that reads a registered result', async () => {
    const h1 = new PipelinedHost('h1', []);
    await runFake(play('    - shell: echo hi\n      register: out\n    - file: {path: "/srv/{{ out.stdout }}", state: touch}\n'),
      { conns: { h1 }, inventory: 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n' });
    expect(h1.aheadRan).to.deep.equal([]);
  });

  it('does not send ahead when the host is another one (a delegated apply) or the next item is a loop', async () => {
    const h1 = new PipelinedHost('h1', []);
    await runFake(play('    - shell: echo hi\n    - file: {path: "/srv/{{ item }}", state: touch}\n      loop: [a, b]\n'),
      { conns: { h1 }, inventory: 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n' });
    expect(h1.aheadRan).to.deep.equal([]);
  });

  it('answers only the first command, and only when it is the same command', async () => {
    const inner = new FakeConnection('h1', [{ match: /^stat/, reply: { stdout: 'fresh' } }]);
    const pre = { taskId: 't', cmd: 'stat /a', result: Promise.resolve({ code: 0, stdout: 'ahead', stderr: '' }), valid: true };
    const a: Connection = answeringFirst(inner, pre);
    expect((await a.exec('stat /a')).stdout).to.equal('ahead');
    expect((await a.exec('stat /a')).stdout, 'the second time it goes to the host').to.equal('fresh');
    const b = answeringFirst(inner, pre);
    expect((await b.exec('stat /b')).stdout, 'another command goes to the host').to.equal('fresh');
    expect((await b.exec('stat /a')).stdout, 'and the probe sent ahead is no longer used').to.equal('fresh');
  });

  it('runs the command again when the shell it went ahead to ended meanwhile', async () => {
    const inner = new FakeConnection('h1', [{ match: /^stat/, reply: { stdout: 'fresh' } }]);
    const pre = { taskId: 't', cmd: 'stat /a', result: Promise.resolve({ code: 255, stdout: '', stderr: SHELL_ENDED }), valid: true };
    expect((await answeringFirst(inner, pre).exec('stat /a')).stdout).to.equal('fresh');
  });

  describe('warm streak: probes of the following tasks go ahead in one batch', () => {
    const DIR = (path: string) => `path=${path}\ntype=directory\nmode=755\nuid=0\ngid=0\nowner=root\ngroup=root\nsize=4096\nmtime=1\nkind=directory\n`;
    const ONE = 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n';
    /** /srv/d is a directory; /srv/f is absent until a put writes it (each probe answers from the moment it runs). */
    const host = () => {
      const h: PipelinedHost = new PipelinedHost('h1', [
        { match: fileProbe('/srv/d'), reply: { stdout: DIR('/srv/d') } },
        { match: fileProbe('/srv/f'), reply: () => ({ stdout: h.puts.some((p) => p.path === '/srv/f') ? FILE('/srv/f', '644') : 'parent=yes\npath=/srv/f\ntype=absent\n' }) },
      ]);
      return h;
    };
    const wire = (h: PipelinedHost, re: RegExp) => h.cmds.filter((c) => re.test(c)).length - h.aheadRan.filter((c) => re.test(c)).length;

    it('after a task with nothing to do, sends the probes of all following tasks with the next probe, and uses them', async () => {
      const h1 = host();
      const tasks = [1, 2, 3, 4, 5].map((i) => `    - file: {path: /srv/d, state: directory, mode: "0755"}\n      name: d${i}\n`).join('');
      const r = await runFake(play(tasks), { conns: { h1 }, inventory: ONE });
      expect(outcomes(r, 'h1')).to.deep.equal(['d1=ok', 'd2=ok', 'd3=ok', 'd4=ok', 'd5=ok']);
      expect(h1.aheadRan, 'd3, d4 and d5 went ahead with the probe of d2').to.have.length(3);
      expect(wire(h1, fileProbe('/srv/d')), 'only d1 and d2 probed on their own').to.equal(2);
    });

    it('drops the batch from the first task that changes something: a probe that ran before an apply is never used', async () => {
      const h1 = host();
      const r = await runFake(play([
        '    - {name: d1, file: {path: /srv/d, state: directory}}\n',
        '    - {name: d2, file: {path: /srv/d, state: directory}}\n',
        '    - {name: write f, copy: {dest: /srv/f, content: "x\\n"}}\n',
        '    - {name: d4, file: {path: /srv/d, mode: "0755"}}\n',
        '    - {name: mode of f, file: {path: /srv/f, mode: "0600"}}\n',
      ].join('')), { conns: { h1 }, inventory: ONE });
      // had the batched probe of /srv/f (it ran before the put, and saw no file) been used, the last task would fail
      expect(outcomes(r, 'h1')).to.deep.equal(['d1=ok', 'd2=ok', 'write f=changed', 'd4=ok', 'mode of f=changed']);
      expect(h1.ran(/^chmod -- 0?600 \/srv\/f$/)).to.have.length(1);
      const fProbes = h1.cmds.filter((c) => fileProbe('/srv/f').test(c));
      expect(fProbes, 'write f and mode of f each went ahead with d2, and mode of f was probed again after the put').to.have.length(3);
      expect(wire(h1, fileProbe('/srv/f'))).to.equal(1);
    });

    it('is not used by a failed task\'s successors: a failure drops everything sent ahead', async () => {
      const h1 = host();
      h1.aheadReply = (cmd) => (fileProbe('/srv/f').test(cmd) ? { code: 0, stdout: 'parent=yes\npath=/srv/f\ntype=directory\nmode=755\nkind=directory\n', stderr: '' } : undefined);
      const r = await runFake(play([
        '    - {name: d1, file: {path: /srv/d, state: directory}}\n',
        '    - {name: d2, file: {path: /srv/d, state: directory}}\n',
        '    - {name: bad, file: {path: /srv/d, state: link}, ignore_errors: true}\n',
        '    - {name: touch f, file: {path: /srv/f, state: touch}}\n',
      ].join('')), { conns: { h1 }, inventory: ONE });
      expect(outcomes(r, 'h1')).to.deep.equal(['d1=ok', 'd2=ok', 'bad=failed', 'touch f=changed']);
      expect(h1.aheadRan.filter((c) => fileProbe('/srv/f').test(c)), 'it went ahead with d2').to.have.length(1);
      expect(h1.cmds.filter((c) => fileProbe('/srv/f').test(c)), 'and was probed again for real (the poisoned answer is not in cmds)').to.have.length(1);
      expect(h1.ran(/^touch -- \/srv\/f$/), 'touched as a file that does not exist yet').to.have.length(1);
    });
  });
});
