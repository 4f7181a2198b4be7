import { expect } from 'chai';
import { escapeControls, escapeLine } from '../../../runner/report/sanitize.js';
import { plainReporter } from '../../../runner/report/plain.js';
import { jsonReporter } from '../../../runner/report/json.js';
import { outputLines, runningTitle } from '../../../runner/report/listr.js';
import type { RunEvent } from '../../../runner/events.js';

const hostile = 'ok\x1b[2J\x1b]0;pwned\x07 \rh2: ok\u202eevil\x9b31m\x00';

describe('control characters from hosts', () => {
  it('are escaped, newline and tab kept', () => {
    expect(escapeControls(`${hostile}\n\tend`)).to.equal('ok\\x1b[2J\\x1b]0;pwned\\x07 \\rh2: ok\\u202eevil\\x9b31m\\0\n\tend');
    expect(escapeLine('a\nb')).to.equal('a\\nb');
  });

  it('never reach the plain reporter raw: -v output, messages, debug text, host and task names', () => {
    let out = '';
    const r = plainReporter((s) => (out += s), { verbose: true, diff: true });
    const events: RunEvent[] = [
      { kind: 'task_start', taskId: 't', name: `show ${hostile}`, src: { file: 'p.yml', line: 1, col: 1 }, hosts: ['h1'], handler: false },
      { kind: 'output', taskId: 't', host: 'h1', stream: 'stdout', chunk: `${hostile}\n` },
      { kind: 'host_result', taskId: 't', task: 'show', host: 'h1', outcome: { status: 'failed', msg: `rc 1: ${hostile}\nh2: ok - forged` }, ms: 1, message: hostile },
      { kind: 'warning', host: 'h\n1', msg: hostile },
    ];
    events.forEach((e) => r.emit(e));
    expect(out).to.not.match(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(out).to.include('\\x1b[2J');
    // no line of the output starts like another host's result line
    expect(out.split('\n').filter((l) => /^ {2}h2: /.test(l))).to.deep.equal([]);
    expect(out).to.include('[WARNING] h\\n1:');
  });

  it('--json keeps the exact bytes, JSON-escaped', async () => {
    let out = '';
    const r = jsonReporter((s) => (out += s));
    r.emit({ kind: 'output', taskId: 't', host: 'h1', stream: 'stdout', chunk: hostile });
    await r.close();
    expect(out.trimEnd().split('\n')).to.have.length(1);
    expect((JSON.parse(out) as { chunk: string }).chunk).to.equal(hostile);
  });
});

describe('live view helpers', () => {
  it('-v lines carry the host name, escaped', () => {
    const text = outputLines('web1', 'one\ntwo\x1b[1m\n');
    expect(text.split('\n')).to.have.length(2);
    expect(text.split('\n').every((l) => l.includes('web1 |'))).to.equal(true);
    expect(text).to.include('two\\x1b[1m');
  });
  it('a long-running row shows its elapsed time', () => {
    expect(runningTitle('web1', 400)).to.equal('web1');
    expect(runningTitle('web1', 65_300)).to.include('web1').and.include('running 65.0s');
  });
});
