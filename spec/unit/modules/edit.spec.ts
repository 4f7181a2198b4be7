// blockinfile and replace: the text edits against outputs recorded from ansible-core 2.14.18
// (fixtures/*-ansible.json: `ansible localhost -c local -m <module>` on the same input), then decisions and round trips.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editBlock } from '../../../runner/modules/blockinfile-edit.js';
import { blockinfileModule } from '../../../runner/modules/blockinfile.js';
import { replaceModule, replaceText } from '../../../runner/modules/replace.js';
import { pyRegex, pySubn } from '../../../runner/modules/pyre.js';
import { parseContentProbe } from '../../../runner/modules/content-file.js';
import { cmds, dctx, failMsg, reason } from './helpers.js';
import { converge, step } from './round-trip.js';

interface Recorded { before: string; args: Record<string, string>; after: string; changed: boolean }
const recorded = (name: string): Recorded[] => JSON.parse(readFileSync(new URL(`./fixtures/${name}-ansible.json`, import.meta.url), 'utf8'));

describe('Python regexes in JavaScript', () => {
  const re = (s: string, f = {}) => { const r = pyRegex(s, f); if (!r.ok) throw new Error(r.msg); return r.re; };
  it('translates named groups, backreferences, \\A, \\Z and inline flags', () => {
    expect(pySubn(re('(?P<k>\\w+)=(?P=k)'), '<\\g<k>>', 'a=a b=c').text).to.equal('<a> b=c');
    expect(pySubn(re('\\Ax|y\\Z'), '_', 'xxyy').text).to.equal('_xy_');
    expect(pySubn(re('(?i)abc'), '-', 'ABC').text).to.equal('-');
  });
  it("without MULTILINE, $ also matches before a final newline; [$] stays a character", () => {
    expect(re('b$').test('ab\n')).to.equal(true);
    expect(pySubn(re('[$]'), 'S', 'a$').text).to.equal('aS');
  });
  it('a replacement template never reads $ specially and expands \\n', () => {
    expect(pySubn(re('x'), '$&\\n', 'x').text).to.equal('$&\n');
  });
  it('an invalid pattern is one clear error', () => {
    expect(pyRegex('(').ok).to.equal(false);
  });
});

describe('blockinfile', () => {
  for (const [i, c] of recorded('blockinfile').entries()) {
    it(`edits like Ansible: case ${i} ${JSON.stringify(c.args)}`, () => {
      const a = c.args;
      const r = editBlock(c.before, { state: (a.state as 'absent') ?? 'present', block: a.block ?? '', marker: a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK', marker_begin: a.marker_begin ?? 'BEGIN', marker_end: a.marker_end ?? 'END', insertafter: a.insertafter, insertbefore: a.insertbefore });
      expect(r.ok && r.text).to.equal(c.after);
      expect(r.ok && r.text !== c.before).to.equal(c.changed);
    });
  }
  const absent = parseContentProbe('path=/etc/x\ntype=absent\nparent=yes\n', '');
  it('fails on a missing file without create; absent on a missing file is ok', () => {
    expect(failMsg(blockinfileModule.decide({ path: '/etc/x', block: 'a' }, absent, dctx()))).to.equal('Path /etc/x does not exist !');
    expect(reason(blockinfileModule.decide({ path: '/etc/x', state: 'absent', create: true }, absent, dctx()))).to.equal('File /etc/x not present');
  });
  it('creates the file with the block and the mode', () => {
    const d = blockinfileModule.decide({ path: '/etc/x', block: 'a', create: true, mode: '0600' }, absent, dctx());
    expect(cmds(d)).to.deep.equal(['put /etc/x 600']);
    expect(d.kind === 'change' && d.summary).to.equal('create /etc/x with the block');
  });
  it('normalize maps dest and content', () => {
    expect(blockinfileModule.normalize!({ dest: '/x', content: 'b' })).to.deep.equal({ path: '/x', block: 'b' });
  });
});

describe('replace', () => {
  for (const [i, c] of recorded('replace').entries()) {
    it(`replaces like Ansible: case ${i} ${JSON.stringify(c.args)}`, () => {
      const r = replaceText(c.before, { regexp: "", ...c.args });
      expect(r.ok && r.text).to.equal(c.after);
      expect(r.ok && r.count > 0).to.equal(c.changed);
    });
  }
  it('fails on a missing path and on a directory, with the module messages', () => {
    expect(failMsg(replaceModule.decide({ path: '/x', regexp: 'a' }, parseContentProbe('path=/x\ntype=absent\nparent=yes\n', ''), dctx()))).to.equal('Path /x does not exist !');
    expect(failMsg(replaceModule.decide({ path: '/d', regexp: 'a' }, parseContentProbe('path=/d\ntype=directory\nmode=755\nkind=directory\n', ''), dctx()))).to.equal('Path /d is a directory !');
  });
});

describe('blockinfile and replace applied locally', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'play-edit-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  it('blockinfile inserts after a regex, then is a noop; owner/mode fixed alone', async () => {
    const path = join(dir, 'conf');
    writeFileSync(path, '[main]\nkey=1\n[other]\n');
    await converge(blockinfileModule, { path, block: 'a=1\nb=2', insertafter: '^\\[main\\]' });
    expect(readFileSync(path, 'utf8')).to.equal('[main]\n# BEGIN ANSIBLE MANAGED BLOCK\na=1\nb=2\n# END ANSIBLE MANAGED BLOCK\nkey=1\n[other]\n');
    expect(cmds(await step(blockinfileModule, { path, block: 'a=1\nb=2', mode: '0600' }))).to.deep.equal([`chmod -- 0600 ${path}`]);
  });
  it('replace rewrites the matches and keeps the mode', async () => {
    const path = join(dir, 'r');
    writeFileSync(path, 'x=1\nx=2\n', { mode: 0o640 });
    expect(await converge(replaceModule, { path, regexp: '^x=(\\d)$', replace: 'y=\\1' })).to.match(/no match of/);
    expect(readFileSync(path, 'utf8')).to.equal('y=1\ny=2\n');
    expect(statSync(path).mode & 0o777).to.equal(0o640);
  });
});
