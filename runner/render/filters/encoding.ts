// b64encode/b64decode, hash/checksum/md5/sha1 and password_hash (SHA-crypt, Drepper's spec, the
// same strings glibc crypt(3) and passlib's sha512_crypt produce).
import { createHash, randomInt } from 'node:crypto';
import { FilterError, isNumber, num, pyRepr, pyStr, typeName } from './py.js';
import type { FilterFn } from './types.js';

/** to_bytes(value): non-strings go through str() first, like Ansible's simplerepr. */
function bytesOf(v: unknown, encoding = 'utf-8'): Buffer {
  const s = pyStr(v);
  switch (encoding.toLowerCase().replace(/_/g, '-')) {
    case 'utf-8':
    case 'utf8':
      return Buffer.from(s, 'utf8');
    case 'utf-16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
    case 'utf-16-le':
    case 'utf-16le':
      return Buffer.from(s, 'utf16le');
    case 'latin-1':
    case 'latin1':
    case 'iso-8859-1':
      if (/[^\x00-\xff]/.test(s)) throw new FilterError(`'${encoding}' codec can't encode the text`);
      return Buffer.from(s, 'latin1');
    case 'ascii':
      if (/[^\x00-\x7f]/.test(s)) throw new FilterError("'ascii' codec can't encode the text");
      return Buffer.from(s, 'latin1');
    default:
      throw new FilterError(`unsupported encoding '${encoding}' (use utf-8, utf-16, latin-1 or ascii)`);
  }
}

function textOf(b: Buffer, encoding: string): string {
  switch (encoding.toLowerCase().replace(/_/g, '-')) {
    case 'utf-8':
    case 'utf8':
      return new TextDecoder('utf-8').decode(b);
    case 'utf-16': {
      if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
      return new TextDecoder('utf-16le').decode(b[0] === 0xff && b[1] === 0xfe ? b.subarray(2) : b);
    }
    case 'utf-16-le':
    case 'utf-16le':
      return new TextDecoder('utf-16le').decode(b);
    case 'latin-1':
    case 'latin1':
    case 'iso-8859-1':
    case 'ascii':
      return b.toString('latin1');
    default:
      throw new FilterError(`unsupported encoding '${encoding}' (use utf-8, utf-16, latin-1 or ascii)`);
  }
}

/** base64.b64decode without validate: other characters are dropped, padding must be complete. */
function b64decode(s: string): Buffer {
  const clean = s.replace(/[^A-Za-z0-9+/=]/g, '');
  const pad = clean.indexOf('=');
  const data = pad < 0 ? clean : clean.slice(0, pad);
  const rem = data.length % 4;
  if (rem === 1) throw new FilterError(`b64decode: invalid base64-encoded string: number of data characters (${data.length}) cannot be 1 more than a multiple of 4`);
  if (rem > 1 && (pad < 0 ? 0 : clean.length - pad) < 4 - rem) throw new FilterError('b64decode: incorrect padding');
  return Buffer.from(data, 'base64');
}

const HASHES: Record<string, string> = {
  md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512',
  sha3_224: 'sha3-224', sha3_256: 'sha3-256', sha3_384: 'sha3-384', sha3_512: 'sha3-512', blake2b: 'blake2b512', blake2s: 'blake2s256',
};

function digest(data: unknown, type: unknown): string {
  const algo = HASHES[pyStr(type).toLowerCase()];
  if (!algo) throw new FilterError(`unsupported hash type ${pyStr(type)}`);
  return createHash(algo).update(bytesOf(data)).digest('hex');
}

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Byte order of the final encoding, three bytes per four characters (the spec's tables).
const ORDER512 = [0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7, 50, 8, 29, 9, 30, 51, 31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57, 37, 58, 16, 59, 17, 38, 18, 39, 60, 40, 61, 19, 62, 20, 41];
const ORDER256 = [0, 10, 20, 21, 1, 11, 12, 22, 2, 3, 13, 23, 24, 4, 14, 15, 25, 5, 6, 16, 26, 27, 7, 17, 18, 28, 8, 9, 19, 29];

function b64from24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>= 6;
  }
  return out;
}

/** Repeats `block` to exactly `len` bytes. */
function stretch(block: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i += block.length) block.copy(out, i, 0, Math.min(block.length, len - i));
  return out;
}

/** SHA-crypt ($5$ / $6$) per https://www.akkadia.org/drepper/SHA-crypt.txt */
export function shaCrypt(bits: 256 | 512, key: Buffer, salt: string, rounds: number | null): string {
  const algo = bits === 512 ? 'sha512' : 'sha256';
  const H = (...parts: Buffer[]) => {
    const h = createHash(algo);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const n = rounds ?? 5000;
  const b = H(key, s, key);
  const aParts = [key, s, stretch(b, key.length)];
  for (let len = key.length; len > 0; len >>= 1) aParts.push(len & 1 ? b : key);
  let c = H(...aParts);
  const p = stretch(H(...Array<Buffer>(key.length).fill(key)), key.length);
  const sBytes = stretch(H(...Array<Buffer>(16 + c[0]!).fill(s)), s.length);
  for (let i = 0; i < n; i++) {
    const parts: Buffer[] = [i & 1 ? p : c];
    if (i % 3) parts.push(sBytes);
    if (i % 7) parts.push(p);
    parts.push(i & 1 ? c : p);
    c = H(...parts);
  }
  const order = bits === 512 ? ORDER512 : ORDER256;
  let out = '';
  for (let i = 0; i < order.length; i += 3) out += b64from24(c[order[i]!]!, c[order[i + 1]!]!, c[order[i + 2]!]!, 4);
  out += bits === 512 ? b64from24(0, 0, c[63]!, 2) : b64from24(0, c[31]!, c[30]!, 3);
  return `$${bits === 512 ? 6 : 5}$${rounds === null ? '' : `rounds=${n}$`}${salt.slice(0, 16)}$${out}`;
}

const CRYPT_NAMES: Record<string, 256 | 512> = { sha512: 512, sha512_crypt: 512, sha256: 256, sha256_crypt: 256 };

const passwordHash: FilterFn = (value, args, kwargs) => {
  const hashtype = pyStr(kwargs.hashtype ?? args[0] ?? 'sha512');
  const salt = kwargs.salt ?? args[1] ?? null;
  const saltSize = kwargs.salt_size ?? args[2] ?? null;
  const rounds = kwargs.rounds ?? args[3] ?? null;
  const bits = CRYPT_NAMES[hashtype];
  if (!bits) throw new FilterError(`password_hash: the '${hashtype}' algorithm is not supported here; use sha512 or sha256`);
  if (typeof value !== 'string') throw new FilterError(`password_hash expects the password as a string, got ${typeName(value)}`);
  const size = saltSize === null ? 16 : isNumber(saltSize) ? num(saltSize) : NaN;
  if (!Number.isInteger(size) || size < 1) throw new FilterError(`password_hash: salt_size must be a positive integer, got ${pyRepr(saltSize)}`);
  const s = salt === null || salt === '' ? Array.from({ length: size }, () => ITOA64[randomInt(64)]).join('') : pyStr(salt);
  if (/[^./0-9A-Za-z]/.test(s)) throw new FilterError('password_hash: invalid characters in salt (allowed: ./0-9A-Za-z)');
  if (s.length > 16) throw new FilterError('password_hash: invalid salt size (at most 16 characters)');
  let r: number | null = null;
  if (rounds !== null) {
    if (!isNumber(rounds) || !Number.isInteger(num(rounds))) throw new FilterError(`password_hash: rounds must be an integer, got ${pyRepr(rounds)}`);
    // passlib's implicit rounds are left out of the string, as Ansible does for crypt.
    const implicit = bits === 512 ? 656000 : 535000;
    r = num(rounds) === implicit ? null : Math.min(999999999, Math.max(1000, num(rounds)));
  }
  return shaCrypt(bits, Buffer.from(value, 'utf8'), s, r);
};

export const ENCODING_FILTERS: Readonly<Record<string, FilterFn>> = {
  b64encode: (v, a, kw) => bytesOf(v, pyStr(kw.encoding ?? a[0] ?? 'utf-8')).toString('base64'),
  b64decode: (v, a, kw) => textOf(b64decode(pyStr(v)), pyStr(kw.encoding ?? a[0] ?? 'utf-8')),
  hash: (v, a, kw) => digest(v, kw.hashtype ?? a[0] ?? 'sha1'),
  checksum: (v) => digest(v, 'sha1'),
  sha1: (v) => digest(v, 'sha1'),
  md5: (v) => digest(v, 'md5'),
  password_hash: passwordHash,
};
