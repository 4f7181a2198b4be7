// user: passwords, locking, expiry, password aging, forced removal and ssh keys, on recorded probes.
import { expect } from 'chai';
import { parseUserProbe, userModule, userProbeScript } from '../../../runner/modules/user.js';
import type { Decision } from '../../../runner/modules/types.js';
import { cmds as allCmds, dctx, failMsg, reason } from './helpers.js';
import { parseUserFacts } from '../../../runner/modules/user-result.js';

/** The commands that do the work: every change ends with one that reads the account for the result. */
const cmds = (d: Decision): string[] => allCmds(d).filter((c) => !c.startsWith('e=$(getent passwd '));

const HASH = '$6$salt$abcdefghijklmnopqrstuvwxyz0123456789';
const probe = (shadow: string, extra = ''): ReturnType<typeof parseUserProbe> =>
  parseUserProbe(`exists=yes\npw=dfa:x:1001:1001::/home/dfa:/bin/sh\npgroup=dfa\ngroups=dfa\nsamegroup=yes\nshadow=${shadow}\n${extra}`);
const decide = (args: Record<string, unknown>, p: ReturnType<typeof parseUserProbe>): Decision => userModule.decide({ name: 'dfa', ...args }, p, dctx());
const stdin = (d: Decision): unknown[] => (d.kind === 'change' ? d.steps.map((s) => (s.kind === 'exec' ? s.stdin : undefined)) : []);

describe('user: passwords, expiry, aging, keys', () => {
  it('parses the shadow entry, empty fields as -1', () => {
    expect(probe(`dfa:${HASH}:20000:0:99999:7:::`).shadow).to.deep.equal({ hash: HASH, min: 0, max: 99999, warn: 7, expire: -1 });
    expect(probe('dfa:!:20000:::::19000:').shadow).to.deep.equal({ hash: '!', min: -1, max: -1, warn: -1, expire: 19000 });
  });

  it('sets a new password through chpasswd -e on stdin, never in a command line', () => {
    const d = decide({ password: HASH }, probe('dfa:!:20000:0:99999:7:::'));
    expect(cmds(d)).to.deep.equal(['chpasswd -e']);
    expect(stdin(d).filter(Boolean)).to.deep.equal([`dfa:${HASH}\n`]);
    expect(JSON.stringify(d.kind === 'change' ? [d.summary, d.steps.map((s) => s.describe)] : '')).to.not.contain(HASH);
  });

  it('leaves a matching password alone, and on_create never updates it', () => {
    expect(reason(decide({ password: HASH }, probe(`dfa:${HASH}:20000:0:99999:7:::`)))).to.match(/already exists/);
    expect(reason(decide({ password: HASH, update_password: 'on_create' }, probe('dfa:other:20000:0:99999:7:::')))).to.match(/already exists/);
  });

  it('creates with a password: useradd, then chpasswd; locked hashes get a !', () => {
    const d = userModule.decide({ name: 'dfn', password: HASH, password_lock: true }, parseUserProbe('exists=no\n'), dctx());
    expect(cmds(d)).to.deep.equal(['useradd -m dfn', 'chpasswd -e']);
    expect(stdin(d)[1]).to.equal(`dfn:!${HASH}\n`);
  });

  it('locks and unlocks only when needed', () => {
    expect(cmds(decide({ password_lock: true }, probe(`dfa:${HASH}:20000::::::`)))).to.deep.equal(['usermod -L dfa']);
    expect(reason(decide({ password_lock: true }, probe(`dfa:!${HASH}:20000::::::`)))).to.match(/already exists/);
    expect(cmds(decide({ password_lock: false }, probe(`dfa:!${HASH}:20000::::::`)))).to.deep.equal(['usermod -U dfa']);
  });

  it('expires: compares the UTC day, and a negative value removes the expiry', () => {
    // 1422403387 is 2015-01-28 (UTC), day 16463 since the epoch.
    expect(cmds(decide({ expires: 1422403387 }, probe('dfa:x:20000::::::')))).to.deep.equal(['usermod -e 2015-01-28 dfa']);
    expect(reason(decide({ expires: 1422403387 }, probe('dfa:x:20000:::::16463:')))).to.match(/already exists/);
    expect(cmds(decide({ expires: -1 }, probe('dfa:x:20000:::::16463:')))).to.deep.equal(["usermod -e '' dfa"]);
    expect(reason(decide({ expires: -1 }, probe('dfa:x:20000::::::')))).to.match(/already exists/);
  });

  it('password aging through chage, only for fields that differ', () => {
    expect(cmds(decide({ password_expire_max: 10, password_expire_min: 0 }, probe('dfa:x:20000:0:99999:7:::')))).to.deep.equal(['chage -M 10 dfa']);
    expect(reason(decide({ password_expire_max: 99999, password_expire_warn: 7 }, probe('dfa:x:20000:0:99999:7:::')))).to.match(/already exists/);
  });

  it('force removes with userdel -f', () => {
    expect(cmds(decide({ state: 'absent', force: true, remove: true }, probe('dfa:x:1::::::')))).to.deep.equal(['userdel -f -r dfa']);
  });

  it('ssh keys: generated when missing, kept when present unless force', () => {
    expect(userProbeScript('dfa', '.ssh/id_ed25519')).to.contain('k=.ssh/id_ed25519;');
    const missing = decide({ generate_ssh_key: true, ssh_key_type: 'ed25519' }, probe('dfa:x:1::::::'));
    expect(cmds(missing)[0]).to.contain("ssh-keygen -q -t ed25519 -C \"ansible-generated on $(hostname)\" -f \"$k\" -N ''");
    expect(reason(decide({ generate_ssh_key: true }, probe('dfa:x:1::::::', 'sshkey=yes\n')))).to.match(/already exists/);
    expect(cmds(decide({ generate_ssh_key: true, force: true }, probe('dfa:x:1::::::', 'sshkey=yes\n')))).to.have.length(1);
  });

  it('says what it does not support instead of doing something else', () => {
    expect(failMsg(decide({ local: true }, probe('dfa:x:1::::::')))).to.contain('luseradd');
    expect(failMsg(decide({ generate_ssh_key: true, ssh_key_passphrase: 'sekrit-phrase' }, probe('dfa:x:1::::::')))).to.contain('ssh_key_passphrase is not supported');
  });

  it('declares password and ssh_key_passphrase as secrets', () => {
    expect(userModule.secretArgs).to.deep.equal(['password', 'ssh_key_passphrase']);
  });
});

describe('user and group: Ansible aliases and options', () => {
  it('user: createhome and user are aliases of create_home and name', () => {
    expect(userModule.normalize!({ user: 'dfa', createhome: false })).to.deep.equal({ name: 'dfa', create_home: false });
  });

  it('group: non_unique adds -o to a gid; local says what it needs', async () => {
    const { groupModule, parseGroupProbe } = await import('../../../runner/modules/group.js');
    expect(cmds(groupModule.decide({ name: 'g', gid: 0, non_unique: true }, parseGroupProbe(''), dctx()))).to.deep.equal(['groupadd -g 0 -o g']);
    expect(cmds(groupModule.decide({ name: 'g', gid: 0, non_unique: true }, parseGroupProbe('g:x:1001:\n'), dctx()))).to.deep.equal(['groupmod -g 0 -o g']);
    expect(failMsg(groupModule.decide({ name: 'g', local: true }, parseGroupProbe(''), dctx()))).to.contain('lgroupadd');
  });
});

describe('user result', () => {
  it('a change reads the account last, for Ansible\'s result keys; a noop has them from the probe', () => {
    const d = userModule.decide({ name: 'dfk', generate_ssh_key: true, ssh_key_type: 'ed25519' }, parseUserProbe('exists=no\n'), dctx());
    expect(allCmds(d).at(-1)).to.match(/^e=\$\(getent passwd dfk\)/).and.contain('ssh-keygen -lf');
    expect(parseUserFacts({ name: 'dfk' }, 'pw=dfk:x:1001:1002:K:/home/dfk:/bin/sh\nkeyfile=/home/dfk/.ssh/id_ed25519\npub=ssh-ed25519 AAA c\nfp=256 SHA256:x c (ED25519)\n')).to.deep.equal({
      name: 'dfk', state: 'present', uid: 1001, group: 1002, comment: 'K', home: '/home/dfk', shell: '/bin/sh',
      ssh_key_file: '/home/dfk/.ssh/id_ed25519', ssh_public_key: 'ssh-ed25519 AAA c', ssh_fingerprint: '256 SHA256:x c (ED25519)',
    });
  });
});
