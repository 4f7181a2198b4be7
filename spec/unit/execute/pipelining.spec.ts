// Pipelining (runner/execute/ahead.ts): the next task's probe travels with this task's apply. Over a
// fake host that runs a command sent ahead right after the one carrying it, as the remote shell does,
// and answers a probe from what the host holds at that moment.
import { expect } from 'chai';
import type { Connection, ExecOptions, ExecResult, PutOptions } from '../../../runner/connection/types.js';
import { answeringFirst } from '../../../runner/execute/ahead.js';
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
  #sendAhead(ahead: ExecOptions["ahead"]): void {
    if (!ahead || ahead.host !== this.host) return;
    this.aheadRan.push(ahead.cmd);
    const poisoned = this.aheadReply?.(ahead.cmd);
    // evaluated now, after the carrying command: what the host holds at this moment
    ahead.result = poisoned ? Promise.resolve(poisoned) : super.exec(ahead.cmd);
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
});
