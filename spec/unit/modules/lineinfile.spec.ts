// lineinfile: Ansible's edit semantics (pure) and recorded probe -> decision.
import { expect } from 'chai';
import { editLines } from '../../../runner/modules/lineinfile-edit.js';
import { lineinfileModule } from '../../../runner/modules/lineinfile.js';
import { parseContentProbe } from '../../../runner/modules/content-file.js';
import { cmds, dctx, failMsg, fx, reason } from './helpers.js';

const edit = (text: string, a: Parameters<typeof editLines>[1]): string => {
  const r = editLines(text, a);
  if (!r.ok) throw new Error(r.msg);
  return r.text;
};

describe('lineinfile edit semantics', () => {
  it('replaces the LAST regexp match', () => {
    expect(edit('a=1\nb=2\na=3\n', { state: 'present', regexp: '^a=', line: 'a=9' })).to.equal('a=1\nb=2\na=9\n');
  });
  it('replaces the first match with firstmatch', () => {
    expect(edit('a=1\nb=2\na=3\n', { state: 'present', regexp: '^a=', line: 'a=9', firstmatch: true })).to.equal('a=9\nb=2\na=3\n');
  });
  it('inserts after the LAST insertafter match, and appends at EOF otherwise', () => {
    expect(edit('[x]\nk=1\n[x]\nk=2\n', { state: 'present', line: 'new', insertafter: '^\\[x\\]' })).to.equal('[x]\nk=1\n[x]\nnew\nk=2\n');
    expect(edit('a\nb\n', { state: 'present', line: 'c', insertafter: '^zzz' })).to.equal('a\nb\nc\n');
    expect(edit('a\nb', { state: 'present', line: 'c' })).to.equal('a\nb\nc\n');
  });
  it('inserts before a match and at BOF', () => {
    expect(edit('a\n# end\n', { state: 'present', line: 'x', insertbefore: '^# end' })).to.equal('a\nx\n# end\n');
    expect(edit('a\n', { state: 'present', line: 'x', insertbefore: 'BOF' })).to.equal('x\na\n');
  });
  it('does not add a line that is already there (no regexp)', () => {
    const r = editLines('a\nx\n', { state: 'present', line: 'x', insertafter: '^a' });
    expect(r.ok && r.changed).to.equal(false);
  });
  it('when regexp does not match but the line exists, leaves it', () => {
    const r = editLines('PermitRootLogin no\n', { state: 'present', regexp: '^#?PermitRootLogin yes', line: 'PermitRootLogin no' });
    expect(r.ok && r.changed).to.equal(false);
  });
  it('backrefs expand groups and do nothing without a match', () => {
    expect(edit('port = 80\n', { state: 'present', regexp: '^port = (\\d+)$', line: 'port = \\1 # was \\g<1>', backrefs: true })).to.equal('port = 80 # was 80\n');
    expect(edit('x\n', { state: 'present', regexp: '^nope', line: 'y', backrefs: true })).to.equal('x\n');
  });
  it('absent removes every matching line', () => {
    const r = editLines('a\nb\na\n', { state: 'absent', line: 'a' });
    expect(r).to.deep.include({ ok: true, text: 'b\n', found: 2, msg: '2 line(s) removed' });
  });
  it('translates Python named groups', () => {
    expect(edit('v=1\n', { state: 'present', regexp: '^v=(?P<n>\\d)$', line: 'v=\\g<n>\\g<n>', backrefs: true })).to.equal('v=11\n');
  });
});

describe('lineinfile decide', () => {
  const probe = parseContentProbe(fx('lineinfile-sshd'), '/srv/fx/sshd_config');
  it('replaces a line: put with the same mode, owner kept, diff shown', () => {
    const d = lineinfileModule.decide({ path: '/srv/fx/sshd_config', regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' }, probe, dctx({ diff: true }));
    expect(cmds(d)).to.deep.equal(['put /srv/fx/sshd_config 644 as root:root']);
    expect(d.kind === 'change' && d.summary).to.match(/^replace a line in \/srv\/fx\/sshd_config/);
    expect(d.kind === 'change' && d.diff).to.contain('-PermitRootLogin yes\n+PermitRootLogin no');
  });
  it('noop with a reason when the line is there', () => {
    const d = lineinfileModule.decide({ path: '/srv/fx/sshd_config', regexp: '^PasswordAuthentication', line: 'PasswordAuthentication yes' }, probe, dctx());
    expect(reason(d)).to.equal('/srv/fx/sshd_config already has the line "PasswordAuthentication yes"; mode 0644, owner root, group root');
  });
  it('absent: noop when nothing matches', () => {
    expect(reason(lineinfileModule.decide({ path: '/srv/fx/sshd_config', regexp: '^UseDNS', state: 'absent' }, probe, dctx()))).to.match(/has no line matching \^UseDNS/);
  });
  it('missing file: fail without create, create with it', () => {
    const gone = parseContentProbe(fx('copy-noparent'), '/srv/fx/nodir/x.conf');
    expect(failMsg(lineinfileModule.decide({ path: '/srv/fx/nodir/x.conf', line: 'a' }, gone, dctx()))).to.equal('Destination /srv/fx/nodir/x.conf does not exist !');
    expect(cmds(lineinfileModule.decide({ path: '/srv/fx/nodir/x.conf', line: 'a', create: true, mode: '0600' }, gone, dctx()))).to.deep.equal([
      'for d in /srv /srv/fx /srv/fx/nodir; do [ -e "$d" ] || { mkdir -- "$d"; } || exit 1; done',
      'put /srv/fx/nodir/x.conf 600',
    ]);
  });
  it('normalize maps dest/regex/value aliases', () => {
    expect(lineinfileModule.normalize!({ dest: '/a', regex: 'x', value: 'y' })).to.deep.equal({ path: '/a', regexp: 'x', line: 'y' });
  });
});
