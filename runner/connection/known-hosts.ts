// OpenSSH known_hosts: parse (plain, [host]:port, comma lists, wildcards, negation, hashed |1|salt|hash),
// look a presented host key up, and format an entry to append. Pure apart from readKnownHosts/appendKnownHost.
import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: '@revoked' | '@cert-authority';
  /** Comma-separated patterns, or one hashed `|1|salt|hash` name. */
  hosts: string;
  keyType: string;
  /** Base64 key blob. */
  key: string;
}

export type HostKeyVerdict =
  | { kind: 'match'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  | { kind: 'changed'; entries: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    if (!l || l.startsWith('#')) return;
    const f = l.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (f[0] === '@revoked' || f[0] === '@cert-authority') marker = f.shift() as KnownHostEntry['marker'];
    if (f.length < 3) return;
    out.push({ file, line: i + 1, marker, hosts: f[0]!, keyType: f[1]!, key: f[2]! });
  });
  return out;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatch(pattern: string, s: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(s);
}

/** Does a known_hosts host field match `name` (already in `[host]:port` form when needed)? */
export function hostsFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let hit = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) hit = true;
  }
  return hit;
}

/** Key type name inside an SSH public key blob (string type, ...). */
export function blobKeyType(blob: Buffer): string {
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** Key types a server may present for a known key type (RSA keys sign with sha2 variants). */
export function hostKeyAlgorithms(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

export function entriesFor(entries: KnownHostEntry[], name: string): KnownHostEntry[] {
  return entries.filter((e) => e.marker !== '@cert-authority' && hostsFieldMatches(e.hosts, name));
}

/** Compare a presented key with what known_hosts says about `name`. */
export function checkHostKey(entries: KnownHostEntry[], name: string, blob: Buffer): HostKeyVerdict {
  const key = blob.toString('base64');
  const type = blobKeyType(blob);
  const mine = entriesFor(entries, name);
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key === key);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const match = mine.find((e) => !e.marker && e.keyType === type && e.key === key);
  if (match) return { kind: 'match', entry: match };
  const sameType = mine.filter((e) => !e.marker && e.keyType === type);
  if (sameType.length) return { kind: 'changed', entries: sameType };
  return { kind: 'unknown' };
}

export async function readKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const f of files) {
    const text = await fs.readFile(f, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    all.push(...parseKnownHosts(text, f));
  }
  return all;
}

export function formatKnownHost(name: string, blob: Buffer): string {
  return `${name} ${blobKeyType(blob)} ${blob.toString('base64')}\n`;
}

/** Append one line (a single O_APPEND write, so parallel connections don't interleave). */
export async function appendKnownHost(file: string, line: string): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const cur = await fs.readFile(file, 'utf8').catch(() => '');
  const prefix = cur && !cur.endsWith('\n') ? '\n' : '';
  await fs.appendFile(file, prefix + line, { mode: 0o600 });
}
