// `play vault encrypt|decrypt|view|edit FILE`: the ansible-vault workflow on whole files.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { isVaultText, readVaultPassword, vaultDecrypt, vaultEncrypt } from '../secrets/vault.js';
import { registerEncryptString } from '../secrets/encrypt-string.js';

type Action = 'encrypt' | 'decrypt' | 'view' | 'edit';

const HELP: Record<Action, string> = {
  encrypt: 'encrypt files in place (Ansible Vault 1.1, AES256)',
  decrypt: 'decrypt files in place',
  view: 'print the decrypted content',
  edit: 'decrypt to a private temporary file, run $EDITOR on it, encrypt the result back',
};

export function registerVaultCommands(program: Command, done: (code: number) => never): void {
  const vault = program.command('vault').description('encrypt, decrypt, view or edit vault files (ansible-vault compatible)');
  for (const action of Object.keys(HELP) as Action[]) {
    vault
      .command(action)
      .argument(action === 'view' || action === 'edit' ? '<file>' : '<files...>', 'vault file')
      .description(HELP[action])
      .option('--vault-password-file <file>', 'file holding the vault password (default: env PLAY_VAULT_PASSWORD_FILE)')
      .action((files: string | string[], o: Record<string, unknown>) => {
        const password = passwordFrom(o.vaultPasswordFile as string | undefined);
        const list = Array.isArray(files) ? files : [files];
        for (const f of list) {
          const problem = runAction(action, resolve(f), password);
          if (problem) {
            process.stderr.write(`play vault ${action}: ${f}: ${problem}\n`);
            return done(EXIT.invalidInput);
          }
        }
        if (action === 'encrypt' || action === 'decrypt') process.stderr.write(`${action === 'encrypt' ? 'Encryption' : 'Decryption'} successful\n`);
        return done(EXIT.ok);
      });
  }
  registerEncryptString(vault, passwordFrom, done);
}

function passwordFrom(flag: string | undefined): string {
  const file = flag ?? process.env.PLAY_VAULT_PASSWORD_FILE;
  if (!file) throw new UsageError('a vault password is needed: give --vault-password-file FILE or set PLAY_VAULT_PASSWORD_FILE');
  try {
    return readVaultPassword(resolve(file));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(e.code ? `vault password file ${file} cannot be read: ${e.code}` : e.message);
  }
}

/** Returns a problem message, or undefined when the action succeeded. */
function runAction(action: Action, file: string, password: string): string | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    return `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
  if (action === 'encrypt') {
    if (isVaultText(data)) return 'input is already encrypted';
    writeAtomic(file, vaultEncrypt(data, password));
    return undefined;
  }
  if (!isVaultText(data)) return 'input is not vault encrypted data';
  const r = vaultDecrypt(data, password);
  if (!r.ok) return r.message;
  switch (action) {
    case 'decrypt':
      writeAtomic(file, r.plaintext);
      return undefined;
    case 'view':
      process.stdout.write(r.plaintext);
      return undefined;
    case 'edit':
      return edit(file, r.plaintext, password);
  }
}

/** The plaintext lives only in a 0700 directory, file mode 0600, removed afterwards whatever happens. */
function edit(file: string, plaintext: Buffer, password: string): string | undefined {
  const editor = process.env.EDITOR || process.env.VISUAL || 'vi';
  const dir = mkdtempSync(join(tmpdir(), 'play-vault-'));
  try {
    chmodSync(dir, 0o700);
    const tmp = join(dir, basename(file));
    writeFileSync(tmp, plaintext, { mode: 0o600 });
    // $EDITOR may carry arguments ("code --wait"): let the shell split it; the file is "$1".
    const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'editor', tmp], { stdio: 'inherit' });
    if (r.error) return `editor '${editor}' could not start: ${r.error.message}`;
    if (r.status !== 0) return `editor '${editor}' exited with ${r.status ?? r.signal}; the vault file is unchanged`;
    const edited = readFileSync(tmp);
    if (!edited.equals(plaintext)) writeAtomic(file, vaultEncrypt(edited, password));
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Same directory, then rename: a crash leaves the old file or the new one, never half of one. */
function writeAtomic(file: string, content: string | Buffer): void {
  const mode = (() => { try { return statSync(file).mode & 0o777; } catch { return 0o600; } })();
  const tmp = join(dirname(file), `.${basename(file)}.play-tmp-${process.pid}`);
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}
