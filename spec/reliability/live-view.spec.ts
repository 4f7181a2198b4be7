// The TTY (listr2) view on a real pseudo-terminal (script(1)) against a real host: -v lines carry the
// host name, escape sequences from the host are shown escaped, a secret split across chunks is masked,
// and a long-running task shows its elapsed time while it runs.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { CLI } from '../support/play.js';
import { tempDir } from './support.js';

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('live view (TTY)', function () {
  const tb = useTestbed(1);
  const k = randomBytes(16).toString('hex');
  let screen = '';

  before(function () {
    this.timeout(120000);
    const proj = tempDir('live');
    copyFileSync(tb.current.inventoryPath, join(proj, 'inventory.yml'));
    writeFileSync(join(proj, 'site.yml'), `- hosts: testhosts
  gather_facts: false
  tasks:
    - name: slow
      shell: |
        printf 'tick\\n'; sleep 1.5; printf 'col\\033[31mred\\n'; printf '%s' "$(printf %s "$K" | cut -c1-16)"; sleep 1.5; printf '%s\\n' "$(printf %s "$K" | cut -c17-)"; sleep 0.5
      environment: {K: "{{ datadog_api_key }}"}
`);
    const cmd = `stty cols 120 rows 40; ${sq(CLI)} site.yml -i inventory.yml --known-hosts ${sq(tb.current.knownHostsPath)} --no-state -v`;
    const log = join(proj, 'tty.log');
    execFileSync('script', ['-qec', cmd, log], { cwd: proj, env: { ...process.env, DD_API_KEY: k }, stdio: 'ignore' });
    screen = readFileSync(log, 'utf8');
  });

  it('-v lines carry the host name; a host\'s escape sequence is shown escaped', () => {
    const host = tb.current.hosts[0]!.name;
    expect(screen).to.include(`${host} |`);
    expect(screen).to.include('col\\x1b[31mred');
    expect(screen).to.not.include('col\x1b[31mred');
  });

  it('the key split across chunks never appears, nor either half', () => {
    expect(screen).to.include('********');
    expect(screen).to.not.include(k.slice(0, 16)).and.not.include(k.slice(16));
  });

  it('the running task shows its elapsed time', () => {
    expect(screen).to.match(/running \d+\.\ds/);
  });
});
