// find: files under paths that match patterns (fnmatch or Python regex), contents, type, age and
// size, as Ansible's find returns them (files[] with stat facts, matched, examined). Always a noop.
// Probe: 1 exec (one `find` listing per path; contents and checksums only when asked).
import { defineModule, type Decision } from './types.js';
import { quote } from '../shell-quote.js';
import { fnmatch } from './fnmatch.js';
import { pyRegex } from './pyre.js';

export interface FindArgs {
  /** A list, or a string split on commas (Ansible's list type); see lists(). */
  paths: string[] | string;
  patterns?: string[] | string;
  excludes?: string[] | string;
  contains?: string;
  read_whole_file?: boolean;
  file_type?: 'any' | 'directory' | 'file' | 'link';
  age?: string | number;
  age_stamp?: 'atime' | 'ctime' | 'mtime';
  size?: string | number;
  recurse?: boolean;
  hidden?: boolean;
  follow?: boolean;
  get_checksum?: boolean;
  use_regex?: boolean;
  depth?: number;
}

export interface Entry {
  depth: number; type: string; mode: number; pw_name: string; gr_name: string; uid: number; gid: number; size: number;
  inode: number; dev: number; nlink: number; atime: number; mtime: number; ctime: number; path: string;
  content?: Buffer; checksum?: string;
}

export interface FindProbe {
  now: number;
  /** Per path: its entries, or why it was skipped. */
  roots: Array<{ path: string; entries: Entry[] } | { path: string; error: string }>;
}

const FMT = '%d\\t%y\\t%m\\t%u\\t%g\\t%U\\t%G\\t%s\\t%i\\t%D\\t%n\\t%A@\\t%T@\\t%C@\\t%p\\n';
const CONTENT_MAX = 1024 * 1024;

/** Ansible's list type: a string is split on commas. Applied after rendering. */
const list = (v: string[] | string | undefined): string[] | undefined => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : v);
type Listed = FindArgs & { paths: string[]; patterns?: string[]; excludes?: string[] };
export const lists = (a: FindArgs): Listed => ({ ...a, paths: list(a.paths) ?? [], patterns: list(a.patterns), excludes: list(a.excludes) });

export function findProbeScript(raw: FindArgs): string {
  const a = lists(raw);
  const lines = ['echo "now=$(date +%s)"'];
  // one level deeper than depth is listed: Ansible counts those entries as examined
  const max = !a.recurse ? '-maxdepth 1' : a.depth ? `-maxdepth ${a.depth + 1}` : '';
  const L = a.follow ? '-L ' : '';
  a.paths.forEach((p, i) => {
    const q = quote(p.replace(/\/+$/, '') || '/');
    lines.push(`echo @@${i}`, `if [ ! -d ${q} ]; then echo "error='${p.replace(/'/g, '')}' is not a directory"; else`);
    lines.push(`  find ${L}${q}/ -mindepth 1 ${max} -printf '${FMT}' 2>/dev/null`);
    if (a.contains !== undefined) lines.push(`  find ${L}${q}/ -mindepth 1 ${max} -type f -size -${CONTENT_MAX + 1}c -exec sh -c 'for f; do printf "C\\t%s\\t" "$f"; base64 -w0 < "$f"; echo; done' sh {} + 2>/dev/null`);
    if (a.get_checksum) lines.push(`  find ${L}${q}/ -mindepth 1 ${max} -type f -exec sha1sum -- {} + 2>/dev/null | sed 's/^/S\\t/'`);
    lines.push('fi');
  });
  lines.push('exit 0');
  return lines.join('\n');
}

/** find prints `dir//name` for a `dir/` start: normpath makes it `dir/name`, as Ansible's os.path.normpath. */
const norm = (p: string): string => p.replace(/\/{2,}/g, '/');

export function parseFindProbe(stdout: string, raw: FindArgs): FindProbe {
  const a = lists(raw);
  const now = Number(/^now=(\d+)$/m.exec(stdout)?.[1] ?? 0);
  const parts = stdout.split(/^@@\d+$/m).slice(1);
  const roots = a.paths.map((path, i): FindProbe['roots'][number] => {
    const text = parts[i] ?? '';
    const err = /^error=(.*)$/m.exec(text);
    if (err) return { path, error: err[1]! };
    const entries = new Map<string, Entry>();
    for (const line of text.split('\n')) {
      const f = line.split('\t');
      if (f[0] === 'C' && f.length >= 3) { const e = entries.get(norm(f[1]!)); if (e) e.content = Buffer.from(f[2]!, 'base64'); continue; }
      if (f[0] === 'S') { const m = /^S\t([0-9a-f]{40}) {2}(.*)$/.exec(line); const e = m && entries.get(norm(m[2]!)); if (e) e.checksum = m![1]; continue; }
      if (f.length < 15) continue;
      const n = (k: number): number => Number(f[k]);
      const p = norm(f.slice(14).join('\t'));
      entries.set(p, { depth: n(0), type: f[1]!, mode: parseInt(f[2]!, 8), pw_name: f[3]!, gr_name: f[4]!, uid: n(5), gid: n(6), size: n(7), inode: n(8), dev: n(9), nlink: n(10), atime: n(11), mtime: n(12), ctime: n(13), path: p });
    }
    return { path, entries: [...entries.values()] };
  });
  return { now, roots };
}

type Units = Record<string, number>;
function parseAmount(v: string | number | undefined, re: RegExp, units: Units): number | undefined | null {
  if (v === undefined) return undefined;
  const m = re.exec(String(v).toLowerCase());
  return m ? Number(m[1]) * (units[m[2] ?? ''] ?? 1) : null;
}

/** The stat facts Ansible's statinfo() gives each match. */
export function statinfo(e: Entry): Record<string, unknown> {
  const m = e.mode;
  const t = e.type;
  return {
    path: e.path, mode: (m & 0o7777).toString(8).padStart(4, '0'), isdir: t === 'd', ischr: t === 'c', isblk: t === 'b', isreg: t === 'f', isfifo: t === 'p', islnk: t === 'l', issock: t === 's',
    uid: e.uid, gid: e.gid, size: e.size, inode: e.inode, dev: e.dev, nlink: e.nlink, atime: e.atime, mtime: e.mtime, ctime: e.ctime,
    gr_name: e.gr_name, pw_name: e.pw_name,
    wusr: !!(m & 0o200), rusr: !!(m & 0o400), xusr: !!(m & 0o100), wgrp: !!(m & 0o20), rgrp: !!(m & 0o40), xgrp: !!(m & 0o10),
    woth: !!(m & 0o2), roth: !!(m & 0o4), xoth: !!(m & 0o1), isuid: !!(m & 0o4000), isgid: !!(m & 0o2000),
    ...(e.checksum !== undefined ? { checksum: e.checksum } : {}),
  };
}

export function decideFind(raw: FindArgs, p: FindProbe): Decision {
  const a = lists(raw);
  const useRegex = a.use_regex === true;
  const patterns = a.patterns && a.patterns.length > 0 ? a.patterns : [useRegex ? '.*' : '*'];
  const age = parseAmount(a.age, /^(-?\d+)(s|m|h|d|w)?$/, { s: 1, m: 60, h: 3600, d: 86400, w: 604800 });
  if (age === null) return { kind: 'fail', msg: 'failed to process age', result: { age: a.age } };
  const size = parseAmount(a.size, /^(-?\d+)(b|k|m|g|t)?$/, { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 });
  if (size === null) return { kind: 'fail', msg: 'failed to process size', result: { size: a.size } };
  const compile = (s: string): RegExp | string => { const r = pyRegex(s); return r.ok ? r.re : r.msg; };
  const regexes = useRegex ? [...patterns, ...(a.excludes ?? [])].map(compile) : [];
  const bad = regexes.find((r): r is string => typeof r === 'string');
  if (bad) return { kind: 'fail', msg: bad };
  const matchOne = (name: string, pat: string): boolean => {
    if (!useRegex) return fnmatch(name, pat);
    const r = compile(pat) as RegExp;
    r.lastIndex = 0;
    return r.exec(name)?.index === 0;
  };
  const pfilter = (name: string): boolean => patterns.some((pt) => matchOne(name, pt)) && !(a.excludes ?? []).some((ex) => matchOne(name, ex));
  const stamp = a.age_stamp ?? 'mtime';
  const ageOk = (e: Entry): boolean => age === undefined || (age >= 0 ? p.now - e[stamp] >= age : p.now - e[stamp] <= -age);
  const sizeOk = (e: Entry): boolean => size === undefined || (size >= 0 ? e.size >= size : e.size <= -size);
  let contains: RegExp | undefined;
  if (a.contains !== undefined) {
    const r = pyRegex(a.contains);
    if (!r.ok) return { kind: 'fail', msg: r.msg };
    contains = r.re;
  }
  const containsOk = (e: Entry): boolean => {
    if (!contains) return true;
    if (!e.content) return false;
    const text = e.content.toString('utf8');
    contains.lastIndex = 0;
    if (a.read_whole_file) return contains.test(text);
    return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).some((l) => { contains!.lastIndex = 0; return contains!.exec(l)?.index === 0; });
  };
  const type = a.file_type ?? 'file';
  const files: Record<string, unknown>[] = [];
  const skipped: Record<string, string> = {};
  let examined = 0;
  for (const root of p.roots) {
    if ('error' in root) { skipped[root.path] = root.error; continue; }
    examined += root.entries.length;
    for (const e of root.entries) {
      if (a.recurse && a.depth && e.depth > a.depth) continue;
      const name = e.path.slice(e.path.lastIndexOf('/') + 1);
      if (name.startsWith('.') && !a.hidden) continue;
      if (!pfilter(name) || !ageOk(e)) continue;
      const ok = type === 'any' ? e.type !== 'f' || sizeOk(e)
        : type === 'directory' ? e.type === 'd'
          : type === 'file' ? e.type === 'f' && sizeOk(e) && containsOk(e)
            : e.type === 'l';
      if (ok) files.push(statinfo(type === 'file' || type === 'any' ? e : { ...e, checksum: undefined }));
    }
  }
  const msg = Object.keys(skipped).length > 0 ? 'Not all paths examined, check warnings for details' : 'All paths examined';
  return {
    kind: 'noop',
    reason: `${files.length} of ${examined} entries under ${a.paths.join(', ')} match`,
    result: { files, matched: files.length, examined, skipped_paths: skipped, msg },
  };
}


export const findModule = defineModule<FindArgs, FindProbe>({
  name: 'find',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['paths'],
    properties: {
      paths: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
      patterns: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      excludes: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      contains: { type: 'string' },
      read_whole_file: { type: 'boolean' },
      file_type: { enum: ['any', 'directory', 'file', 'link'] },
      age: { type: ['string', 'integer'] },
      age_stamp: { enum: ['atime', 'ctime', 'mtime'] },
      size: { type: ['string', 'integer'] },
      recurse: { type: 'boolean' },
      hidden: { type: 'boolean' },
      follow: { type: 'boolean' },
      get_checksum: { type: 'boolean' },
      use_regex: { type: 'boolean' },
      depth: { type: 'integer' },
    },
  },
  normalize(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [alias, key] of [['name', 'paths'], ['path', 'paths'], ['pattern', 'patterns'], ['exclude', 'excludes']] as const) {
      if (alias in r) { if (!(key in r)) r[key] = r[alias]; delete r[alias]; }
    }
    return r;
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(findProbeScript(args));
    return parseFindProbe(r.stdout, args);
  },
  decide: (args, probe) => decideFind(args, probe),
});
