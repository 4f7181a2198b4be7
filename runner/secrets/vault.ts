// Ansible Vault 1.1/1.2 (AES256) envelopes, byte-compatible with ansible-vault, plus the loader hooks:
// decrypt a whole-file vault and register every leaf value of its YAML as a secret.
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Redactor } from './redact.js';

export const VAULT_HEADER = '$ANSIBLE_VAULT;1.1;AES256';
const ITERATIONS = 10000;
const SALT_BYTES = 32;
const LINE = 80;

/** What the loader needs to open vault files: the password (if any) and where to register secrets. */
export interface VaultContext {
  password: string | undefined;
  /** Further --vault-id passwords, tried in order after `password` (as ansible-playbook tries every id). */
  others?: string[];
  redactor: Redactor;
}

export type VaultResult = { ok: true; plaintext: Buffer } | { ok: false; message: string };

export function isVaultText(data: Buffer | string): boolean {
  const head = (typeof data === 'string' ? data : data.subarray(0, 32).toString('latin1')).trimStart();
  return head.startsWith('$ANSIBLE_VAULT;');
}

function deriveKeys(password: string, salt: Buffer): { key: Buffer; hmacKey: Buffer; iv: Buffer } {
  const d = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, ITERATIONS, 32 + 32 + 16, 'sha256');
  return { key: d.subarray(0, 32), hmacKey: d.subarray(32, 64), iv: d.subarray(64, 80) };
}

/** Encrypts to the 1.1 envelope exactly as ansible-vault writes it (80-column lines, final newline). */
export function vaultEncrypt(plaintext: Buffer | string, password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const { key, hmacKey, iv } = deriveKeys(password, salt);
  const pad = 16 - (data.length % 16);
  const padded = Buffer.concat([data, Buffer.alloc(pad, pad)]);
  const c = createCipheriv('aes-256-ctr', key, iv);
  const cipher = Buffer.concat([c.update(padded), c.final()]);
  const mac = createHmac('sha256', hmacKey).update(cipher).digest('hex');
  const inner = Buffer.from(`${salt.toString('hex')}\n${mac}\n${cipher.toString('hex')}`, 'latin1').toString('hex');
  const lines: string[] = [VAULT_HEADER];
  for (let i = 0; i < inner.length; i += LINE) lines.push(inner.slice(i, i + LINE));
  return lines.join('\n') + '\n';
}

/** Decrypts a 1.1 or 1.2 (vault-id label) AES256 envelope. Wrong password and damage are values, not throws. */
export function vaultDecrypt(envelope: Buffer | string, password: string): VaultResult {
  const text = (typeof envelope === 'string' ? envelope : envelope.toString('latin1')).trim();
  const [header = '', ...body] = text.split(/\r?\n/);
  const parts = header.trim().split(';');
  if (parts[0] !== '$ANSIBLE_VAULT' || !['1.1', '1.2'].includes(parts[1] ?? '')) {
    return { ok: false, message: `not an Ansible Vault 1.1/1.2 file (header '${header.slice(0, 40)}')` };
  }
  if (parts[2]?.trim() !== 'AES256') return { ok: false, message: `unsupported vault cipher '${parts[2] ?? ''}'; only AES256 is known` };
  const hex = body.join('').replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return { ok: false, message: 'vault payload is not hexadecimal; the file is damaged' };
  const fields = Buffer.from(hex, 'hex').toString('latin1').split('\n');
  if (fields.length !== 3 || !fields.every((f) => /^([0-9a-fA-F]{2})+$/.test(f))) {
    return { ok: false, message: 'vault payload does not hold salt, HMAC and ciphertext; the file is damaged' };
  }
  const [salt, mac, cipher] = fields.map((f) => Buffer.from(f, 'hex')) as [Buffer, Buffer, Buffer];
  const { key, hmacKey, iv } = deriveKeys(password, salt);
  const expect = createHmac('sha256', hmacKey).update(cipher).digest();
  if (mac.length !== expect.length || !timingSafeEqual(mac, expect)) {
    return { ok: false, message: 'vault password does not match (HMAC check failed)' };
  }
  const d = createDecipheriv('aes-256-ctr', key, iv);
  const padded = Buffer.concat([d.update(cipher), d.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 16 || pad > padded.length) return { ok: false, message: 'vault plaintext has bad padding; the file is damaged' };
  return { ok: true, plaintext: padded.subarray(0, padded.length - pad) };
}

/**
 * Reads a password file the way ansible-vault does: the whole file, surrounding whitespace removed. An
 * executable file is a script, as in Ansible: it runs with the terminal as stdin and stderr (so it may
 * prompt) and its stdout, without trailing CR/LF, is the password. A `*-client` script gets `--vault-id default`.
 */
export function readVaultPassword(file: string): string {
  if (isExecutableFile(file)) return runPasswordScript(file);
  const password = readFileSync(file, 'utf8').replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');
  if (!password) throw new Error(`vault password file ${file} is empty`);
  return password;
}

function isExecutableFile(file: string): boolean {
  const st = statSync(file);
  return st.isFile() && (st.mode & 0o111) !== 0;
}

function runPasswordScript(file: string): string {
  const args = /-client(\.[^./]*)?$/.test(basename(file)) ? ['--vault-id', 'default'] : [];
  const r = spawnSync(file, args, { stdio: ['inherit', 'pipe', 'inherit'], maxBuffer: 1024 * 1024 });
  if (r.error) throw new Error(`vault password script ${file} could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); if it is not a script, remove its executable bit`);
  if (r.status !== 0) throw new Error(`vault password script ${file} returned non-zero (${r.status ?? r.signal})`);
  const password = r.stdout.toString('utf8').replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (!password) throw new Error(`vault password script ${file} printed no password`);
  return password;
}

export type OpenedFile = { ok: true; content: Buffer; encrypted: boolean } | { ok: false; message: string };

/** Loader hook: plain files pass through; vault files are decrypted with the run's password. */
export function openMaybeVault(buf: Buffer, vault: VaultContext | undefined): OpenedFile {
  if (!isVaultText(buf)) return { ok: true, content: buf, encrypted: false };
  if (!vault?.password) {
    return { ok: false, message: 'file is vault-encrypted; give --vault-password-file or set PLAY_VAULT_PASSWORD_FILE' };
  }
  let r = vaultDecrypt(buf, vault.password);
  for (const p of vault.others ?? []) if (!r.ok) r = vaultDecrypt(buf, p);
  return r.ok ? { ok: true, content: r.plaintext, encrypted: true } : { ok: false, message: `cannot decrypt vault file: ${r.message}` };
}

/** Registers every leaf string/number (and every key's value in nested lists and maps) as a secret. */
export function registerLeaves(data: unknown, redactor: Redactor): void {
  if (Array.isArray(data)) data.forEach((v) => registerLeaves(v, redactor));
  else if (data && typeof data === 'object') Object.values(data).forEach((v) => registerLeaves(v, redactor));
  else if (typeof data === 'string') {
    redactor.add(data);
    // Multi-line values also reach output line by line (streamed command output, diffs).
    if (data.includes('\n')) data.split('\n').forEach((l) => redactor.add(l.trim()));
  } else if (typeof data === 'number') redactor.add(data);
}

/** An inline `!vault` value: decrypted with the run's password, and its plaintext registered as a secret. */
export function openInlineVault(envelope: string, vault: VaultContext | undefined): { ok: true; plaintext: string } | { ok: false; message: string } {
  if (!vault?.password) {
    return { ok: false, message: 'inline !vault value needs the vault password: give --vault-password-file FILE or set PLAY_VAULT_PASSWORD_FILE' };
  }
  const r = vaultDecrypt(envelope, vault.password);
  if (!r.ok) return { ok: false, message: `cannot decrypt inline !vault value: ${r.message}` };
  const plaintext = r.plaintext.toString('utf8');
  registerLeaves(plaintext, vault.redactor);
  return { ok: true, plaintext };
}
