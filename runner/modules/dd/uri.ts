// uri (Ansible's, GET/HEAD subset): asks an HTTP endpoint FROM THE HOST (curl there) and checks the
// status. Read-only: it never changes anything, so the decision is always noop or fail; the answer
// goes into the task result (status, content when return_content, url) for register/assert.
import { defineModule } from '../types.js';
import { quote } from '../../shell-quote.js';

export interface UriArgs {
  url: string;
  method?: 'GET' | 'HEAD';
  status_code?: number | number[];
  return_content?: boolean;
  timeout?: number;
  headers?: Record<string, string>;
  validate_certs?: boolean;
}

export interface UriProbe {
  status: number;
  content: string;
  error?: string;
}

const MARK = '@@play-status@@';
/** Bytes of body kept in the result. */
const MAX_BODY = 1 << 20;

export function uriCommand(args: UriArgs): string {
  const parts = ['curl', '-sS', '--max-time', String(args.timeout ?? 30), '-X', args.method ?? 'GET'];
  if (args.method === 'HEAD') parts.push('-I');
  if (args.validate_certs === false) parts.push('-k');
  for (const [k, v] of Object.entries(args.headers ?? {})) parts.push('-H', quote(`${k}: ${v}`));
  parts.push('-w', quote(`\n${MARK}%{http_code}`), '--', quote(args.url));
  return `${parts.join(' ')} | head -c ${MAX_BODY + 64}`;
}

export function parseUriOutput(stdout: string, stderr: string, code: number): UriProbe {
  const i = stdout.lastIndexOf(`\n${MARK}`);
  if (i < 0) return { status: -1, content: '', error: (stderr.trim() || `curl exited ${code}`) };
  const status = Number(stdout.slice(i + MARK.length + 1).trim());
  return { status, content: stdout.slice(0, i).slice(0, MAX_BODY), ...(status === 0 ? { error: stderr.trim() || 'no answer' } : {}) };
}

export const uriModule = defineModule<UriArgs, UriProbe>({
  name: 'uri',
  schema: {
    type: 'object',
    required: ['url'],
    additionalProperties: false,
    properties: {
      url: { type: 'string', pattern: '^https?://' },
      method: { enum: ['GET', 'HEAD'] },
      status_code: { oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }] },
      return_content: { type: 'boolean' },
      timeout: { type: 'integer', minimum: 1 },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      validate_certs: { type: 'boolean' },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(uriCommand(args));
    return parseUriOutput(r.stdout, r.stderr, r.code);
  },
  decide(args, probe) {
    const want = args.status_code === undefined ? [200] : Array.isArray(args.status_code) ? args.status_code : [args.status_code];
    const result: Record<string, unknown> = { status: probe.status, url: args.url, ...(args.return_content ? { content: probe.content } : {}) };
    if (probe.error !== undefined) return { kind: 'fail', msg: `${args.url}: ${probe.error}`, result };
    if (!want.includes(probe.status)) {
      return { kind: 'fail', msg: `${args.url} answered ${probe.status}, expected ${want.join(' or ')}`, result };
    }
    return { kind: 'noop', reason: `${args.url} answered ${probe.status}`, result };
  },
});
