// What get_url and uri share: the request as a curl config read from stdin (the URL, headers and
// credentials never reach a process's argv), URL helpers from Ansible's module_utils, and the
// `key=value` report their host-side scripts print.
import { parseKv } from './fileinfo.js';

export interface HttpArgs {
  url: string;
  headers?: Record<string, string | number | boolean>;
  url_username?: string;
  url_password?: string;
  force_basic_auth?: boolean;
  validate_certs?: boolean;
  timeout?: number;
  http_agent?: string;
  use_proxy?: boolean;
  use_netrc?: boolean;
}

/** Schema properties both modules accept (Ansible's url_argument_spec, less what curl cannot mirror). */
export const httpSchemaProps = {
  url: { type: 'string', minLength: 1 },
  headers: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
  url_username: { type: 'string' },
  url_password: { type: 'string' },
  force_basic_auth: { type: 'boolean' },
  validate_certs: { type: 'boolean' },
  timeout: { type: 'integer', minimum: 0 },
  http_agent: { type: 'string' },
  use_proxy: { type: 'boolean' },
  use_netrc: { type: 'boolean' },
} as const;

/** Ansible's aliases: username/password (get_url, uri), user (uri). */
export function normalizeHttp(raw: unknown, aliases: Record<string, string>): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[aliases[k] ?? k] = v;
  return out;
}

/** A value inside a curl config file: double-quoted, with \\ \" \n \r \t escaped. */
export function curlQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

export interface CurlRequest {
  url: string;
  method?: string;
  /** Extra headers after the task's own (Cache-Control for force). */
  extraHeaders?: Record<string, string>;
  /** Ansible's get_url sends no redirects policy of its own: curl follows them (-L). */
  followRedirects?: boolean;
  /** A file on the host holding the request body. */
  bodyFile?: string;
  /** HEAD: curl's --head. */
  head?: boolean;
  /** Ask for gzip and inflate it (get_url's decompress, on by default in Ansible). */
  compressed?: boolean;
}

/**
 * The config text curl reads with `--config -`. Credentials go as `user`, sent up front with
 * force_basic_auth and only after a 401 challenge otherwise (curl --anyauth, as urllib's handler).
 */
export function curlConfig(a: HttpArgs, req: CurlRequest): string {
  const lines = ['silent', 'show-error', `url = ${curlQuote(req.url)}`];
  lines.push(`user-agent = ${curlQuote(a.http_agent ?? 'ansible-httpget')}`);
  if (req.head) lines.push('head');
  else if (req.method && req.method !== 'GET') lines.push(`request = ${curlQuote(req.method)}`);
  if (req.followRedirects !== false) lines.push('location', 'max-redirs = 50');
  if (req.compressed) lines.push('compressed');
  if (a.validate_certs === false) lines.push('insecure');
  const t = a.timeout ?? 10;
  // Ansible's timeout is the socket's: for connecting and for each read, not the whole transfer.
  if (t > 0) lines.push(`connect-timeout = ${t}`, `speed-limit = 1`, `speed-time = ${t}`);
  if (a.use_proxy === false) lines.push('noproxy = "*"');
  if (a.use_netrc !== false) lines.push('netrc-optional');
  for (const [k, v] of Object.entries({ ...a.headers, ...req.extraHeaders })) lines.push(`header = ${curlQuote(`${k}: ${String(v)}`)}`);
  if (a.url_username !== undefined || a.url_password !== undefined) {
    lines.push(`user = ${curlQuote(`${a.url_username ?? ''}:${a.url_password ?? ''}`)}`);
    lines.push(a.force_basic_auth ? 'basic' : 'anyauth');
  }
  if (req.bodyFile !== undefined) lines.push(`data-binary = ${curlQuote(`@${req.bodyFile}`)}`);
  return `${lines.join('\n')}\n`;
}

/** Shell line: fail the script with a report line when curl is missing. */
export const NEED_CURL = `command -v curl >/dev/null 2>&1 || { echo 'play-fail=this module runs curl on the host, and curl is not in its PATH'; exit 0; }`;

/** Ansible's url_filename: the last path segment of the URL, index.html when empty. */
export function urlFilename(url: string): string {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const path = rest.split(/[?#]/)[0] ?? '';
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === '' ? 'index.html' : base;
}

export const urlScheme = (url: string): string => (/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '').toLowerCase();

/** file:///a%20b -> /a b (the host path a file URL names). */
export function fileUrlPath(url: string): string {
  return decodeURIComponent(url.replace(/^file:\/\/[^/]*/i, ''));
}

export interface ScriptReport {
  kv: Map<string, string>;
  fail?: string;
}

/** Reads a host script's `key=value` lines; `play-fail=` is a failure it detected itself. */
export function readReport(stdout: string): ScriptReport {
  const kv = parseKv(stdout);
  const fail = kv.get('play-fail');
  return fail === undefined ? { kv } : { kv, fail };
}

/** The last non-empty stderr lines, for a failure message. */
export function tail(text: string, n = 3): string {
  return text.trim().split('\n').filter((l) => l.trim() !== '').slice(-n).join(' | ');
}
