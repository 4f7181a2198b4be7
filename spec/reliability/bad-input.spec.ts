// Bad input through the real CLI: one fixture dir per case under spec/fixtures/reliability/bad/ with
// expected.json {exit, file, line, message, args?, playbook?, generate?}. Every inventory points at a
// loopback listener that counts connections: a refused run must contact no host, write no state,
// and keep its memory bounded.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/play.js';
import { connectionCounter, runCli, tempDir, type ConnCounter } from './support.js';

const BAD = join(ROOT, 'spec', 'fixtures', 'reliability', 'bad');
const CONTROL = join(ROOT, 'spec', 'fixtures', 'reliability', 'control');
const LISTEN = { host: '127.0.60.250', port: 2222 };
/** A refused run never needs more than this; reading a 50 MB file or expanding an alias bomb would. */
const RSS_BOUND_KB = 200 * 1024;

interface Expected {
  exit: 4 | 5;
  file: string | null;
  line: number | null;
  message: string;
  args?: string[];
  /** Playbook argument; default site.yml; null for none. */
  playbook?: string | null;
  generate?: '50MB site.yml' | '2500-level YAML' | '10000-level group chain';
}

/** A play whose vars nest 2,500 mappings deep, in block style (6 MB: generated, not stored). */
function writeDeepYaml(file: string): void {
  const lines = ['- hosts: all', '  vars:', '    x:'];
  for (let i = 0; i < 2500; i++) lines.push(`${'  '.repeat(i + 3)}k${i === 2499 ? ': 1' : ':'}`);
  writeFileSync(file, `${lines.join('\n')}\n  tasks:\n    - debug: {msg: hi}\n`);
}

/** An inventory where g0 > g1 > ... > g9999 through children references; web1 sits in the last group. */
function writeGroupChain(file: string): void {
  const out = ['all:', '  children:'];
  for (let i = 0; i < 10000; i++) {
    out.push(`    g${i}:`);
    out.push(i < 9999 ? `      children: {g${i + 1}: {}}` : '      hosts: {web1: {}}');
  }
  writeFileSync(file, `${out.join('\n')}\n`);
}

/** 50 MB of syntactically valid YAML: a play followed by a very long list of tasks. */
function writeHugePlaybook(file: string): void {
  const fd = openSync(file, 'w');
  writeSync(fd, '- hosts: all\n  gather_facts: false\n  tasks:\n');
  const chunk = '    - name: filler task number 0000\n      command: "true"\n'.repeat(20000);
  let written = 0;
  while (written < 50 * 1024 * 1024) written += writeSync(fd, chunk);
  closeSync(fd);
}

function argsFor(exp: Expected): string[] {
  const a = exp.args ?? [];
  const playbook = exp.playbook === undefined ? 'site.yml' : exp.playbook;
  return [...(playbook ? [playbook] : []), ...(a.includes('-i') ? [] : ['-i', 'inventory.yml']), ...a];
}

/** group_vars/all.yml names ./client_key: with a key a connection is possible, so "zero connections" means refused. */
function copyCase(src: string, name: string, key: string): string {
  const dir = tempDir(name);
  cpSync(src, dir, { recursive: true });
  copyFileSync(key, join(dir, 'client_key'));
  return dir;
}

describe('bad input is refused before any host is contacted', function () {
  let counter: ConnCounter;
  let key: string;
  before(async () => {
    counter = await connectionCounter(LISTEN.host, LISTEN.port);
    key = join(tempDir('key'), 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  });
  after(async () => counter.close());

  it('control: a valid playbook with the same inventory does reach the listener (exit 3)', async () => {
    const dir = copyCase(CONTROL, 'control', key);
    const before = counter.count;
    const r = await runCli(['site.yml', '-i', 'inventory.yml', '--no-state', '--json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).to.equal(3);
    expect(counter.count - before, 'the listener saw the connection attempt').to.be.greaterThan(0);
  });

  const cases = readdirSync(BAD).sort();
  it('has at least 40 cases', () => {
    expect(cases.length).to.be.at.least(40);
  });

  for (const name of cases) {
    it(name, async () => {
      const exp = JSON.parse(readFileSync(join(BAD, name, 'expected.json'), 'utf8')) as Expected;
      const dir = copyCase(join(BAD, name), name, key);
      if (exp.generate === '50MB site.yml') writeHugePlaybook(join(dir, 'site.yml'));
      if (exp.generate === '2500-level YAML') writeDeepYaml(join(dir, 'site.yml'));
      if (exp.generate === '10000-level group chain') writeGroupChain(join(dir, 'inventory.yml'));
      const before = counter.count;
      const r = await runCli(argsFor(exp), { cwd: dir });
      const shown = `exit ${r.code}\nstderr:\n${r.stderr.slice(0, 3000)}`;
      expect(r.code, shown).to.equal(exp.exit);
      expect(r.stdout, 'nothing on stdout').to.equal('');
      const lines = r.stderr.split('\n').filter(Boolean);
      if (exp.exit === 4) {
        const prefix = `${exp.file}:${exp.line}:`;
        const hit = lines.find((l) => l.startsWith(prefix) && /^\d+: /.test(l.slice(prefix.length)) && l.includes(exp.message));
        expect(hit, `no line '${prefix}<col>: …${exp.message}…' in\n${shown}`).to.be.a('string');
        expect(lines.at(-1)).to.match(/^\d+ problem\(s\) found; nothing was run\.$/);
      } else {
        expect(lines[0], shown).to.include(exp.message);
      }
      expect(counter.count - before, 'connections to the inventory host').to.equal(0);
      expect(existsSync(join(dir, '.play')), 'no state store created').to.equal(false);
      expect(r.peakRssKb, `peak RSS ${r.peakRssKb} KiB`).to.be.greaterThan(0).and.lessThan(RSS_BOUND_KB);
      if (exp.generate) console.log(`      ${name}: refused, peak RSS ${(r.peakRssKb / 1024).toFixed(0)} MB`);
    });
  }
});
