// Inline `!vault` scalars: opened with the run's password, registered as secrets; without one, an error
// at the value's file:line:col. Interop with ansible-vault itself is in spec/reliability/inline-vault.spec.ts.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYaml } from '../../../runner/load/yaml.js';
import { loadInventoryFile } from '../../../runner/load/inventory.js';
import { formatInlineVault } from '../../../runner/secrets/encrypt-string.js';
import { MASK, Redactor } from '../../../runner/secrets/redact.js';
import { readVaultPassword, vaultEncrypt } from '../../../runner/secrets/vault.js';
import { LoadError } from '../../../runner/errors.js';
import { loadPlan } from '../../../runner/run.js';

const rnd = () => randomBytes(6).toString('hex');

describe('inline !vault values', () => {
  const password = `pw-${rnd()}`;
  const secret = `db-${rnd()}`;
  const block = formatInlineVault(vaultEncrypt(secret, password), 'db_password');

  it('decrypt with the vault password and become secrets', () => {
    const redactor = new Redactor();
    const y = parseYaml('vars.yml', `user: app\n${block}\nport: 5432\n`, { password, redactor });
    expect(y.ok && y.value.data).to.deep.equal({ user: 'app', db_password: secret, port: 5432 });
    expect(redactor.redact(`password is ${secret}`)).to.equal(`password is ${MASK}`);
  });

  it('without a password: one error at the value, file:line:col', () => {
    const y = parseYaml('vars.yml', `user: app\n${block}\n`, { password: undefined, redactor: new Redactor() });
    expect(y.ok).to.equal(false);
    if (!y.ok) {
      expect(y.diagnostics).to.have.length(1);
      expect(y.diagnostics[0]).to.include({ file: 'vars.yml', line: 2 });
      expect(y.diagnostics[0]!.message).to.match(/inline !vault value needs the vault password/);
    }
  });

  it('with the wrong password, or tagging a mapping: an error, not the ciphertext as a value', () => {
    const wrong = parseYaml('v.yml', block, { password: 'nope-nope', redactor: new Redactor() });
    expect(!wrong.ok && wrong.diagnostics[0]!.message).to.match(/cannot decrypt inline !vault value: vault password does not match/);
    const map = parseYaml('v.yml', 'x: !vault {a: 1}\n', { password, redactor: new Redactor() });
    expect(!map.ok && map.diagnostics[0]!.message).to.match(/!vault must tag a string/);
  });

  it('work in an inventory, and fail there at file:line:col without a password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'play-iv-'));
    const indented = block.split('\n').map((l, i) => (i === 0 ? l : `    ${l}`)).join('\n');
    writeFileSync(join(dir, 'inv.yml'), `all:\n  hosts:\n    h1:\n      ${indented.replace(/^db_password/, 'ansible_become_password')}\n`);
    const redactor = new Redactor();
    const inv = await loadInventoryFile('inv.yml', dir, { password, redactor });
    expect((inv.data as any).all.hosts.h1.ansible_become_password).to.equal(secret);
    expect(redactor.isSecret(secret)).to.equal(true);
    const err = await loadInventoryFile('inv.yml', dir, { password: undefined, redactor }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LoadError);
    expect((err as LoadError).diagnostics[0]).to.include({ file: 'inv.yml', line: 4 });
  });

  it('an executable password file is run and its stdout is the password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'play-iv-'));
    writeFileSync(join(dir, 'pass.sh'), `#!/bin/sh\nprintf '%s\\r\\n' '${password}'\n`, { mode: 0o700 });
    expect(readVaultPassword(join(dir, 'pass.sh'))).to.equal(password);
    writeFileSync(join(dir, 'fail.sh'), '#!/bin/sh\nexit 3\n', { mode: 0o700 });
    expect(() => readVaultPassword(join(dir, 'fail.sh'))).to.throw(/returned non-zero \(3\)/);
  });
});

describe('diagnostics that quote a decrypted value', () => {
  it('show it masked', async () => {
    const password = `pw-${rnd()}`;
    const secret = `leak-${rnd()}`;
    const dir = mkdtempSync(join(tmpdir(), 'play-iv-'));
    writeFileSync(join(dir, 'pass'), `${password}\n`);
    const block = formatInlineVault(vaultEncrypt(secret, password), 'become');
    writeFileSync(join(dir, 'site.yml'), `- hosts: localhost\n  ${block.split('\n').join('\n  ')}\n  tasks: []\n`);
    const err = await loadPlan({ playbook: 'site.yml', extraVars: [], cwd: dir, vaultPasswordFile: 'pass', env: {} }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LoadError);
    const text = (err as LoadError).message;
    expect(text).to.match(/become/).and.include(MASK).and.not.include(secret);
  });
});

describe('a plain vault password file', () => {
  it('is read as Ansible reads it: the whole file, surrounding whitespace removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'play-iv-'));
    writeFileSync(join(dir, 'pw'), '  first\nsecond \r\n\n');
    expect(readVaultPassword(join(dir, 'pw'))).to.equal('first\nsecond');
    writeFileSync(join(dir, 'empty'), ' \n');
    expect(() => readVaultPassword(join(dir, 'empty'))).to.throw(/is empty/);
  });
});
