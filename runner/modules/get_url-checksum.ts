// get_url's checksum argument, as Ansible reads it: `<algorithm>:<hex>` or `<algorithm>:<url>` of a
// checksum file (sha256sum's format, or one bare digest). Pure.

export type ChecksumArg =
  | { kind: 'none' }
  | { kind: 'bad'; msg: string }
  | { kind: 'hex'; alg: string; hex: string }
  | { kind: 'url'; alg: string; url: string };

const URL_SCHEMES = ['http', 'https', 'ftp', 'file'];

export function parseChecksumArg(s: string | undefined): ChecksumArg {
  if (s === undefined || s === '') return { kind: 'none' };
  const i = s.indexOf(':');
  if (i < 0) return { kind: 'bad', msg: 'The checksum parameter has to be in format <algorithm>:<checksum>' };
  const alg = s.slice(0, i).toLowerCase();
  const rest = s.slice(i + 1);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(rest)?.[1]?.toLowerCase();
  if (scheme !== undefined && URL_SCHEMES.includes(scheme)) return { kind: 'url', alg, url: rest };
  return { kind: 'hex', alg, hex: cleanHex(rest) };
}

/** Ansible drops every non-word character (a zero-width space pasted with the digest) and lowercases. */
export function cleanHex(s: string): string {
  return s.replace(/[^\p{L}\p{N}_]+/gu, '').toLowerCase();
}

/**
 * The digest for `filename` in a checksum file: one line with one word is the digest itself;
 * otherwise `<digest> <type char><name>` lines (' ' text, '*' binary), a leading './' ignored.
 */
export function pickChecksum(text: string, filename: string): string | undefined {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 1 && lines[0]!.split(/\s+/).filter(Boolean).length === 1) return cleanHex(lines[0]!);
  for (const line of lines) {
    const at = line.indexOf(' ');
    if (at < 0) continue;
    let name = line.slice(at + 1);
    if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1);
    // Python's lstrip("./") strips any run of '.' and '/' characters
    name = name.replace(/^[./]+/, '');
    if (name === filename) return cleanHex(line.slice(0, at));
  }
  return undefined;
}
