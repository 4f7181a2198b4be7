// unarchive: the format from the magic, tar --diff read as Ansible reads it, probe -> decision (no host).
import { expect } from 'chai';
import { detectHandler, tarDiffDifferences } from '../../../runner/modules/unarchive-compare.js';
import { decideUnarchive, type UnarchiveProbe } from '../../../runner/modules/unarchive.js';
import { cmds, failMsg, reason } from './helpers.js';

const probe = (over: Partial<UnarchiveProbe> = {}): UnarchiveProbe => ({ destIsDir: true, createsExists: false, root: true, handler: 'TgzArchive', differences: [], files: ['app/', 'app/a'], attrs: {}, ...over });
const args = { src: '/r/app.tgz', dest: '/srv/t', remote_src: true };

describe('unarchive formats and tar --diff', () => {
  it('knows zip, gzip, bzip2, xz, zstd and plain tar by their first bytes', () => {
    expect(detectHandler('504b0304')).to.equal('ZipArchive');
    expect(detectHandler('1f8b08')).to.equal('TgzArchive');
    expect(detectHandler('425a68')).to.equal('TarBzipArchive');
    expect(detectHandler('fd377a585a00')).to.equal('TarXzArchive');
    expect(detectHandler('28b52ffd')).to.equal('TarZstdArchive');
    expect(detectHandler(`${'00'.repeat(257)}${Buffer.from('ustar').toString('hex')}`)).to.equal('TarArchive');
    expect(detectHandler('68656c6c6f')).to.equal(undefined);
  });
  it('counts what Ansible counts: mtime, missing; uid/gid only as root without owner/group; mode only without mode', () => {
    const out = 'app/a: Mod time differs\napp/a: Contents differ\napp/b: Warning: Cannot stat: No such file or directory\napp/c: Uid differs\napp/c: Mode differs\n';
    expect(tarDiffDifferences(out, { root: true })).to.deep.equal(['app/a: Mod time differs', 'app/b: Warning: Cannot stat: No such file or directory', 'app/c: Uid differs', 'app/c: Mode differs']);
    expect(tarDiffDifferences(out, { root: false, owner: 'x', mode: '0644' })).to.deep.equal(['app/a: Mod time differs', 'app/b: Warning: Cannot stat: No such file or directory']);
  });
});

describe('unarchive decide', () => {
  it('ok when unpacked, with the reason; unpack when something differs', () => {
    expect(reason(decideUnarchive(args, probe()))).to.equal('/srv/t already holds the 2 entries of /r/app.tgz (TgzArchive)');
    expect(cmds(decideUnarchive(args, probe({ differences: ['app/a: Mod time differs'] })))).to.deep.equal(['cd /srv/t && LC_ALL=C tar --extract -C /srv/t -z -f /r/app.tgz ']);
  });
  it('extra_opts go after --show-transformed-names; owner and mode are set on every entry that differs', () => {
    const p = probe({ attrs: { app: { mode: 0o755, owner: 'root', group: 'root', isDir: true }, 'app/a': { mode: 0o644, owner: 'nobody', group: 'root', isDir: false } } });
    expect(cmds(decideUnarchive({ ...args, owner: 'nobody', mode: 'u=rwX,go=' }, p))).to.deep.equal(['chown -h -- nobody /srv/t/app && chmod -- 0700 /srv/t/app && chmod -- 0600 /srv/t/app/a']);
    expect(cmds(decideUnarchive({ ...args, extra_opts: ['--strip-components=1'] }, probe({ differences: ['x: Mod time differs'] })))[0]).to.contain('-z --show-transformed-names --strip-components=1');
  });
  it("fails as Ansible: dest not a directory, no handler; creates skips", () => {
    expect(failMsg(decideUnarchive(args, probe({ destIsDir: false })))).to.equal("Destination '/srv/t' is not a directory");
    expect(failMsg(decideUnarchive(args, probe({ handler: undefined })))).to.match(/^Failed to find handler for "\/r\/app.tgz"/);
    expect(reason(decideUnarchive({ ...args, creates: '/srv/t/app' }, probe({ createsExists: true })))).to.equal('skipped, since /srv/t/app exists');
  });
  it('a controller archive is streamed on stdin, never written by name', () => {
    const d = decideUnarchive({ src: 'app.tgz', dest: '/srv/t', _bytes: Buffer.from('x') }, probe({ differences: ['a: Mod time differs'] }));
    expect(d.kind === 'change' && d.steps[0]!.kind === 'exec' && d.steps[0]!.stdin?.toString()).to.equal('x');
  });
});
