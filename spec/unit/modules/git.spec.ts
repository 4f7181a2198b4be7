// git: the probe's ls-remote answer -> which revision version means, and the decision (no host).
import { expect } from 'chai';
import { decideGit, gitModule, parseGitProbe } from '../../../runner/modules/git.js';
import { cmds, failMsg, reason } from './helpers.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const repo = { repo: '/srv/src.git', dest: '/srv/co' };

describe('git probe', () => {
  it('a branch by refs/heads; an annotated tag by its peeled ^{} line; anything else is taken as a sha', () => {
    expect(parseGitProbe(`exists=yes\nbefore=${A}\nremoteurl=/srv/src.git\nbranch=${B}\n`, { ...repo, version: 'dev' })).to.deep.include({ exists: true, before: A, kind: 'branch', remoteHead: B });
    expect(parseGitProbe(`branch=\ntag=${B}\trefs/tags/v1\ntag=${C}\trefs/tags/v1^{}\ntag=${A}\trefs/tags/v10\n`, { ...repo, version: 'v1' })).to.deep.include({ kind: 'tag', remoteHead: C });
    expect(parseGitProbe('branch=\n', { ...repo, version: 'abc1234' })).to.deep.include({ kind: 'sha', remoteHead: 'abc1234' });
    expect(parseGitProbe(`head=${B}\n`, repo)).to.deep.include({ kind: 'head', remoteHead: B });
  });
});

describe('git decide', () => {
  const at = (over: object) => ({ exists: true, before: A, localMods: false, remoteUrl: 'file:///srv/src.git', kind: 'head' as const, remoteHead: A, ...over });
  it('ok when dest is at the remote revision, with the reason', () => {
    expect(reason(decideGit(repo, at({}), { check: false }))).to.equal(`/srv/co is already at ${A.slice(0, 12)} (HEAD of /srv/src.git)`);
  });
  it('clones when there is no repo: --depth with --branch for a branch, then the checkout', () => {
    const c = cmds(decideGit({ ...repo, version: 'dev', depth: 1 }, { exists: false, localMods: false, kind: 'branch', remoteHead: B }, { check: false }))[0]!;
    expect(c).to.contain("git clone --origin origin --depth 1 --branch dev file:///srv/src.git /srv/co").and.contain('checkout --track -b dev origin/dev');
  });
  it('local modifications: fail without force (Ansible message), reset with it; a new URL is set', () => {
    expect(failMsg(decideGit(repo, at({ localMods: true }), { check: false }))).to.equal('Local modifications exist in the destination: /srv/co (force=no).');
    const c = cmds(decideGit({ ...repo, repo: '/srv/other.git', force: true }, at({ localMods: true }), { check: false }))[0]!;
    expect(c).to.contain('reset --hard HEAD').and.contain('remote set-url origin file:///srv/other.git').and.contain('fetch --force --tags origin');
  });
  it('a repo given as an absolute path is a file:// URL, as Ansible makes it: a clone of the bare path gets its url set', () => {
    const c = cmds(decideGit(repo, at({ remoteUrl: '/srv/src.git' }), { check: false }))[0]!;
    expect(c).to.contain('remote set-url origin file:///srv/src.git');
  });
  it('update: no and clone: no report without touching; no dest with clone fails', () => {
    expect(reason(decideGit({ ...repo, update: false }, at({ remoteHead: B }), { check: false }))).to.match(/update is no/);
    expect(decideGit({ repo: '/srv/src.git', clone: false }, { exists: false, localMods: false, kind: 'head', remoteHead: B }, { check: false })).to.deep.include({ kind: 'noop' });
    expect(failMsg(decideGit({ repo: '/x' }, at({}), { check: false }))).to.equal('the destination directory must be specified unless clone=no');
  });
  it('normalize takes name as repo', () => {
    expect(gitModule.normalize!({ name: '/r', dest: '/d' })).to.deep.equal({ repo: '/r', dest: '/d' });
  });
});
