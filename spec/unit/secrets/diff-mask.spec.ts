// Diffs after a secret rotation: the old value was never known to be a secret, so the rules, not the
// redactor alone, must keep it out. Decisions come from the real copy and lineinfile modules.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { maskDiffText, maskedFileDiff } from '../../../runner/secrets/diff-mask.js';
import { MASK, Redactor } from '../../../runner/secrets/redact.js';
import { copyModule } from '../../../runner/modules/copy.js';
import { lineinfileModule } from '../../../runner/modules/lineinfile.js';
import { parseContentProbe } from '../../../runner/modules/content-file.js';
import type { Decision } from '../../../runner/modules/types.js';
import { dctx } from '../modules/helpers.js';

const key = () => randomBytes(16).toString('hex');

/** A content probe of /srv/x/app.conf holding `content`. */
function probeOf(content: string) {
  const b = Buffer.from(content);
  return parseContentProbe([
    'parent=yes', 'path=/srv/x/app.conf', 'type=file', 'mode=600', 'uid=0', 'gid=0', 'owner=root', 'group=root',
    `size=${b.length}`, 'mtime=1', 'kind=regular file', 'checksum=0000', `content=${b.toString('base64')}`, '',
  ].join('\n'), '/srv/x/app.conf');
}

const diffOf = (d: Decision): string => (d.kind === 'change' && d.diff) || '';

describe('diff masking', () => {
  const oldKey = key();
  const newKey = key();
  const r = new Redactor();
  r.add(newKey);
  const fileDiff = (p: string, b: string, a: string) => maskedFileDiff(r, p, b, a);
  const before = `# app\nsite = example\napi_key = ${oldKey}\nport = 1\n`;

  it('copy after a rotation: every line of both sides is masked, the old key never appears', () => {
    const d = copyModule.decide({ dest: '/srv/x/app.conf', content: before.replace(oldKey, newKey).replace('port = 1', 'port = 2') }, probeOf(before), dctx({ diff: true, fileDiff }));
    const diff = diffOf(d);
    expect(diff).to.include('--- /srv/x/app.conf').and.include('@@');
    expect(diff).to.not.include(oldKey).and.not.include(newKey).and.not.include('site = example').and.not.include('port');
    for (const l of diff.split('\n').filter((x) => /^[-+ ]/.test(x) && !/^(---|\+\+\+) /.test(x))) expect(l.slice(1)).to.equal(MASK);
  });

  it('lineinfile after a rotation: the same, for the edited file', () => {
    const d = lineinfileModule.decide({ path: '/srv/x/app.conf', regexp: '^api_key =', line: `api_key = ${newKey}` }, probeOf(before), dctx({ diff: true, fileDiff }));
    const diff = diffOf(d);
    expect(diff).to.include(`-${MASK}`).and.include(`+${MASK}`);
    expect(diff).to.not.include(oldKey).and.not.include(newKey).and.not.include('site');
  });

  it('a file without secrets keeps its ordinary diff', () => {
    const d = copyModule.decide({ dest: '/srv/x/app.conf', content: 'a\nb\n' }, probeOf('a\nc\n'), dctx({ diff: true, fileDiff }));
    expect(diffOf(d)).to.include('-c\n+b');
  });

  it('a text diff masks a secret line and the line it pairs with, on both sides', () => {
    const text = `--- monitor 1 (current)\n+++ monitor 1 (desired)\n@@ -1,3 +1,3 @@\n {\n-  "token": "${oldKey}",\n+  "token": "${newKey}",\n-  "a": 1\n+  "a": 2\n }\n`;
    const out = maskDiffText(r, text);
    expect(out).to.include(`-${MASK}\n+${MASK}`).and.include('-  "a": 1\n+  "a": 2');
    expect(out).to.not.include(oldKey).and.not.include(newKey);
  });

  it('a hunk-less diff (mysql_user grants) is masked too', () => {
    expect(maskDiffText(r, `--- u@h\n+++ u@h\n-password old-${oldKey}\n+password ${newKey}\n`)).to.equal(`--- u@h\n+++ u@h\n-${MASK}\n+${MASK}\n`);
  });
});
