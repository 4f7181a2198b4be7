// copy/template/lineinfile onto a symlink: probe scripts and decisions (recorded probe output).
import { expect } from 'chai';
import { copyModule } from '../../../runner/modules/copy.js';
import { contentProbeScript, parseContentProbe } from '../../../runner/modules/content-file.js';
import { lineinfileModule, lineinfileProbeScript } from '../../../runner/modules/lineinfile.js';
import { cmds, dctx } from './helpers.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** What the probe prints for /srv/l/shadow -> /etc/shadow, not followed: no content, no checksum. */
const LINK = 'parent=yes\npath=/srv/l/shadow\ntype=link\ntarget=/etc/shadow\nsize=900\nmode=640\nuid=0\ngid=42\nowner=root\ngroup=shadow\nmtime=1\nkind=regular file\n';
/** The same link followed: the target's facts and content. */
const FOLLOWED = `link=/srv/l/shadow\nparent=yes\npath=/etc/shadow\ntype=file\nsize=12\nmode=640\nuid=0\ngid=42\nowner=root\ngroup=shadow\nmtime=1\nkind=regular file\ndigest=sha256\ncontent=${b64('root:x:1::\n')}\n`;

describe('symlinks', () => {
  it('without follow the probe never reads through a link; with follow it resolves the link first', () => {
    expect(contentProbeScript('/srv/l/shadow', undefined, true)).to.include('if [ "$t" = file ] && [ -r "$p" ]');
    const followed = contentProbeScript('/srv/l/shadow', undefined, true, true);
    expect(followed).to.include('p=$(readlink -f -- "$p")');
    expect(lineinfileProbeScript('/srv/l/shadow')).to.include('p=$(readlink -f -- "$p")');
  });

  it('copy (follow: false) replaces the link with a file; its diff has no old side', () => {
    const d = copyModule.decide({ dest: '/srv/l/shadow', content: 'harmless\n' }, parseContentProbe(LINK, '/srv/l/shadow'), dctx({ diff: true }));
    expect(d.kind).to.equal('change');
    if (d.kind !== 'change') return;
    expect(cmds(d)).to.deep.equal(['put /srv/l/shadow 644']);
    expect(d.summary).to.include('replace the symlink /srv/l/shadow (-> /etc/shadow)');
    expect(d.diff).to.include('+harmless');
    expect(d.diff!.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).to.deep.equal([]);
  });

  it('copy with follow: true writes the target, keeping its mode and owner', () => {
    const d = copyModule.decide({ dest: '/srv/l/shadow', content: 'x\n', follow: true }, parseContentProbe(FOLLOWED, '/srv/l/shadow'), dctx());
    expect(cmds(d)).to.deep.equal(['put /etc/shadow 640 as root:shadow']);
  });

  it('lineinfile edits the target of a link', () => {
    const d = lineinfileModule.decide({ path: '/srv/l/shadow', line: 'added' }, parseContentProbe(FOLLOWED, '/srv/l/shadow'), dctx());
    expect(cmds(d)).to.deep.equal(['put /etc/shadow 640 as root:shadow']);
  });
});
