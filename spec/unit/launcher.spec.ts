// bin/play starts Node from the build's start-up snapshot only when it fits (the same Node binary, no
// NODE_OPTIONS), and otherwise runs the plain bundle; both give the same answers.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAY_VERSION } from '../../runner/version.js';
import { BUNDLE, CLI, ROOT } from '../support/play.js';

const LOAD = join(ROOT, 'spec', 'fixtures', 'load');
const fixture = (name: string, ...args: string[]) => [join(LOAD, name, 'site.yml'), '-i', join(LOAD, name, 'inventory.yml'), ...args];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/play, the launcher', function () {
  this.timeout(20000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'play-launcher-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('states the version in package.json', () => {
    expect(PLAY_VERSION).to.equal((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('starts from the snapshot with the Node it was built with', () => {
    const r = run(CLI, ['--version']);
    expect(r.code).to.equal(0);
    expect(r.out.trim()).to.equal(`play ${PLAY_VERSION} (Node ${process.version}, start-up snapshot)`);
  });

  it('runs the bundle for another Node binary, and under NODE_OPTIONS (Node would refuse the snapshot)', () => {
    const other = join(dir, 'bin');
    spawnSync('mkdir', ['-p', other]);
    copyFileSync(process.execPath, join(other, 'node'));
    spawnSync('chmod', ['+x', join(other, 'node')]);
    const copied = run(CLI, ['--version'], { PATH: `${other}:${process.env.PATH}` });
    expect(copied.out.trim()).to.equal(`play ${PLAY_VERSION} (Node ${process.version})`);
    const withOptions = run(CLI, ['--version'], { NODE_OPTIONS: '--max-old-space-size=512' });
    expect(withOptions.code, withOptions.err).to.equal(0);
    expect(withOptions.out.trim()).to.equal(`play ${PLAY_VERSION} (Node ${process.version})`);
  });

  it('on a terminal, shows the live view (listr2 loads at run time, from beside the blob); plain lines on one with no width', () => {
    const playbook = join(dir, 'hello.yml');
    writeFileSync(playbook, '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: say hello\n      debug: {msg: hello}\n');
    // script(1) gives the run a pseudo-terminal, of 0 columns unless stty sets them
    const onTerminal = (cols: number) => run('script', ['-qec', `stty cols ${cols}; ${CLI} ${playbook} --no-state`, '/dev/null']);
    const live = onTerminal(100);
    expect(live.code, live.out + live.err).to.equal(0);
    expect(live.out).to.match(/say hello\r?\n.*localhost.*ok.*hello/).and.to.match(/RECAP[\s\S]*localhost\s*:\s*ok=1/);
    expect(live.out).to.include('\x1b[?25l'); // the live view hides the cursor while it draws
    const narrow = onTerminal(0);
    expect(narrow.code, narrow.out + narrow.err).to.equal(0);
    expect(narrow.out).to.not.include('\x1b[?25l');
    expect(narrow.out).to.match(/say hello/).and.to.match(/RECAP[\s\S]*localhost\s*:\s*ok=1/);
  });

  it('follows a symlink to itself, as npm installs it', () => {
    const link = join(dir, 'play');
    symlinkSync(CLI, link);
    expect(run(link, ['--version']).out).to.include('start-up snapshot');
  });

  it('gives the bundle\'s answers: listing, validation, errors and exit codes, arguments that look like Node options', () => {
    const cases = [
      fixture('valid-real', '--list-tasks'),
      ['validate', ...fixture('valid-real')],
      ['validate', ...fixture('unknown-arg')],
      // a role's variable schema: ajv loads at run time, from beside the blob
      ['validate', ...fixture('role-vars-schema')],
      ['validate', join(LOAD, 'missing.yml')],
      ['--help'],
      ['run', '--no-such-flag', 'site.yml'],
    ];
    for (const args of cases) {
      const fromSnapshot = run(CLI, args);
      const fromBundle = run(process.execPath, [BUNDLE, ...args]);
      expect(fromSnapshot, args.join(' ')).to.deep.equal(fromBundle);
    }
  });
});
