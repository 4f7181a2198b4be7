// The true floor's combined script, run by a real /bin/sh: each task's end and status are marked,
// changed tasks are counted, and a failing task stops the script and is reported by name.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { combinedChanged, combinedScript } from '../../../bench/floor.js';
import type { FloorTask } from '../../../bench/floor-tasks.js';

const task = (name: string, script: string): FloorTask => ({ name, script: () => script });

describe('bench true floor: one script per host', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'floor-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every snippet in order and counts the ones that printed "changed"', () => {
    const f = join(dir, 'f');
    const tasks = [
      task('create', `if [ -e ${f} ]; then :; else echo one > ${f} && echo changed; fi`),
      task('again', `if [ -e ${f} ]; then :; else echo two > ${f} && echo changed; fi`),
      task('append', `echo three >> ${f} && echo changed`),
    ];
    const out = execFileSync('sh', ['-c', combinedScript('h1', tasks)], { encoding: 'utf8' });
    expect(combinedChanged(out, tasks, 'h1')).to.equal(2);
    expect(readFileSync(f, 'utf8')).to.equal('one\nthree\n');
  });

  it('stops at the first failing task and names it', () => {
    const f = join(dir, 'after');
    const tasks = [task('ok', 'true'), task('breaks', 'echo oops; exit 3'), task('never', `touch ${f}`)];
    const r = spawnSync('sh', ['-c', combinedScript('h1', tasks)], { encoding: 'utf8' });
    expect(r.status).to.equal(3);
    expect(() => combinedChanged(r.stdout, tasks, 'h1')).to.throw(/h1 task "breaks" failed \(3\): oops/);
    expect(spawnSync('test', ['-e', f]).status, 'the task after the failure did not run').to.equal(1);
  });

  it('reports a task whose end marker never came (a truncated output)', () => {
    const tasks = [task('a', 'true'), task('b', 'true')];
    const out = execFileSync('sh', ['-c', combinedScript('h1', tasks)], { encoding: 'utf8' });
    const cut = out.slice(0, out.lastIndexOf('@@floor-end@@1'));
    expect(() => combinedChanged(cut, tasks, 'h1')).to.throw(/task "b" did not finish/);
  });
});
