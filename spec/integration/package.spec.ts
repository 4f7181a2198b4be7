// The package as a user installs it: npm pack, a global install into a temporary prefix, then the
// installed `play` from a directory that is not the clone. Needs the npm registry for dependencies.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/play.js';

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

describe('the npm package', function () {
  this.timeout(600000);
  let prefix: string;
  let packed: string[];

  before(() => {
    const out = mkdtempSync(join(tmpdir(), 'play-pack-'));
    // the build already ran (pretest); prepare would run it again
    const json = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out], ROOT, { PLAY_SKIP_PREPARE: '1' })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packed = json[0]!.files.map((f) => f.path);
    prefix = mkdtempSync(join(tmpdir(), 'play-prefix-'));
    run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(out, json[0]!.filename)], out);
  });

  it('carries the built CLI, the schemas, the license and the docs, and no tests or sources', () => {
    for (const f of ['bin/play', 'dist/play.mjs', 'dist/validators.generated.cjs', 'LICENSE', 'CHANGELOG.md', 'README.md', 'docs/getting-started.md', 'runner/load/schemas/playbook.schema.json', 'runner/load/schemas/play.bundle.schema.json']) {
      expect(packed, f).to.include(f);
    }
    expect(packed.filter((f) => f.startsWith('spec/') || f.endsWith('.ts') || f.startsWith('testbed/'))).to.deep.equal([]);
  });

  it('installs a play that prints its version and validates a project from another directory', () => {
    expect(readdirSync(join(prefix, 'bin'))).to.include('play');
    const elsewhere = mkdtempSync(join(tmpdir(), 'play-elsewhere-'));
    const play = join(prefix, 'bin', 'play');
    expect(run(play, ['--version'], elsewhere)).to.match(/^play \d+\.\d+\.\d+ \(Node v\d+/);
    writeFileSync(join(elsewhere, 'site.yml'), '- hosts: web\n  gather_facts: false\n  tasks:\n    - name: a file\n      copy: {dest: /tmp/x, content: "y"}\n');
    writeFileSync(join(elsewhere, 'hosts'), '[web]\nw1 ansible_host=127.0.0.1\n');
    expect(run(play, ['validate', 'site.yml', '-i', 'hosts'], elsewhere)).to.equal('site.yml: valid (1 plays, 1 tasks)\n');
    writeFileSync(join(elsewhere, 'bad.yml'), '- hosts: web\n  tasks:\n    - coppy: {dest: /x}\n');
    let err: { status?: number; stderr?: string } = {};
    try {
      run(play, ['validate', 'bad.yml', '-i', 'hosts'], elsewhere);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.status).to.equal(4);
    expect(err.stderr).to.include("bad.yml:3:7: unknown module 'coppy'");
  });
});
