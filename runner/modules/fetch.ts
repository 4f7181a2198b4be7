// fetch: a file from the host to the controller, at dest/<inventory_hostname>/<src> (or dest
// itself with flat). The probe reads the remote file and the local copy's checksum; the write is a
// controller-side step. Probe: 1 exec.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, posix } from 'node:path';
import { defineModule, type Decision } from './types.js';
import { quote } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';
import type { Vars } from '../types.js';

export interface FetchArgs {
  src: string;
  dest: string;
  flat?: boolean;
  fail_on_missing?: boolean;
  validate_checksum?: boolean;
}

export interface FetchProbe {
  remote: { state: 'file'; content: Buffer; checksum: string } | { state: 'missing' | 'directory' | 'unreadable' };
  /** Where the file goes on the controller, or why it cannot. */
  local: { path: string; checksum?: string; isDir: boolean } | { error: string };
}

export const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

/** Ansible's dest layout: flat puts it at dest (dest/ + basename), else dest/<host>/<src>; relative to the playbook. */
export function fetchDest(a: FetchArgs, vars: Vars): string {
  const base = typeof vars.playbook_dir === 'string' ? vars.playbook_dir : process.cwd();
  const dwim = (p: string): string => (isAbsolute(p) ? p : join(base, p));
  if (a.flat) return normalize(dwim(a.dest.endsWith('/') ? `${a.dest}${posix.basename(a.src)}` : a.dest));
  const host = typeof vars.inventory_hostname === 'string' ? vars.inventory_hostname : 'localhost';
  return normalize(`${dwim(a.dest)}/${host}/${a.src}`);
}

export function fetchProbeScript(src: string): string {
  const s = quote(src);
  return `if [ -d ${s} ]; then echo state=directory; elif [ ! -e ${s} ]; then echo state=missing; elif [ ! -r ${s} ]; then echo state=unreadable; else printf 'content='; base64 -w0 < ${s} && echo && echo state=file; fi`;
}

export function parseFetchRemote(stdout: string): FetchProbe['remote'] {
  const kv = parseKv(stdout);
  const state = kv.get('state');
  if (state === 'file') {
    const content = Buffer.from(kv.get('content') ?? '', 'base64');
    return { state, content, checksum: sha1(content) };
  }
  return { state: state === 'directory' || state === 'unreadable' ? state : 'missing' };
}

export function decideFetch(a: FetchArgs, p: FetchProbe, check: boolean): Decision {
  if (check) return { kind: 'noop', reason: 'check mode not (yet) supported for this module (Ansible skips fetch under --check)' };
  const failOnMissing = a.fail_on_missing !== false;
  const r = p.remote;
  if (r.state !== 'file') {
    const msg = r.state === 'directory' ? 'remote file is a directory, fetch cannot work on directories'
      : r.state === 'unreadable' ? `file is not readable: ${a.src}` : 'the remote file does not exist, not transferring, ignored';
    if (failOnMissing) return { kind: 'fail', msg, result: { file: a.src } };
    return { kind: 'noop', reason: r.state === 'directory' ? `${msg}, not transferring, ignored` : msg, result: { file: a.src } };
  }
  if ('error' in p.local) return { kind: 'fail', msg: p.local.error };
  const dest = p.local.path;
  if (p.local.checksum === r.checksum) return { kind: 'noop', reason: `${dest} already has the content of ${a.src} (sha1 ${r.checksum.slice(0, 12)}…)`, result: { file: a.src, dest, checksum: r.checksum } };
  const content = r.content;
  const validate = a.validate_checksum !== false;
  return {
    kind: 'change',
    summary: `fetch ${a.src} to ${dest} on the controller (${content.length} bytes)`,
    steps: [{
      kind: 'call', describe: `write ${dest} on the controller`,
      async run() {
        await mkdir(dirname(dest), { recursive: true });
        await writeFile(dest, content);
        const now = sha1(await readFile(dest));
        if (validate && now !== r.checksum) throw new Error(`checksum mismatch writing ${dest}`);
        return { dest, checksum: now, remote_checksum: r.checksum, remote_md5sum: null };
      },
    }],
    result: { dest, checksum: r.checksum, remote_checksum: r.checksum },
  };
}

export const fetchModule = defineModule<FetchArgs, FetchProbe>({
  name: 'fetch',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { type: 'string', minLength: 1 }, dest: { type: 'string', minLength: 1 },
      flat: { type: 'boolean' }, fail_on_missing: { type: 'boolean' }, validate_checksum: { type: 'boolean' },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(fetchProbeScript(args.src));
    const remote: FetchProbe['remote'] = r.code === 0 ? parseFetchRemote(r.stdout) : { state: 'unreadable' };
    const path = fetchDest(args, ctx.vars);
    const st = await stat(path).catch(() => undefined);
    if (args.flat && st?.isDirectory() && !args.dest.endsWith('/')) {
      return { remote, local: { error: 'dest is an existing directory, use a trailing slash if you want to fetch src into that directory' } };
    }
    if (st?.isDirectory()) return { remote, local: { error: `${path} is a directory on the controller` } };
    const checksum = st?.isFile() ? sha1(await readFile(path)) : undefined;
    return { remote, local: { path, isDir: false, ...(checksum ? { checksum } : {}) } };
  },
  decide: (args, probe, ctx) => decideFetch(args, probe, ctx.check),
});
