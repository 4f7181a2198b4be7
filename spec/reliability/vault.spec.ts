// Ansible Vault compatibility both ways with Debian's ansible-vault, the `play vault` commands
// (edit through an $EDITOR script), and transparent loading of encrypted vars files.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vaultDecrypt, vaultEncrypt } from '../../runner/secrets/vault.js';
import { play } from '../support/play.js';
import { tempDir } from './support.js';

const PASSWORD = 'correct horse battery staple';

describe('vault', () => {
  let dir: string;
  let pw: string;
  before(() => {
    dir = tempDir('vault');
    pw = join(dir, 'pw');
    writeFileSync(pw, `${PASSWORD}\n`);
  });
  const ansible = (...args: string[]) => execFileSync('ansible-vault', [...args, '--vault-password-file', pw], { encoding: 'utf8' });

  it('ansible-vault reads what play writes, byte for byte the plaintext', () => {
    const f = join(dir, 'ours.yml');
    const plain = 'db_password: "s3cr3t: with colon"\nlist:\n  - ünïcödé\n';
    writeFileSync(f, vaultEncrypt(plain, PASSWORD));
    expect(readFileSync(f, 'utf8')).to.match(/^\$ANSIBLE_VAULT;1\.1;AES256\n([0-9a-f]{80}\n)+[0-9a-f]{1,80}\n$/);
    expect(ansible('view', f)).to.equal(plain);
  });

  it('play reads what ansible-vault writes; a wrong password is refused', () => {
    const f = join(dir, 'theirs.yml');
    const plain = 'api_key: abcdef0123456789\n';
    writeFileSync(f, plain);
    ansible('encrypt', f);
    const r = vaultDecrypt(readFileSync(f), PASSWORD);
    expect(r.ok && r.plaintext.toString('utf8')).to.equal(plain);
    expect(vaultDecrypt(readFileSync(f), 'nope')).to.deep.equal({ ok: false, message: 'vault password does not match (HMAC check failed)' });
  });

  it('a fixed salt gives the same envelope every time (deterministic format)', () => {
    const salt = Buffer.alloc(32, 7);
    expect(vaultEncrypt('x', PASSWORD, salt)).to.equal(vaultEncrypt('x', PASSWORD, salt));
  });

  it('play vault encrypt | view | edit | decrypt round trip, interoperable with ansible-vault', async () => {
    const f = join(dir, 'cli.yml');
    writeFileSync(f, 'a: 1\n');
    const enc = await play(['vault', 'encrypt', f, '--vault-password-file', pw]);
    expect(enc.code, enc.stderr).to.equal(0);
    expect(readFileSync(f, 'utf8')).to.match(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    expect(ansible('view', f)).to.equal('a: 1\n');
    const again = await play(['vault', 'encrypt', f, '--vault-password-file', pw]);
    expect([again.code, again.stderr.trim()]).to.deep.equal([4, `play vault encrypt: ${f}: input is already encrypted`]);
    const view = await play(['vault', 'view', f], { env: { PLAY_VAULT_PASSWORD_FILE: pw } });
    expect([view.code, view.stdout]).to.deep.equal([0, 'a: 1\n']);
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nstat -c %a "$1" > '${dir}/mode'\nprintf "b: 2\\n" >> "$1"\n`);
    chmodSync(editor, 0o755);
    const edit = await play(['vault', 'edit', f, '--vault-password-file', pw], { env: { EDITOR: editor } });
    expect(edit.code, edit.stderr).to.equal(0);
    expect(ansible('view', f)).to.equal('a: 1\nb: 2\n');
    expect(readFileSync(join(dir, 'mode'), 'utf8'), 'the plaintext the editor saw was private').to.equal('600\n');
    const dec = await play(['vault', 'decrypt', f, '--vault-password-file', pw]);
    expect(dec.code, dec.stderr).to.equal(0);
    expect(readFileSync(f, 'utf8')).to.equal('a: 1\nb: 2\n');
    const noPw = await play(['vault', 'view', f], { env: { PLAY_VAULT_PASSWORD_FILE: '' } });
    expect([noPw.code, noPw.stderr.trim()]).to.deep.equal([5, 'play: a vault password is needed: give --vault-password-file FILE or set PLAY_VAULT_PASSWORD_FILE']);
  });

  it('vars_files, group_vars and -e @file load transparently when encrypted; their values are masked', async () => {
    const p = tempDir('vault-proj');
    writeFileSync(join(p, 'inventory.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
    execFileSync('mkdir', ['-p', join(p, 'group_vars')]);
    writeFileSync(join(p, 'group_vars', 'all.yml'), vaultEncrypt('from_group_vars: GroupVarsSecret1\n', PASSWORD));
    writeFileSync(join(p, 'vf.yml'), vaultEncrypt('from_vars_file: VarsFileSecret2\n', PASSWORD));
    writeFileSync(join(p, 'ev.yml'), vaultEncrypt('from_extra: ExtraVarsSecret3\n', PASSWORD));
    writeFileSync(join(p, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  vars_files: [vf.yml]\n  tasks:\n    - name: show\n      debug: {msg: "{{ from_group_vars }} {{ from_vars_file }} {{ from_extra }}"}\n`);
    const r = await play(['site.yml', '-i', 'inventory.yml', '--no-state', '--json', '-e', '@ev.yml', '--vault-password-file', pw], { cwd: p });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('******** ******** ********');
    for (const s of ['GroupVarsSecret1', 'VarsFileSecret2', 'ExtraVarsSecret3', PASSWORD]) expect(r.stdout + r.stderr).to.not.include(s);
  });
});
