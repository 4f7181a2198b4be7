// The step contract's `contained` flag: a module's own core-utility steps run in a plain frame (no cut
// frame's sed relays), a user's command always in a cut one.
import { expect } from 'chai';
import type { Connection, ExecOptions } from '../../../runner/connection/types.js';
import { applySteps } from '../../../runner/execute/apply.js';
import { decideFile } from '../../../runner/modules/file.js';
import { decideContent } from '../../../runner/modules/content-file.js';
import { parseFileInfo } from '../../../runner/modules/fileinfo.js';
import type { Step } from '../../../runner/modules/types.js';

function recorder(): { conn: Connection; seen: Array<{ cmd: string; isolate: boolean | undefined }> } {
  const seen: Array<{ cmd: string; isolate: boolean | undefined }> = [];
  const conn: Connection = {
    host: 'h', execCount: 0,
    exec: async (cmd: string, o?: ExecOptions) => { seen.push({ cmd, isolate: o?.isolate }); return { code: 0, stdout: '', stderr: '' }; },
    put: async () => undefined,
    close: async () => undefined,
  };
  return { conn, seen };
}

const absent = parseFileInfo('path=/srv/x/y\ntype=absent\n', '/srv/x/y');

describe('contained steps', () => {
  it('file: directory, link, absent and attribute steps are contained, and still one command', () => {
    const dir = decideFile({ path: '/srv/x/y', state: 'directory', mode: '0750', owner: 'root' }, { info: absent });
    const link = decideFile({ path: '/srv/x/y', state: 'link', src: '/srv/z' }, { info: absent, srcExists: true });
    const gone = decideFile({ path: '/srv/x/y', state: 'absent' }, { info: { ...absent, type: 'file' } });
    for (const d of [dir, link, gone]) {
      expect(d.kind).to.equal('change');
      const steps = (d as { steps: Step[] }).steps;
      expect(steps).to.have.length(1);
      expect(steps[0]).to.include({ kind: 'exec', contained: 'core-utils' });
    }
  });

  it('copy: validate (a user\'s command) is never contained; the move after it is', () => {
    const d = decideContent({ dest: '/srv/x', validate: 'visudo -cf %s' }, Buffer.from('x'), { info: absent, parentExists: true }, { host: 'h', check: false, diff: false, vars: {}, fileDiff: () => '' });
    expect(d.kind).to.equal('change');
    const execs = (d as { steps: Step[] }).steps.filter((s): s is Extract<Step, { kind: 'exec' }> => s.kind === 'exec');
    expect(execs.map((s) => [s.describe.split(' ')[0], s.contained])).to.deep.equal([['validate', undefined], ['move', 'core-utils']]);
  });

  it('applySteps: a contained step goes without isolate, any other exec step with it', async () => {
    const { conn, seen } = recorder();
    const r = await applySteps(conn, [
      { kind: 'exec', describe: 'mkdir', cmd: 'mkdir -- /srv/a', contained: 'core-utils' },
      { kind: 'exec', describe: 'user command', cmd: 'sh -c "daemon &"' },
    ], { timeoutMs: 1000 });
    expect(r.ok).to.equal(true);
    expect(seen).to.deep.equal([{ cmd: 'mkdir -- /srv/a', isolate: false }, { cmd: 'sh -c "daemon &"', isolate: true }]);
  });
});
