// get_url: download a URL to a file on the host, with curl on the host (Ansible runs it there too).
// Probe: 1 exec (dest), +1 for a checksum URL, +1 under --check. Ansible 2.14's order: an existing
// dest whose digest matches `checksum` is kept without a download (force: no); otherwise the file is
// fetched (If-Modified-Since dest's mtime unless force) and replaces dest only when the bytes differ.
import { defineModule, type Decision, type ProbeContext } from './types.js';
import { quote } from '../shell-quote.js';
import { attrSteps, describeAttrs, fileProbeLines, PARENT_OF_P, parseFileInfo, planAttrs, type FileInfo } from './fileinfo.js';
import { formatMode, resolveMode, type ModeSpec } from './mode.js';
import { curlConfig, fileUrlPath, httpSchemaProps, NEED_CURL, normalizeHttp, readReport, tail, urlFilename, urlScheme, type HttpArgs } from './http-curl.js';
import { fetchScript } from './get_url-script.js';
import { parseChecksumArg, pickChecksum, type ChecksumArg } from './get_url-checksum.js';

export interface GetUrlArgs extends HttpArgs {
  dest: string;
  checksum?: string;
  force?: boolean;
  backup?: boolean;
  tmp_dest?: string;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
  decompress?: boolean;
}

export interface GetUrlProbe {
  info: FileInfo;
  parentExists: boolean;
  /** The dest's digest with the checksum's algorithm (a regular file and a checksum given). */
  destDigest?: string;
  /** The checksum file fetched from `checksum: <alg>:<url>`: curl's exit code, HTTP status, body. */
  checksumFile?: { rc: number; status: string; body: string };
  /** --check only: what a real run would find (HEAD status; for file: URLs the source's sha1 and the target's). */
  check?: { status?: string; srcSha1?: string; finalSha1?: string; rc: number; err?: string };
}

const ALGS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

/** user:password@ never shows in a summary or reason. */
export const displayUrl = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1');

export const getUrlModule = defineModule<GetUrlArgs, GetUrlProbe>({
  name: 'get_url',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'dest'],
    properties: {
      ...httpSchemaProps,
      dest: { type: 'string', minLength: 1 },
      checksum: { type: 'string' },
      force: { type: 'boolean' },
      backup: { type: 'boolean' },
      tmp_dest: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      decompress: { type: 'boolean' },
    },
  },
  normalize: (raw) => normalizeHttp(raw, { username: 'url_username', password: 'url_password' }),
  probe: probeGetUrl,
  decide: decideGetUrl,
});

async function probeGetUrl(a: GetUrlArgs, ctx: ProbeContext): Promise<GetUrlProbe> {
  const ck = parseChecksumArg(a.checksum);
  const alg = ck.kind === 'none' || ck.kind === 'bad' ? undefined : ck.alg;
  const lines = [`p=${quote(a.dest)}`, fileProbeLines({}), `${PARENT_OF_P}; if [ -d "$d" ]; then echo parent=yes; else echo parent=no; fi`];
  if (alg !== undefined && ALGS.includes(alg)) lines.push(`if [ -f "$p" ] && [ -r "$p" ]; then s=$(${alg}sum < "$p") && printf 'dest_digest=%s\\n' "\${s%% *}"; fi`);
  const r = await ctx.conn.exec(lines.join('\n'));
  if (r.code !== 0) throw new Error(`probe of ${a.dest} failed (rc ${r.code}): ${r.stderr.trim()}`);
  const kv = readReport(r.stdout).kv;
  const probe: GetUrlProbe = { info: parseFileInfo(r.stdout, a.dest), parentExists: kv.get('parent') === 'yes' };
  if (kv.has('dest_digest')) probe.destDigest = kv.get('dest_digest');
  if (ck.kind === 'url') {
    const c = await ctx.conn.exec(`${NEED_CURL}\nr=$(curl --config - -w '\\n%{http_code}' 2>&1; echo " $?"); printf 'cksum=%s\\n' "$(printf '%s' "$r" | base64 -w0)"`, { stdin: curlConfig(a, { url: ck.url }) });
    probe.checksumFile = parseFetched(c.stdout);
  }
  if (ctx.check && !keptByChecksum(a, probe, ck)) probe.check = await probeCheck(a, probe, ctx);
  return probe;
}

/** `body\n<status> <rc>` as the probe printed it (base64). */
export function parseFetched(stdout: string): { rc: number; status: string; body: string } {
  const kv = readReport(stdout);
  if (kv.fail !== undefined) return { rc: 127, status: '', body: kv.fail };
  const text = Buffer.from(kv.kv.get('cksum') ?? '', 'base64').toString('utf8');
  const m = /\n?(\d{3})? (\d+)$/.exec(text);
  return { rc: Number(m?.[2] ?? 1), status: m?.[1] ?? '', body: m ? text.slice(0, m.index) : text };
}

/** Under --check Ansible sends a HEAD (If-Modified-Since unless force); a file: URL it reads whole. */
async function probeCheck(a: GetUrlArgs, p: GetUrlProbe, ctx: ProbeContext): Promise<GetUrlProbe['check']> {
  const isDir = p.info.isDir === true;
  const final = isDir ? `${a.dest.replace(/\/$/, '')}/${urlFilename(a.url)}` : a.dest;
  if (urlScheme(a.url) === 'file') {
    const r = await ctx.conn.exec(`for f in ${quote(fileUrlPath(a.url))} ${quote(final)}; do if [ -f "$f" ]; then s=$(sha1sum < "$f"); echo "\${s%% *}"; else echo -; fi; done`);
    const [src, fin] = r.stdout.trim().split('\n');
    return { rc: src === '-' ? 37 : 0, srcSha1: src, finalSha1: fin, ...(src === '-' ? { err: `Couldn't open file ${fileUrlPath(a.url)}` } : {}) };
  }
  const ims = !a.force && p.info.type === 'file' ? `-z ${quote(a.dest)} ` : '';
  const r = await ctx.conn.exec(`${NEED_CURL}\ncurl --config - ${ims}-o /dev/null -w '%{http_code}'`, { stdin: curlConfig(a, { url: a.url, head: true }) });
  const rep = readReport(r.stdout);
  if (rep.fail !== undefined) return { rc: 127, err: rep.fail };
  return { rc: r.code, status: r.stdout.trim(), ...(r.code !== 0 ? { err: tail(r.stderr, 1) } : {}) };
}

/** An existing file whose digest is the wanted one stays: no download (force: no). */
function keptByChecksum(a: GetUrlArgs, p: GetUrlProbe, ck: ChecksumArg): boolean {
  if (a.force || p.info.type !== 'file' || ck.kind === 'none' || ck.kind === 'bad') return false;
  const want = wantedHex(a, p, ck);
  return typeof want === 'string' && want === p.destDigest;
}

/** The expected hex digest, or a failure message (Ansible's words). */
function wantedHex(a: GetUrlArgs, p: GetUrlProbe, ck: ChecksumArg): string | { fail: string } {
  if (ck.kind === 'hex') return ck.hex;
  if (ck.kind !== 'url') return { fail: 'no checksum' };
  const f = p.checksumFile;
  if (!f || f.rc !== 0 || (f.status !== '200' && urlScheme(ck.url) !== 'file')) return { fail: `Request failed for the checksum file ${displayUrl(ck.url)}: ${f?.rc ? f.body.trim() : `HTTP ${f?.status}`}` };
  return pickChecksum(f.body, urlFilename(a.url)) ?? { fail: `Unable to find a checksum for file '${urlFilename(a.url)}' in '${displayUrl(ck.url)}'` };
}

export function decideGetUrl(a: GetUrlArgs, p: GetUrlProbe, ctx: { check: boolean }): Decision {
  const url = displayUrl(a.url);
  const base = { url, dest: a.dest };
  const ck = parseChecksumArg(a.checksum);
  if (ck.kind === 'bad') return { kind: 'fail', msg: ck.msg, result: base };
  let checksum: { alg: string; hex: string } | undefined;
  if (ck.kind !== 'none') {
    if (!ALGS.includes(ck.alg)) return { kind: 'fail', msg: `checksum algorithm ${ck.alg} is not supported (one of ${ALGS.join(', ')})`, result: base };
    const want = wantedHex(a, p, ck);
    if (typeof want !== 'string') return { kind: 'fail', msg: want.fail, result: base };
    if (!/^[0-9a-f]+$/.test(want)) return { kind: 'fail', msg: 'The checksum format is invalid', result: base };
    checksum = { alg: ck.alg, hex: want };
  }
  const isDir = p.info.isDir === true;
  if (!isDir && p.info.type !== 'absent' && p.info.isReg !== true) return { kind: 'fail', msg: `${a.dest} exists and is not a regular file or a directory`, result: base };
  if (p.info.type === 'absent' && !p.parentExists) return { kind: 'fail', msg: `Destination ${parentOf(a.dest)} does not exist`, result: base };
  let modeText: string | undefined;
  if (a.mode !== undefined) {
    const m = resolveMode(a.mode, undefined, false);
    if (!m.ok) return { kind: 'fail', msg: m.msg, result: base };
    modeText = typeof a.mode === 'number' || /^0?o?[0-7]{1,4}$/.test(a.mode.trim()) ? formatMode(m.mode) : a.mode.trim();
  }

  if (checksum && keptByChecksum(a, p, ck)) {
    const result = { ...base, checksum_dest: null, checksum_src: null };
    const plan = planAttrs(a, p.info, false);
    if (!plan.ok) return { kind: 'fail', msg: plan.msg, result };
    const same = `${a.dest} already exists with ${checksum.alg} ${checksum.hex.slice(0, 12)}…, so nothing is downloaded`;
    if (plan.changes.length === 0) return { kind: 'noop', reason: `${same}; ${describeAttrs(p.info)}`, result: { ...result, msg: 'file already exists' } };
    return { kind: 'change', summary: `${a.dest}: ${plan.changes.join(', ')}`, steps: attrSteps(a.dest, a, plan), result: { ...result, msg: 'file already exists but file attributes changed' } };
  }
  if (ctx.check && p.check) {
    const c = p.check;
    if (c.rc !== 0) return { kind: 'fail', msg: `Request failed: ${c.err ?? `curl exited ${c.rc}`}`, result: base };
    if (c.srcSha1 !== undefined) {
      if (c.srcSha1 === c.finalSha1 && attrsMatch(a, p)) return { kind: 'noop', reason: `${a.dest} already has the content of ${url} (sha1 ${c.srcSha1.slice(0, 12)}…)`, result: base };
    } else if (c.status === '304') {
      return { kind: 'noop', reason: `${url} is not modified since ${a.dest} was written (HTTP 304)`, result: { ...base, status_code: 304 } };
    } else if (c.status !== '200') {
      return { kind: 'fail', msg: 'Request failed', result: { ...base, status_code: Number(c.status), response: `HTTP ${c.status}` } };
    }
  }
  const script = fetchScript({
    dest: a.dest, force: a.force === true, fileUrl: urlScheme(a.url) === 'file', ...(checksum ? { checksum } : {}),
    ...(a.tmp_dest !== undefined ? { tmpDest: a.tmp_dest } : {}), ...(modeText !== undefined ? { mode: modeText } : {}),
    ...(a.owner !== undefined ? { owner: a.owner } : {}), ...(a.group !== undefined ? { group: a.group } : {}), backup: a.backup === true,
  });
  const stdin = curlConfig(a, { url: a.url, compressed: a.decompress !== false });
  const summary = `download ${url} to ${a.dest}${isDir ? '/' : ''}${p.info.type === 'file' ? ' (replacing it if the content differs)' : ''}`;
  return {
    kind: 'change', summary, result: base,
    steps: [{ kind: 'exec', describe: `download ${url}`, cmd: script, stdin, interpret: (out) => interpretFetch(out, url) }],
  };
}

/** The script's report -> Ansible's result fields, and whether anything changed. */
export function interpretFetch(out: { code: number; stdout: string; stderr: string }, url: string): { result: Record<string, unknown>; fail?: string; unchanged?: string } {
  const { kv, fail } = readReport(out.stdout);
  const result: Record<string, unknown> = { url };
  for (const k of ['dest', 'checksum_src', 'checksum_dest', 'md5sum', 'owner', 'group', 'backup_file', 'msg', 'response']) if (kv.has(k)) result[k] = kv.get(k);
  for (const k of ['status_code', 'uid', 'gid', 'size']) if (kv.has(k)) result[k] = Number(kv.get(k));
  if (kv.has('mode')) { result.mode = kv.get('mode')!.padStart(4, '0'); result.state = 'file'; }
  if (fail !== undefined) return { result, fail };
  if (out.code !== 0) return { result, fail: `download of ${url} failed (rc ${out.code})${out.stderr.trim() ? `: ${tail(out.stderr)}` : ''}` };
  const nm = kv.get('play-unchanged');
  if (nm !== undefined) return { result: { ...result, msg: 'Not Modified' }, unchanged: nm };
  if (kv.get('play-changed') === 'no') return { result, unchanged: `${result.dest} already has the content of ${url} (sha1 ${String(result.checksum_src).slice(0, 12)}…)` };
  if (kv.get('play-changed') !== 'yes') return { result, fail: `download of ${url}: the host script ended without a report${out.stderr.trim() ? `: ${tail(out.stderr)}` : ''}` };
  return { result };
}

function attrsMatch(a: GetUrlArgs, p: GetUrlProbe): boolean {
  if (p.info.isDir) return a.mode === undefined && a.owner === undefined && a.group === undefined;
  const plan = planAttrs(a, p.info, false);
  return plan.ok && plan.changes.length === 0;
}

function parentOf(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
