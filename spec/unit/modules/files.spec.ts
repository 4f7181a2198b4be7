// copy, template, file, stat: recorded probe output -> decision.
import { expect } from 'chai';
import { copyModule } from '../../../runner/modules/copy.js';
import { templateModule } from '../../../runner/modules/template.js';
import { fileModule, parseFileProbe } from '../../../runner/modules/file.js';
import { statModule } from '../../../runner/modules/stat.js';
import { parseContentProbe } from '../../../runner/modules/content-file.js';
import { parseFileInfo } from '../../../runner/modules/fileinfo.js';
import { cmds, dctx, failMsg, fx, reason } from './helpers.js';

const motd = 'hello\nworld\n';

describe('content probe parser', () => {
  it('parses a recorded existing file with content', () => {
    const p = parseContentProbe(fx('copy-existing'), '/srv/fx/motd');
    expect(p.parentExists).to.equal(true);
    expect(p.info).to.include({ path: '/srv/fx/motd', type: 'file', mode: 0o640, owner: 'root', group: 'root', uid: 0, size: 12, isReg: true });
    expect(p.info.checksum).to.match(/^4a1e67f2/);
    expect(p.info.content!.toString()).to.equal(motd);
  });
  it('resolves dest/ + src basename in the probe', () => {
    expect(parseContentProbe(fx('copy-into-dir'), '').info).to.include({ path: '/srv/fx/conf.d/app.conf', type: 'absent' });
    expect(parseContentProbe(fx('copy-noparent'), '').parentExists).to.equal(false);
  });
});

describe('copy decide', () => {
  const existing = parseContentProbe(fx('copy-existing'), '/srv/fx/motd');
  it('noop when content, mode, owner match, and says why', () => {
    const d = copyModule.decide({ dest: '/srv/fx/motd', content: motd, mode: '0640', owner: 'root' }, existing, dctx());
    expect(reason(d)).to.equal('/srv/fx/motd already has the same content (sha256 4a1e67f2fe1d…) and mode 0640, owner root, group root');
  });
  it('only chmods when just the mode differs (symbolic mode)', () => {
    const d = copyModule.decide({ dest: '/srv/fx/motd', content: motd, mode: 'u=rw,g=r,o=r' }, existing, dctx());
    expect(cmds(d)).to.deep.equal(['chmod -- 0644 /srv/fx/motd']);
    expect(d.kind === 'change' && d.summary).to.equal('/srv/fx/motd: mode 0640 -> 0644');
  });
  it('puts new content, keeps mode and owner, and gives a unified diff', () => {
    const d = copyModule.decide({ dest: '/srv/fx/motd', content: 'hello\nthere\n' }, existing, dctx({ diff: true }));
    expect(cmds(d)).to.deep.equal(['put /srv/fx/motd 640 as root:root']);
    expect(d.kind === 'change' && d.diff).to.contain('-world\n+there');
    if (d.kind === 'change') {
      const put = d.steps[0]!;
      expect(put.kind === 'put' && put.content.toString()).to.equal('hello\nthere\n');
    }
  });
  it('creates a new file with mode and owner; content never on a command line', () => {
    const d = copyModule.decide({ dest: '/srv/fx/new.conf', content: 's3cret=1\n', mode: 0o600, owner: 'dd-agent', group: 'dd-agent' }, parseContentProbe(fx('copy-absent'), ''), dctx());
    expect(cmds(d)).to.deep.equal(['put /srv/fx/new.conf 600 as dd-agent:dd-agent']);
    expect(cmds(d).join('\n')).not.to.contain('s3cret');
  });
  it('copies src into a directory dest using the basename; creates a trailing-slash dir', () => {
    const d = copyModule.decide({ dest: '/srv/fx/conf.d/', src: 'app.conf', _bytes: Buffer.from('x') }, parseContentProbe(fx('copy-into-dir'), ''), dctx());
    expect(cmds(d)).to.deep.equal(['put /srv/fx/conf.d/app.conf']);
  });
  it('fails when the parent directory is missing', () => {
    expect(failMsg(copyModule.decide({ dest: '/srv/fx/nodir/x.conf', content: 'x' }, parseContentProbe(fx('copy-noparent'), ''), dctx()))).to.match(/does not exist/);
  });
  it('noop with force=false on an existing file', () => {
    expect(reason(copyModule.decide({ dest: '/srv/fx/motd', content: 'other', force: false }, existing, dctx()))).to.match(/force is false/);
  });
  it('backs up and validates through a temp file', () => {
    const d = copyModule.decide({ dest: '/srv/fx/motd', content: 'x\n', backup: true, validate: 'visudo -cf %s' }, existing, dctx());
    expect(cmds(d)).to.deep.equal([
      `b=/srv/fx/motd."$$.$(date +%Y-%m-%d@%H:%M:%S)~" && cp -p -- /srv/fx/motd "$b" && printf '%s\\n' "$b"`,
      'put /srv/fx/motd.play-validate 640 as root:root',
      'visudo -cf /srv/fx/motd.play-validate || { rc=$?; rm -f -- /srv/fx/motd.play-validate; exit $rc; }',
      'mv -f -- /srv/fx/motd.play-validate /srv/fx/motd',
    ]);
  });
  it('reports the backup it made as backup_file, and refuses a validate without %s (Ansible\'s message)', () => {
    const d = copyModule.decide({ dest: '/srv/fx/motd', content: 'x\n', backup: true }, existing, dctx());
    const step = d.kind === 'change' ? d.steps[0] : undefined;
    expect(step?.kind === 'exec' && step.interpret?.({ code: 0, stdout: '/srv/fx/motd.12.2026-01-01@00:00:00~\n', stderr: '' })).to.deep.equal({ result: { backup_file: '/srv/fx/motd.12.2026-01-01@00:00:00~' } });
    expect(failMsg(copyModule.decide({ dest: '/srv/fx/motd', content: 'x\n', validate: 'true' }, existing, dctx()))).to.equal('validate must contain %s: true');
  });
  it('fails without exactly one of content and src', () => {
    expect(failMsg(copyModule.decide({ dest: '/x' }, existing, dctx()))).to.equal('src (or content) is required');
  });
});

describe('template decide', () => {
  it('renders in prepare() through the env and then behaves like copy', async () => {
    const env = {
      vars: { who: 'world' },
      readControllerFile: async (kind: string, rel: string) => Buffer.from(`${kind}/${rel}: hello {{who}}`),
      renderTemplate: (t: string) => t.replace('{{who}}', 'world'),
    };
    const args = await templateModule.prepare!({ src: 'motd.hbs', dest: '/srv/fx/motd' }, env);
    expect(args._bytes!.toString()).to.equal('templates/motd.hbs: hello world');
    const d = templateModule.decide(args, parseContentProbe(fx('copy-existing'), ''), dctx());
    expect(cmds(d)).to.deep.equal(['put /srv/fx/motd 640 as root:root']);
  });
  it('fails when prepare() did not run', () => {
    expect(failMsg(templateModule.decide({ src: 'a.hbs', dest: '/x' }, parseContentProbe(fx('copy-absent'), ''), dctx()))).to.match(/not rendered/);
  });
});

describe('file decide', () => {
  it('parses recorded probes', () => {
    const link = parseFileProbe(fx('file-link'), '');
    expect(link.info).to.include({ type: 'link', linkTarget: 'motd' });
    expect(link.linkOwner).to.deep.equal({ owner: 'root', group: 'root', uid: 0, gid: 0 });
    expect(link.srcExists).to.equal(true);
    expect(parseFileProbe(fx('file-dir'), '').treeDiffers).to.equal(false);
  });
  it('noop for a matching directory tree, with the reason', () => {
    const d = fileModule.decide({ path: '/srv/fx/conf.d', state: 'directory', owner: 'root', mode: '0755', recurse: true }, parseFileProbe(fx('file-dir'), ''), dctx());
    expect(reason(d)).to.equal('/srv/fx/conf.d is already a directory with mode 0755, owner root, group root, and everything below matches');
  });
  it('recursive chown when something below differs', () => {
    const p = { ...parseFileProbe(fx('file-dir'), ''), treeDiffers: true };
    expect(cmds(fileModule.decide({ path: '/srv/fx/conf.d', state: 'directory', owner: 'root', recurse: true }, p, dctx()))).to.deep.equal(['chown -R -- root /srv/fx/conf.d']);
  });
  it('creates a missing directory with mode and owner', () => {
    const d = fileModule.decide({ path: '/srv/fx/gone', state: 'directory', mode: '0750', owner: 'dd-agent' }, parseFileProbe(fx('file-absent'), ''), dctx());
    // one command, one round trip: each missing directory from the top is made, given the owner, then the mode
    expect(cmds(d)).to.deep.equal(['for d in /srv /srv/fx /srv/fx/gone; do [ -e "$d" ] || { mkdir -- "$d" && chown -- dd-agent "$d" && chmod -- 0750 "$d"; } || exit 1; done']);
  });
  it('absent: noop when gone, rm -rf when present', () => {
    expect(reason(fileModule.decide({ path: '/srv/fx/gone', state: 'absent' }, parseFileProbe(fx('file-absent'), ''), dctx()))).to.equal('/srv/fx/gone is already absent');
    expect(cmds(fileModule.decide({ path: '/srv/fx/motd', state: 'absent' }, parseFileProbe(fx('file-file'), ''), dctx()))).to.deep.equal(['rm -rf -- /srv/fx/motd']);
  });
  it('link: noop when it points at src; relink otherwise', () => {
    const p = parseFileProbe(fx('file-link'), '');
    expect(reason(fileModule.decide({ path: '/srv/fx/current', state: 'link', src: 'motd' }, p, dctx()))).to.equal('/srv/fx/current is already a link to motd');
    expect(cmds(fileModule.decide({ path: '/srv/fx/current', state: 'link', src: 'other' }, p, dctx()))).to.deep.equal(['ln -sfn -- other /srv/fx/current']);
  });
  it('state=file fails on a missing path (Ansible message); fixes the mode of an existing one', () => {
    expect(failMsg(fileModule.decide({ path: '/srv/fx/gone', state: 'file' }, parseFileProbe(fx('file-absent'), ''), dctx()))).to.equal('file (/srv/fx/gone) is absent, cannot continue');
    expect(cmds(fileModule.decide({ path: '/srv/fx/motd', mode: '0600' }, parseFileProbe(fx('file-file'), ''), dctx()))).to.deep.equal(['chmod -- 0600 /srv/fx/motd']);
  });
  it('touch is always a change', () => {
    expect(cmds(fileModule.decide({ path: '/srv/fx/motd', state: 'touch' }, parseFileProbe(fx('file-file'), ''), dctx()))).to.deep.equal(['touch -- /srv/fx/motd']);
  });
  it('normalize maps dest/name to path', () => {
    expect(fileModule.normalize!({ dest: '/a', state: 'absent' })).to.deep.equal({ path: '/a', state: 'absent' });
  });
});

describe('stat decide', () => {
  it('returns Ansible-shaped stat facts as a noop', () => {
    const d = statModule.decide({ path: '/srv/fx/motd' }, parseFileInfo(fx('stat-motd')), dctx());
    expect(reason(d)).to.equal('/srv/fx/motd is a file (mode 0640, root:root, 12 bytes)');
    expect(d.kind === 'noop' && d.result?.stat).to.deep.include({ exists: true, isreg: true, mode: '0640', pw_name: 'root', checksum: '58853e8a5e8272b1012f9a52a80758b27bd0d3cb' });
    const gone = statModule.decide({ path: '/srv/fx/nope' }, parseFileInfo(fx('stat-absent')), dctx());
    expect(reason(gone)).to.equal('/srv/fx/nope does not exist');
    expect(gone.kind === 'noop' && gone.result).to.deep.equal({ stat: { exists: false } });
  });
});
