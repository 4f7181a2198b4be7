// stat's Ansible-shaped result from recorded probe output, and file's times (file-times.ts), without a host.
import { expect } from 'chai';
import { parseAnsibleStat, statResult } from '../../../runner/modules/stat.js';
import { planTimes, strptimeLocal } from '../../../runner/modules/file-times.js';
import { parseFileInfo } from '../../../runner/modules/fileinfo.js';

const LINK = [
  'path=/srv/fa/lnk', 'type=link', 'target=f', 'x_exists=1', 'x_raw=a1ff', 'x_uid=0', 'x_gid=0', 'x_owner=root', 'x_group=root', 'x_size=1',
  'x_mtime=1796694338.134271400', 'x_atime=1796694338.162271500', 'x_ctime=1796694338.134271400', 'x_inode=12', 'x_dev=34', 'x_nlink=1',
  'x_blocks=0', 'x_bsize=4096', 'x_major=0', 'x_minor=0', 'x_r=1', 'x_w=1', 'x_lt=f', 'x_ls=/srv/fa/f', 'x_mime=/srv/fa/lnk: inode/symlink; charset=binary',
].join('\n');

describe('stat result', () => {
  it('a link without follow is the link: mode 0777, lnk_source its realpath, no checksum, access from the target', () => {
    const s = parseAnsibleStat(LINK, { path: '/srv/fa/lnk' })!;
    expect(s).to.deep.include({ exists: true, islnk: true, isreg: false, mode: '0777', lnk_target: 'f', lnk_source: '/srv/fa/f', readable: true, executable: false, mimetype: 'inode/symlink', charset: 'binary', xoth: true, mtime: 1796694338.1342714 });
    expect(s).to.not.have.property('checksum');
  });
  it('a missing path is exists: false alone; a followed dangling link too', () => {
    expect(parseAnsibleStat('path=/x\ntype=absent\n', { path: '/x' })).to.deep.equal({ exists: false });
    expect(statResult({ path: '/l', follow: true }, parseFileInfo('path=/l\ntype=link\ntarget=nowhere\n'))).to.deep.equal({ exists: false });
  });
});

describe('file times', () => {
  it('strptime of the default format, and a value that does not match', () => {
    expect(strptimeLocal('202001020304.05', '%Y%m%d%H%M.%S')).to.equal('2020-01-02 03:04:05');
    expect(strptimeLocal('2020-01-02', '%Y%m%d')).to.deep.equal({ error: "time data '2020-01-02' does not match format '%Y%m%d'" });
  });
  it('touch defaults to now (a change), preserve is no step, an explicit time already there is no step', () => {
    expect(planTimes({ path: '/f', state: 'touch' }, '', true)).to.deep.include({ ok: true, changes: ['touch (update times)'] });
    expect(planTimes({ path: '/f', state: 'touch', modification_time: 'preserve', access_time: 'preserve' }, '', true)).to.deep.equal({ ok: true, steps: [], changes: [] });
    const a = { path: '/f', state: 'touch', modification_time: '202001020304.05', access_time: 'preserve' };
    expect(planTimes(a, 'want_modification=1577934245\ncur_modification=1577934245.000000000\n', true)).to.deep.equal({ ok: true, steps: [], changes: [] });
    const t = planTimes(a, 'want_modification=1577934245\ncur_modification=1700000000.5\n', true);
    expect(t.ok && t.steps.map((s) => (s.kind === 'exec' ? s.cmd : ''))).to.deep.equal(['touch -m -d @1577934245 -- /f']);
  });
});
