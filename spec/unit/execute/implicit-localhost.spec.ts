// Through the built CLI: `hosts: all` in a repo without an inventory never runs on the controller
// (Ansible's rule), says so, and --list-hosts shows what each play matched.
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { play } from '../../support/play.js';

describe('the implicit localhost through the CLI', function () {
  this.timeout(20000);
  let dir: string;
  let marker: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'play-implicit-'));
    marker = join(dir, 'ran-on-the-controller');
    writeFileSync(join(dir, 'site.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: mark\n      command: touch ${marker}\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hosts: all with no inventory runs nothing here, warns, and exits 0', async () => {
    const r = await play([join(dir, 'site.yml'), '--no-state', '--json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(existsSync(marker)).to.equal(false);
    const warnings = r.events.flatMap((e) => (e.kind === 'warning' ? [e.msg] : []));
    expect(warnings.join('\n')).to.include("the implicit localhost does not match 'all'");
    expect(r.events.some((e) => e.kind === 'host_result')).to.equal(false);
  });

  it('--list-hosts shows that the play matched no host, and why', async () => {
    const r = await play([join(dir, 'site.yml'), '--list-hosts'], { cwd: dir });
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^play 'all' \(all\): 0 host\(s\)\n {2}\[WARNING\] .*site\.yml:1: hosts: pattern 'all' matches no host/);
  });

  it('naming localhost still runs there', async () => {
    writeFileSync(join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: mark\n      command: touch ${marker}\n`);
    const r = await play([join(dir, 'site.yml'), '--no-state'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(existsSync(marker)).to.equal(true);
  });
});
