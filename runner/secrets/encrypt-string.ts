// `play vault encrypt-string`: an inline `!vault` block, as `ansible-vault encrypt_string` prints it.
// The plaintext comes from stdin or a hidden prompt, never from argv (ps and shell history show argv).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { vaultEncrypt } from './vault.js';

/** The YAML block: `name: !vault |` then the envelope indented 10 spaces, as Ansible formats it. */
export function formatInlineVault(envelope: string, name?: string): string {
  const lines = envelope.trimEnd().split('\n').map((l) => `${' '.repeat(10)}${l}`);
  return [`${name ? `${name}: ` : ''}!vault |`, ...lines].join('\n');
}

export function registerEncryptString(vault: Command, password: (flag: string | undefined) => string, done: (code: number) => never): void {
  vault
    .command('encrypt-string')
    .description('encrypt a string from stdin (or a hidden prompt) into an inline !vault block for YAML')
    .argument('[string...]', 'refused: a plaintext on the command line would be visible in ps and shell history')
    .option('-n, --name <name>', 'variable name to print before the block')
    .option('--stdin-name <name>', 'the same as --name (ansible-vault spelling)')
    .option('-p, --prompt', 'prompt for the string (hidden input), even when stdin is not a terminal')
    .option('--vault-password-file <file>', 'file holding the vault password (default: env PLAY_VAULT_PASSWORD_FILE)')
    .action(async (strings: string[], o: Record<string, unknown>) => {
      if (strings.length && !(strings.length === 1 && strings[0] === '-')) {
        throw new UsageError('play vault encrypt-string takes no plaintext on the command line (ps and shell history would show it): pipe it on stdin or use --prompt');
      }
      const pw = password(o.vaultPasswordFile as string | undefined);
      const plaintext = o.prompt || process.stdin.isTTY ? await promptHidden('String to encrypt (hidden): ') : await readStdin();
      if (!plaintext) throw new UsageError(o.prompt || process.stdin.isTTY ? 'the plaintext from the prompt was empty; nothing encrypted' : 'stdin was empty; nothing encrypted');
      process.stdout.write(formatInlineVault(vaultEncrypt(plaintext, pw), (o.name ?? o.stdinName) as string | undefined) + '\n');
      process.stderr.write('Encryption successful\n');
      return done(EXIT.ok);
    });
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<Buffer> {
  const tty = process.stdin;
  if (!tty.isTTY) return readStdin().then((b) => Buffer.from(b.toString('utf8').replace(/\r?\n$/, ''), 'utf8'));
  process.stderr.write(question);
  return new Promise((resolve) => {
    let text = '';
    tty.setRawMode(true);
    tty.resume();
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          tty.setRawMode(false);
          tty.pause();
          tty.off('data', onData);
          process.stderr.write('\n');
          return resolve(Buffer.from(text, 'utf8'));
        }
        if (ch === '\u0003') { tty.setRawMode(false); process.stderr.write('\n'); process.exit(EXIT.interrupted); }
        text = ch === '\u007f' ? text.slice(0, -1) : text + ch;
      }
    };
    tty.on('data', onData);
  });
}
