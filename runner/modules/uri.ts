// uri: an HTTP request from the host (Ansible runs it there), with curl; the request, body included,
// travels in curl's stdin config. Like Ansible, it is ok (not changed) unless it wrote `dest`, and it
// fails when the status is not in status_code. Probe: 1 exec (creates, removes, dest).
import { defineModule, type Decision, type ExecOutput, type ProbeContext, type StepReport } from './types.js';
import { quote } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';
import { formatMode, resolveMode, type ModeSpec } from './mode.js';
import { curlConfig, curlQuote, httpSchemaProps, NEED_CURL, normalizeHttp, readReport, tail, type HttpArgs } from './http-curl.js';
import { displayUrl } from './get_url.js';
import { buildBody, isJsonType, parseHeaderDump, pyList, type BodyFormat } from './uri-body.js';
import { uriScript } from './uri-script.js';

export interface UriArgs extends HttpArgs {
  method?: string;
  body?: unknown;
  body_format?: BodyFormat;
  status_code?: number | string | Array<number | string>;
  return_content?: boolean;
  dest?: string;
  creates?: string;
  removes?: string;
  follow_redirects?: 'all' | 'no' | 'none' | 'safe' | 'urllib2' | 'yes';
  unix_socket?: string;
  ca_path?: string;
  decompress?: boolean;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
}

export interface UriProbe {
  createsExists?: boolean;
  removesExists?: boolean;
  destIsDir?: boolean;
  /** GET/HEAD without dest: the answer, fetched by the probe (see isSafe). */
  response?: ExecOutput;
}

export const uriModule = defineModule<UriArgs, UriProbe>({
  name: 'uri',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      ...httpSchemaProps,
      timeout: { type: 'integer', minimum: 0 },
      method: { type: 'string', minLength: 1 },
      body: {},
      body_format: { enum: ['raw', 'json', 'form-urlencoded', 'form-multipart'] },
      status_code: { anyOf: [{ type: ['integer', 'string'] }, { type: 'array', items: { type: ['integer', 'string'] } }] },
      return_content: { type: 'boolean' },
      dest: { type: 'string', minLength: 1 },
      creates: { type: 'string' },
      removes: { type: 'string' },
      follow_redirects: { enum: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'] },
      unix_socket: { type: 'string' },
      ca_path: { type: 'string' },
      decompress: { type: 'boolean' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
  },
  normalize: (raw) => normalizeHttp(raw, { user: 'url_username', password: 'url_password' }),
  // A request is an action: only creates/removes let a later run tell that it still holds.
  verifiable: (a) => a.creates !== undefined || a.removes !== undefined,
  probe: probeUri,
  decide: decideUri,
});

/** GET and HEAD without dest are read-only requests: the probe makes them (under --check too) and the task is ok. */
const isSafe = (a: UriArgs): boolean => a.dest === undefined && ['GET', 'HEAD'].includes((a.method ?? 'GET').toUpperCase());

async function probeUri(a: UriArgs, ctx: ProbeContext): Promise<UriProbe> {
  const lines: string[] = [];
  if (a.creates !== undefined) lines.push(`if [ -e ${quote(a.creates)} ]; then echo creates=yes; fi`);
  if (a.removes !== undefined) lines.push(`if [ -e ${quote(a.removes)} ]; then echo removes=yes; fi`);
  if (a.dest !== undefined) lines.push(`if [ -d ${quote(a.dest)} ]; then echo destdir=yes; fi`);
  let p: UriProbe = {};
  if (lines.length > 0) {
    const r = await ctx.conn.exec(`${lines.join('\n')}\nexit 0`);
    if (r.code !== 0) throw new Error(`uri probe failed (rc ${r.code}): ${r.stderr.trim()}`);
    const kv = parseKv(r.stdout);
    p = { createsExists: kv.get('creates') === 'yes', removesExists: kv.get('removes') === 'yes', destIsDir: kv.get('destdir') === 'yes' };
  }
  if (!isSafe(a) || skipped(a, p) !== undefined) return p;
  const plan = planRequest(a, p);
  if ('fail' in plan) return p;
  return { ...p, response: await ctx.conn.exec(plan.script, { stdin: plan.config }) };
}

/** status_code as Ansible's list of ints; undefined for a value that is not one. */
export function statusCodes(s: UriArgs['status_code']): number[] | undefined {
  const list = s === undefined ? [200] : Array.isArray(s) ? s : String(s).split(',');
  const out = list.map((x) => Number(String(x).trim()));
  return out.every((n) => Number.isInteger(n)) ? out : undefined;
}

function skipped(a: UriArgs, p: UriProbe): Decision | undefined {
  if (a.creates !== undefined && p.createsExists) return { kind: 'noop', reason: `skipped, since ${a.creates} exists`, result: { stdout: `skipped, since '${a.creates}' exists` } };
  if (a.removes !== undefined && !p.removesExists) return { kind: 'noop', reason: `skipped, since ${a.removes} does not exist`, result: { stdout: `skipped, since '${a.removes}' does not exist` } };
  return undefined;
}

interface RequestPlan { method: string; codes: number[]; config: string; script: string; summary: string }

/** The request as curl config (stdin) and host script, or why it cannot be made. Pure. */
export function planRequest(a: UriArgs, p: UriProbe): RequestPlan | { fail: string } {
  const method = (a.method ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) return { fail: "Parameter 'method' needs to be a single word in uppercase, like GET or POST." };
  const codes = statusCodes(a.status_code);
  if (!codes) return { fail: `status_code must be a list of integers, got ${JSON.stringify(a.status_code)}` };
  const headers: Record<string, string | number | boolean> = { ...a.headers };
  const body = buildBody(a.body, a.body_format ?? 'raw', headers);
  if (!body.ok) return { fail: body.msg };
  if (body.contentType) headers['Content-Type'] = body.contentType;
  let modeText: string | undefined;
  if (a.mode !== undefined) {
    const m = resolveMode(a.mode, undefined, false);
    if (!m.ok) return { fail: m.msg };
    modeText = typeof a.mode === 'number' || /^0?o?[0-7]{1,4}$/.test(a.mode.trim()) ? formatMode(m.mode) : a.mode.trim();
  }
  const fr = a.follow_redirects ?? 'safe';
  const follow = fr === 'all' || fr === 'yes' || fr === 'urllib2' || (fr === 'safe' && (method === 'GET' || method === 'HEAD'));
  let config = curlConfig({ ...a, headers, timeout: a.timeout ?? 30 }, { url: a.url, method, followRedirects: follow, compressed: a.decompress !== false, head: method === 'HEAD' });
  // data-raw: the body as given, a leading '@' included (data-binary would read a file)
  if (body.text !== undefined) config += `data-raw = ${curlQuote(body.text)}\n`;
  if (a.unix_socket !== undefined) config += `unix-socket = ${curlQuote(a.unix_socket)}\n`;
  if (a.ca_path !== undefined) config += `cacert = ${curlQuote(a.ca_path)}\n`;
  const script = uriScript({
    codes, ...(a.dest !== undefined ? { dest: a.dest, destIsDir: p.destIsDir === true } : {}),
    ...(modeText !== undefined ? { mode: modeText } : {}), ...(a.owner !== undefined ? { owner: a.owner } : {}), ...(a.group !== undefined ? { group: a.group } : {}),
  });
  return { method, codes, config, script, summary: `${method} ${displayUrl(a.url)}${a.dest !== undefined ? ` to ${a.dest}` : ''}` };
}

export function decideUri(a: UriArgs, p: UriProbe, _ctx?: unknown): Decision {
  const skip = skipped(a, p);
  if (skip) return skip;
  const plan = planRequest(a, p);
  if ('fail' in plan) return { kind: 'fail', msg: plan.fail };
  const how = { url: a.url, method: plan.method, codes: plan.codes, returnContent: a.return_content === true };
  if (p.response) {
    const rep = interpretUri(p.response, how);
    if (rep.fail !== undefined) return { kind: 'fail', msg: rep.fail, ...(rep.result ? { result: rep.result } : {}) };
    return { kind: 'noop', reason: rep.unchanged ?? `${plan.summary} answered`, ...(rep.result ? { result: rep.result } : {}) };
  }
  return {
    kind: 'change', summary: plan.summary,
    steps: [{ kind: 'exec', describe: plan.summary, cmd: plan.script, stdin: plan.config, interpret: (out) => interpretUri(out, how) }],
  };
}

/** The script's report -> Ansible's result: status, url, redirected, headers as keys, content/json, msg. */
export function interpretUri(out: ExecOutput, o: { url: string; method: string; codes: number[]; returnContent: boolean }): StepReport {
  const { kv, fail } = readReport(out.stdout);
  const shown = displayUrl(o.url);
  if (fail !== undefined) {
    return { fail: `Status code was -1 and not ${pyList(o.codes)}: ${fail}`, result: { status: -1, url: shown, redirected: false, elapsed: 0 } };
  }
  if (out.code !== 0 || !kv.has('status')) return { fail: `${o.method} ${shown} failed (rc ${out.code})${out.stderr.trim() ? `: ${tail(out.stderr)}` : ''}` };
  const status = Number(kv.get('status'));
  const { statusLine, headers } = parseHeaderDump(Buffer.from(kv.get('headers') ?? '', 'base64').toString('latin1'));
  const finalUrl = kv.get('url') ?? o.url;
  const reasonPhrase = statusLine?.replace(/^HTTP\/\S+\s+\d+\s*/, '') ?? '';
  const result: Record<string, unknown> = { ...headers, status, url: displayUrl(finalUrl), redirected: finalUrl !== o.url, elapsed: Number(kv.get('elapsed') ?? 0) };
  const ok = o.codes.includes(status);
  result.msg = ok ? `OK (${headers.content_length ?? 'unknown'} bytes)` : `HTTP Error ${status}: ${reasonPhrase}`;
  const content = kv.has('body') ? Buffer.from(kv.get('body')!, 'base64').toString('utf8') : undefined;
  if (content !== undefined && isJsonType(headers.content_type)) {
    try { result.json = JSON.parse(content) as unknown; } catch { /* not JSON after all: Ansible leaves json out */ }
  }
  if (content !== undefined && o.returnContent) result.content = content;
  if (kv.has('path')) result.path = kv.get('path');
  if (!ok) return { result: { ...result, msg: `Status code was ${status} and not ${pyList(o.codes)}: ${result.msg as string}` }, fail: `Status code was ${status} and not ${pyList(o.codes)}: ${result.msg as string}` };
  if (kv.get('play-changed') === 'yes') return { result };
  return { result, unchanged: `${o.method} ${shown} answered ${status}${kv.has('path') ? `; ${kv.get('path')} already had that content and attributes` : ''}` };
}
