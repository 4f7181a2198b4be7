// apt_key: a key in apt's keyring (or `keyring`), through apt-key as Ansible 2.14 does it. Probe: 1
// exec: the keys apt-key lists, and, without `id`, the id of the key in url/data/file (gpg
// --show-keys; the url fetched with curl, its request in stdin). Decide compares the long ids.
import { defineModule, type Decision, type ProbeContext } from './types.js';
import { quote } from '../shell-quote.js';
import { curlConfig, NEED_CURL, readReport, type HttpArgs } from './http-curl.js';

export interface AptKeyArgs {
  id?: string;
  url?: string;
  data?: string;
  file?: string;
  keyring?: string;
  keyserver?: string;
  validate_certs?: boolean;
  state?: 'present' | 'absent';
}

export interface AptKeyProbe {
  /** Long ids of the listed keys that are not expired (pub and sub lines). */
  keys: string[];
  /** The id gpg reads from url/data/file (first pub), when the task gives no id. */
  derivedId?: string;
  /** Why the key material could not be read. */
  error?: string;
}

const APT_KEY = 'apt-key';

export const aptKeyModule = defineModule<AptKeyArgs, AptKeyProbe>({
  name: 'apt_key',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      id: { type: 'string', minLength: 1 },
      url: { type: 'string', minLength: 1 },
      data: { type: 'string', minLength: 1 },
      file: { type: 'string', minLength: 1 },
      keyring: { type: 'string', minLength: 1 },
      keyserver: { type: 'string', minLength: 1 },
      validate_certs: { type: 'boolean' },
      state: { enum: ['present', 'absent'] },
    },
  },
  probe: probeAptKey,
  decide: decideAptKey,
});

const ring = (a: AptKeyArgs): string => (a.keyring !== undefined ? `${APT_KEY} --keyring ${quote(a.keyring)}` : APT_KEY);
const LIST = (a: AptKeyArgs) => `LC_ALL=C ${ring(a)} adv --list-public-keys --keyid-format=long 2>/dev/null`;
const http = (a: AptKeyArgs, url: string): HttpArgs => ({ url, ...(a.validate_certs === false ? { validate_certs: false } : {}) });

/** Ansible's parse_output_for_keys: the id after '/' on pub/sub lines (colon format: field 5), skipping expired keys. */
export function parseKeyList(out: string): string[] {
  const found: string[] = [];
  for (const line of out.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue;
    const code = line.split(/\s+/)[1];
    if (code?.includes('/')) found.push(code.split('/')[1]!);
    else if (line.split(':').length > 4) found.push(line.split(':')[4]!);
  }
  return found;
}

export type KeyId = { ok: true; short: string; fingerprint: string; keyId: string } | { ok: false };

/** Ansible's parse_key_id: hex, 8, 16 or more digits, optional 0x; compared by its last 16. */
export function parseKeyId(id: string): KeyId {
  let k = id.trim().toUpperCase();
  if (k.startsWith('0X')) k = k.slice(2);
  if (!/^[0-9A-F]+$/.test(k) || (k.length !== 8 && k.length !== 16 && k.length <= 16)) return { ok: false };
  return { ok: true, short: k.slice(-8), fingerprint: k.length > 16 ? k.slice(-16) : k, keyId: k };
}

async function probeAptKey(a: AptKeyArgs, ctx: ProbeContext): Promise<AptKeyProbe> {
  const lines = ['g=$(mktemp -d) || exit 1; trap \'rm -rf -- "$g"\' EXIT'];
  let stdin: string | undefined;
  const ids = `GNUPGHOME=$g gpg --batch --show-keys --with-colons "$k" 2>/dev/null | sed -n 's/^pub:[^:]*:[^:]*:[^:]*:\\([0-9A-Fa-f]*\\):.*/derived=\\1/p' | head -n 1`;
  if (a.id === undefined && a.keyserver === undefined) {
    if (a.url !== undefined) {
      lines.push(NEED_CURL, `k=$g/key; code=$(curl --config - -o "$k" -w '%{http_code}' 2>"$g/err"); if [ "$code" != 200 ]; then printf 'play-fail=Failed to download key at %s: %s\\n' ${quote(a.url)} "\${code:-curl} $(tail -n 1 "$g/err")"; exit 0; fi`, ids);
      stdin = curlConfig(http(a, a.url), { url: a.url });
    } else if (a.file !== undefined) {
      lines.push(`k=${quote(a.file)}; if [ ! -r "$k" ]; then echo "play-fail=Unable to extract key from '$k'"; exit 0; fi`, ids);
    } else if (a.data !== undefined) {
      lines.push('k=$g/key; cat > "$k"', ids);
      stdin = a.data;
    }
  }
  // Listing a keyring that does not exist creates it (gpg does): the probe leaves it absent.
  lines.push('echo @@keys', a.keyring !== undefined ? `if [ -e ${quote(a.keyring)} ]; then ${LIST(a)}; fi` : LIST(a), 'exit 0');
  const r = await ctx.conn.exec(lines.join('\n'), stdin !== undefined ? { stdin } : {});
  if (r.code !== 0) throw new Error(`apt_key probe failed (rc ${r.code}): ${r.stderr.trim()}`);
  const rep = readReport(r.stdout);
  const at = r.stdout.indexOf('@@keys\n');
  const probe: AptKeyProbe = { keys: at < 0 ? [] : parseKeyList(r.stdout.slice(at + 7)) };
  if (rep.fail !== undefined) probe.error = rep.fail;
  const d = rep.kv.get('derived');
  if (d) probe.derivedId = d;
  return probe;
}

export function decideAptKey(a: AptKeyArgs, p: AptKeyProbe): Decision {
  const state = a.state ?? 'present';
  const sources = ['data', 'file', 'keyserver', 'url'].filter((k) => a[k as keyof AptKeyArgs] !== undefined);
  if (sources.length > 1) return { kind: 'fail', msg: `parameters are mutually exclusive: ${sources.join('|')}` };
  if (a.id === undefined && a.keyserver !== undefined) return { kind: 'fail', msg: 'Missing key_id, required with keyserver.' };
  if (p.error !== undefined) return { kind: 'fail', msg: p.error };
  const raw = a.id ?? p.derivedId;
  if (raw === undefined) return { kind: 'fail', msg: state === 'absent' ? 'key is required to remove a key' : `Unable to extract key from '${a.file ?? a.url ?? 'inline data'}'` };
  const k = parseKeyId(raw);
  if (!k.ok) return { kind: 'fail', msg: 'Invalid key_id', result: { id: raw } };
  const short = k.keyId.length === 8;
  const has = short ? p.keys.map((x) => x.slice(-8)).includes(k.short) : p.keys.includes(k.fingerprint);
  const result = { id: raw, short_id: k.short, fp: k.fingerprint, key_id: k.keyId, before: short ? p.keys.map((x) => x.slice(-8)) : p.keys };
  const where = a.keyring ?? "apt's keyring";
  const want = short ? k.short : k.fingerprint;
  // apt-key exits 0 even when the key it got was not the one asked for: the listing after says.
  const verify = (present: boolean, what: string) =>
    `${LIST(a)} | awk '/^(pub|sub)/ && !/expired/ {print}' | grep -q -- ${quote(short ? `${want} ` : `/${want} `)}; r=$?; if [ $r ${present ? '-ne' : '-eq'} 0 ]; then echo "apt-key did not return an error, but ${what} (check that the id is correct and *not* a subkey)" >&2; exit 1; fi`;
  if (state === 'absent') {
    if (!p.keys.includes(k.fingerprint)) return { kind: 'noop', reason: `key ${k.fingerprint} is not in ${where}`, result };
    const cmd = `${ring(a)} del ${quote(k.short)} >/dev/null 2>&1 || { echo 'Unable to remove a key with id ${k.short}' >&2; exit 1; }\n${verify(false, 'the key was not removed')}`;
    return { kind: 'change', summary: `remove key ${k.fingerprint} from ${where}`, result, steps: [{ kind: 'exec', describe: `apt-key del ${k.short}`, cmd }] };
  }
  if (has) return { kind: 'noop', reason: `key ${want} is already in ${where}`, result };
  let add: string;
  let stdin: string | undefined;
  if (a.file !== undefined) add = `${ring(a)} add ${quote(a.file)}`;
  else if (a.keyserver !== undefined) add = `i=0; until ${ring(a)} adv --no-tty --keyserver ${quote(a.keyserver)} --recv ${quote(k.keyId)}; do i=$((i+1)); [ $i -lt 5 ] || exit 1; done`;
  else if (a.data !== undefined) { add = `${ring(a)} add -`; stdin = a.data; }
  else if (a.url !== undefined) {
    add = `command -v curl >/dev/null 2>&1 || { echo 'apt_key with url runs curl on the host, and curl is not in its PATH' >&2; exit 1; }\nt=$(mktemp) || exit 1; trap 'rm -f -- "$t"' EXIT; code=$(curl --config - -o "$t" -w '%{http_code}') && [ "$code" = 200 ] || { echo "Failed to download key at ${a.url.replace(/["$`\\]/g, '')}: HTTP $code" >&2; exit 1; }; ${ring(a)} add "$t"`;
    stdin = curlConfig(http(a, a.url), { url: a.url });
  } else return { kind: 'fail', msg: 'No key to add: give url, data, file or keyserver with id', result };
  const cmd = `${add} >/dev/null\n${verify(true, 'failed to add the key')}`;
  return { kind: 'change', summary: `add key ${want} to ${where}`, result, steps: [{ kind: 'exec', describe: `apt-key add ${want}`, cmd, ...(stdin !== undefined ? { stdin } : {}) }] };
}
