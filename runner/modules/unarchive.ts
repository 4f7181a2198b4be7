// unarchive: unpack a .tar(.gz/.bz2/.xz/.zst) or .zip into an existing directory. src is a role or
// playbook file (streamed to the host on stdin) or, with remote_src, a path on the host. Probe: 2
// execs (dest, creates and the format; then the comparison: `tar --diff` read as Ansible reads it, or
// for a zip every entry against dest with cmp), so a second run is ok.
import { defineModule, type Decision, type ProbeContext, type Step } from './types.js';
import { quote, quoteArgs } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';
import { formatMode, resolveMode, type ModeSpec } from './mode.js';
import { detectHandler, tarDiffDifferences, ZIPFLAG, type Handler } from './unarchive-compare.js';

export interface UnarchiveArgs {
  src: string;
  dest: string;
  remote_src?: boolean;
  copy?: boolean;
  creates?: string;
  extra_opts?: string[];
  exclude?: string[];
  include?: string[];
  keep_newer?: boolean;
  list_files?: boolean;
  owner?: string;
  group?: string;
  mode?: ModeSpec;
  /** Filled by prepare(): the archive from the controller. Not part of the schema. */
  _bytes?: Buffer;
}

export interface UnarchiveProbe {
  destIsDir: boolean;
  createsExists: boolean;
  srcMissing?: boolean;
  handler?: Handler;
  root: boolean;
  /** Differences that make it not unpacked (Ansible's rules), or missing/changed zip entries. */
  differences: string[];
  files: string[];
  /** Current "mode owner group" of each entry under dest, when owner/group/mode are given. */
  attrs: Record<string, { mode: number; owner: string; group: string; isDir: boolean }>;
  error?: string;
}

const remote = (a: UnarchiveArgs): boolean => a.remote_src === true || a.copy === false;
const b64lines = (s: string | undefined): string[] => Buffer.from(s ?? '', 'base64').toString('utf8').split('\n').filter((l) => l !== '');

export const unarchiveModule = defineModule<UnarchiveArgs, UnarchiveProbe>({
  name: 'unarchive',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { type: 'string', minLength: 1 }, dest: { type: 'string', minLength: 1 },
      remote_src: { type: 'boolean' }, copy: { type: 'boolean' }, creates: { type: 'string' },
      extra_opts: { type: 'array', items: { type: 'string' } }, exclude: { type: 'array', items: { type: 'string' } },
      include: { type: 'array', items: { type: 'string' } }, keep_newer: { type: 'boolean' }, list_files: { type: 'boolean' },
      owner: { type: 'string' }, group: { type: 'string' }, mode: { type: ['string', 'integer'] },
    },
  },
  normalize: (raw) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r = { ...(raw as Record<string, unknown>) };
    for (const k of ['extra_opts', 'exclude', 'include']) if (typeof r[k] === 'string') r[k] = (r[k] as string).split(',').map((s) => s.trim()).filter(Boolean);
    return r;
  },
  async prepare(args, env) {
    if (remote(args)) return args;
    return { ...args, _bytes: await env.readControllerFile('files', args.src) };
  },
  probe: probeUnarchive,
  decide: decideUnarchive,
});

/** tar's options as Ansible puts them together (for --diff, --list and --extract alike). */
function tarOpts(a: UnarchiveArgs, h: Handler): string[] {
  const o: string[] = [];
  const z = ZIPFLAG[h as Exclude<Handler, 'ZipArchive'>];
  if (z) o.push(z);
  if (a.extra_opts?.length) o.push('--show-transformed-names', ...a.extra_opts);
  return o;
}

function ownerOpts(a: UnarchiveArgs): string[] {
  return [...(a.owner !== undefined ? [`--owner=${a.owner}`] : []), ...(a.group !== undefined ? [`--group=${a.group}`] : []), ...(a.keep_newer ? ['--keep-newer-files'] : []), ...(a.exclude ?? []).map((e) => `--exclude=${e}`)];
}

/** Shell lines that leave the archive in "$f" (stdin copied to a temp file, or the remote path). */
const archiveLines = (a: UnarchiveArgs): string[] =>
  remote(a) ? [`f=${quote(a.src)}`] : ['f=$(mktemp) || exit 1; trap \'rm -f -- "$f"\' EXIT; cat > "$f"'];

async function probeUnarchive(a: UnarchiveArgs, ctx: ProbeContext): Promise<UnarchiveProbe> {
  const first = [
    `if [ -d ${quote(a.dest)} ]; then echo destdir=yes; fi`,
    ...(a.creates !== undefined ? [`if [ -e ${quote(a.creates)} ]; then echo creates=yes; fi`] : []),
    ...(remote(a) ? [`if [ -f ${quote(a.src)} ]; then printf 'magic='; head -c 512 -- ${quote(a.src)} | od -An -v -tx1 | tr -d ' \\n'; echo; else echo srcmissing=yes; fi`] : []),
    'echo "uid=$(id -u)"',
  ];
  const r1 = await ctx.conn.exec(first.join('\n'));
  if (r1.code !== 0) throw new Error(`unarchive probe failed (rc ${r1.code}): ${r1.stderr.trim()}`);
  const kv = parseKv(r1.stdout);
  const p: UnarchiveProbe = { destIsDir: kv.get('destdir') === 'yes', createsExists: kv.get('creates') === 'yes', root: kv.get('uid') === '0', differences: [], files: [], attrs: {} };
  if (kv.get('srcmissing') === 'yes') p.srcMissing = true;
  const magic = remote(a) ? kv.get('magic') ?? '' : (a._bytes ?? Buffer.alloc(0)).subarray(0, 512).toString('hex');
  const h = detectHandler(magic);
  if (h) p.handler = h;
  if (!p.destIsDir || p.createsExists || p.srcMissing || !h) return p;
  const lines = [...archiveLines(a)];
  if (h === 'ZipArchive') {
    lines.push(
      'command -v unzip >/dev/null 2>&1 || { echo "error=Failed to find handler for the zip: unzip is not on the host"; exit 0; }',
      'l=$(unzip -Z1 "$f") || { echo "error=unzip cannot read the archive"; exit 0; }',
      'printf "list=%s\\n" "$(printf "%s\\n" "$l" | base64 -w0)"',
      `cd ${quote(a.dest)} || exit 1`,
      'printf "%s\\n" "$l" | while IFS= read -r e; do case "$e" in */) [ -d "$e" ] || echo "$e: Warning: Cannot stat: No such file or directory";; *) if [ ! -f "$e" ]; then echo "$e: Warning: Cannot stat: No such file or directory"; elif ! unzip -p "$f" "$e" | cmp -s - "$e"; then echo "$e: Contents differ"; fi;; esac; done > "$f.d"',
      'printf "diff=%s\\n" "$(base64 -w0 < "$f.d")"; rm -f -- "$f.d"',
    );
  } else {
    const opts = quoteArgs([...tarOpts(a, h), ...ownerOpts(a)]);
    const inc = quoteArgs(a.include ?? []);
    lines.push(
      `d=$(cd ${quote(a.dest)} && LC_ALL=C tar --diff -C ${quote(a.dest)} ${opts} -f "$f" ${inc} 2>&1); printf 'diff=%s\\n' "$(printf '%s\\n' "$d" | base64 -w0)"`,
      `l=$(LC_ALL=C tar --list ${quoteArgs(tarOpts(a, h))} ${quoteArgs((a.exclude ?? []).map((e) => `--exclude=${e}`))} -f "$f" ${inc}) || { echo "error=tar cannot read the archive"; exit 0; }`,
      'printf "list=%s\\n" "$(printf "%s\\n" "$l" | base64 -w0)"',
    );
  }
  if (a.owner !== undefined || a.group !== undefined || a.mode !== undefined) {
    lines.push(`cd ${quote(a.dest)} && printf "%s\\n" "$l" | while IFS= read -r e; do if [ -e "$e" ]; then stat --printf "@@attr %a %U %G %F\\t%n\\n" -- "$e"; fi; done`);
  }
  const r2 = await ctx.conn.exec(lines.join('\n'), remote(a) ? {} : { stdin: a._bytes ?? Buffer.alloc(0) });
  if (r2.code !== 0) throw new Error(`unarchive comparison failed (rc ${r2.code}): ${r2.stderr.trim()}`);
  const kv2 = parseKv(r2.stdout);
  if (kv2.has('error')) p.error = kv2.get('error');
  p.files = b64lines(kv2.get('list'));
  const diff = Buffer.from(kv2.get('diff') ?? '', 'base64').toString('utf8');
  p.differences = h === 'ZipArchive' ? diff.split('\n').filter(Boolean) : tarDiffDifferences(diff, { root: p.root, ...(a.owner !== undefined ? { owner: a.owner } : {}), ...(a.group !== undefined ? { group: a.group } : {}), mode: a.mode });
  for (const line of r2.stdout.split('\n')) {
    const m = /^@@attr (\d+) (\S+) (\S+) ([^\t]+)\t(.*)$/.exec(line);
    if (m) p.attrs[m[5]!.replace(/\/$/, '')] = { mode: parseInt(m[1]!, 8), owner: m[2]!, group: m[3]!, isDir: m[4] === 'directory' };
  }
  return p;
}

/** chown/chmod for the entries whose attributes differ (Ansible sets them on every file of the archive). */
function attrFixes(a: UnarchiveArgs, p: UnarchiveProbe, all: boolean): { cmds: string[]; fail?: string } {
  if (a.owner === undefined && a.group === undefined && a.mode === undefined) return { cmds: [] };
  const out: string[] = [];
  for (const raw of p.files) {
    const e = raw.replace(/\/$/, '');
    const cur = p.attrs[e];
    const path = `${a.dest.replace(/\/$/, '')}/${e}`;
    const who = [a.owner !== undefined && (all || cur?.owner !== a.owner) ? a.owner : '', a.group !== undefined && (all || cur?.group !== a.group) ? `:${a.group}` : ''].join('');
    if (who) out.push(`chown -h -- ${quote(who)} ${quote(path)}`);
    if (a.mode !== undefined) {
      const m = resolveMode(a.mode, cur?.mode, cur?.isDir ?? raw.endsWith('/'));
      if (!m.ok) return { cmds: [], fail: m.msg };
      if (all || cur?.mode !== m.mode) out.push(`chmod -- ${formatMode(m.mode)} ${quote(path)}`);
    }
  }
  return { cmds: out };
}

export function decideUnarchive(a: UnarchiveArgs, p: UnarchiveProbe): Decision {
  const result: Record<string, unknown> = { dest: a.dest, src: a.src, ...(p.handler ? { handler: p.handler } : {}), ...(a.list_files ? { files: p.files } : {}) };
  if (!p.destIsDir) return { kind: 'fail', msg: `Destination '${a.dest}' is not a directory`, result };
  if (a.creates !== undefined && p.createsExists) return { kind: 'noop', reason: `skipped, since ${a.creates} exists`, result };
  if (p.srcMissing) return { kind: 'fail', msg: `Source '${a.src}' does not exist`, result };
  if (!remote(a) && a._bytes === undefined) return { kind: 'fail', msg: `unarchive src ${a.src} was not read (prepare() did not run)` };
  if (!p.handler) return { kind: 'fail', msg: `Failed to find handler for "${a.src}". Make sure the required command to extract the file is installed.`, result };
  if (p.error !== undefined) return { kind: 'fail', msg: p.error, result };
  const unpacked = p.differences.length === 0;
  const fixes = attrFixes(a, p, !unpacked);
  if (fixes.fail !== undefined) return { kind: 'fail', msg: fixes.fail };
  if (unpacked && fixes.cmds.length === 0) return { kind: 'noop', reason: `${a.dest} already holds the ${p.files.length} entries of ${a.src} (${p.handler})`, result };
  const steps: Step[] = [];
  if (!unpacked) {
    const h = p.handler;
    const src = remote(a) ? quote(a.src) : '"$f"';
    const get = remote(a) ? '' : 'f=$(mktemp) || exit 1; trap \'rm -f -- "$f"\' EXIT; cat > "$f"\n';
    const cmd = h === 'ZipArchive'
      ? `${get}unzip -o ${src} ${quoteArgs([...(a.extra_opts ?? []), ...(a.include ?? [])])} ${a.exclude?.length ? `-x ${quoteArgs(a.exclude)}` : ''} -d ${quote(a.dest)}`
      : `${get}cd ${quote(a.dest)} && LC_ALL=C tar --extract -C ${quote(a.dest)} ${quoteArgs([...tarOpts(a, h), ...ownerOpts(a)])} -f ${src} ${quoteArgs(a.include ?? [])}`;
    steps.push({ kind: 'exec', describe: `unpack ${a.src} into ${a.dest}`, cmd, ...(remote(a) ? {} : { stdin: a._bytes! }) });
  }
  if (fixes.cmds.length) steps.push({ kind: 'exec', describe: `set owner/group/mode of the unpacked files`, cmd: fixes.cmds.join(' && ') });
  const why = unpacked ? 'owner/group/mode of the unpacked files' : p.differences.slice(0, 3).join('; ');
  return { kind: 'change', summary: `unpack ${a.src} into ${a.dest} (${why}${p.differences.length > 3 ? '; …' : ''})`, steps, result };
}
