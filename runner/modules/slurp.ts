// slurp: a file's content from the host, base64-encoded, for `register`. Always a noop. Probe: 1 exec.
import { defineModule } from './types.js';
import { quote } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';

export interface SlurpArgs {
  src: string;
}

export type SlurpProbe = { state: 'file'; content: string } | { state: 'missing' | 'directory' | 'unreadable' };

export function slurpProbeScript(src: string): string {
  const s = quote(src);
  return `if [ -d ${s} ]; then echo state=directory; elif [ ! -e ${s} ]; then echo state=missing; elif [ ! -r ${s} ]; then echo state=unreadable; else printf 'content='; base64 -w0 < ${s} && echo && echo state=file; fi`;
}

export function parseSlurpProbe(stdout: string): SlurpProbe {
  const kv = parseKv(stdout);
  const state = kv.get('state');
  if (state === 'file') return { state, content: kv.get('content') ?? '' };
  return { state: state === 'directory' || state === 'unreadable' ? state : 'missing' };
}

export const slurpModule = defineModule<SlurpArgs, SlurpProbe>({
  name: 'slurp',
  schema: { type: 'object', additionalProperties: false, required: ['src'], properties: { src: { type: 'string', minLength: 1 } } },
  normalize(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    if ('path' in r) { r.src ??= r.path; delete r.path; }
    return r;
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(slurpProbeScript(args.src));
    if (r.code !== 0) return { state: 'unreadable' };
    return parseSlurpProbe(r.stdout);
  },
  decide(args, p) {
    switch (p.state) {
      case 'file': return { kind: 'noop', reason: `read ${args.src} (${Buffer.from(p.content, 'base64').length} bytes)`, result: { content: p.content, encoding: 'base64', source: args.src } };
      case 'missing': return { kind: 'fail', msg: `file not found: ${args.src}` };
      case 'directory': return { kind: 'fail', msg: 'source is a directory and must be a file' };
      case 'unreadable': return { kind: 'fail', msg: `file is not readable: ${args.src}` };
    }
  },
});
