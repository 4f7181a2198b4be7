// apt_repository: a `deb ...` line in sources.list(.d), with Ansible 2.14's file names and rewrite
// rules (apt-sources.ts), then `apt-get update` (update_cache, default yes); a failed update puts
// the files back, as Ansible reverts them. Probe: 1 exec reading every sources file.
import { defineModule, type Decision, type ProbeContext, type Step } from './types.js';
import { quote } from '../shell-quote.js';
import { formatMode, resolveMode, type ModeSpec } from './mode.js';
import { addSource, dumpSources, parseSourcesFile, removeSource, type SourcesFiles } from './apt-sources.js';
import { unifiedDiff } from './unified-diff.js';

export interface AptRepositoryArgs {
  repo: string;
  state?: 'present' | 'absent';
  filename?: string;
  mode?: ModeSpec;
  update_cache?: boolean;
  update_cache_retries?: number;
  update_cache_retry_max_delay?: number;
  validate_certs?: boolean;
  codename?: string;
  install_python_apt?: boolean;
}

export interface AptSourcesFile {
  path: string;
  mode: number;
  owner: string;
  text: string;
}

export interface AptRepositoryProbe {
  sourcelist: string;
  sourceparts: string;
  files: AptSourcesFile[];
}

export const aptRepositoryModule = defineModule<AptRepositoryArgs, AptRepositoryProbe>({
  name: 'apt_repository',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['repo'],
    properties: {
      repo: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
      filename: { type: 'string', minLength: 1 },
      mode: { type: ['string', 'integer'] },
      update_cache: { type: 'boolean' },
      update_cache_retries: { type: 'integer', minimum: 1 },
      update_cache_retry_max_delay: { type: 'integer', minimum: 0 },
      validate_certs: { type: 'boolean' },
      codename: { type: 'string' },
      install_python_apt: { type: 'boolean' },
    },
  },
  normalize: (raw) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const { 'update-cache': uc, ...rest } = raw as Record<string, unknown>;
    return uc === undefined ? rest : { update_cache: uc, ...rest };
  },
  probe: probeAptRepository,
  decide: decideAptRepository,
});

/** Where apt reads its sources (apt-config, as python-apt asks), then each file: path, mode, owner, content. */
export function aptSourcesProbeScript(): string {
  return [
    `eval "$(apt-config shell L Dir::Etc::sourcelist/f D Dir::Etc::sourceparts/d 2>/dev/null)"`,
    'L=${L:-/etc/apt/sources.list}; D=${D:-/etc/apt/sources.list.d/}',
    'printf "sourcelist=%s\\nsourceparts=%s\\n" "$L" "$D"',
    'for f in "$L" "${D%/}"/*.list; do if [ -f "$f" ]; then printf "@@file %s %s\\n" "$(stat -c \'%a %U:%G\' -- "$f")" "$f"; base64 -w0 < "$f"; echo; fi; done',
  ].join('\n');
}

export function parseAptSourcesProbe(stdout: string): AptRepositoryProbe {
  const lines = stdout.split('\n');
  const get = (k: string) => lines.find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1) ?? '';
  const files: AptSourcesFile[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^@@file (\d+) (\S+) (.*)$/.exec(lines[i]!);
    if (m) files.push({ mode: parseInt(m[1]!, 8), owner: m[2]!, path: m[3]!, text: Buffer.from(lines[i + 1] ?? '', 'base64').toString('utf8') });
  }
  return { sourcelist: get('sourcelist'), sourceparts: get('sourceparts'), files };
}

async function probeAptRepository(_a: AptRepositoryArgs, ctx: ProbeContext): Promise<AptRepositoryProbe> {
  const r = await ctx.conn.exec(aptSourcesProbeScript());
  if (r.code !== 0) throw new Error(`apt_repository probe failed (rc ${r.code}): ${r.stderr.trim()}`);
  return parseAptSourcesProbe(r.stdout);
}

export function decideAptRepository(a: AptRepositoryArgs, p: AptRepositoryProbe, ctx: { diff: boolean; check?: boolean }): Decision {
  const state = a.state ?? 'present';
  if (a.repo.startsWith('ppa:')) return { kind: 'fail', msg: "ppa: repositories (Launchpad) are not supported by play's apt_repository; give the deb line" };
  let mode: number | undefined;
  if (a.mode !== undefined) {
    const m = resolveMode(a.mode, undefined, false);
    if (!m.ok) return { kind: 'fail', msg: m.msg };
    mode = m.mode;
  }
  const files: SourcesFiles = new Map(p.files.map((f) => [f.path, parseSourcesFile(f.text)]));
  const edit = state === 'present' ? addSource(files, a.repo, p.sourceparts || '/etc/apt/sources.list.d/', a.filename) : removeSource(files, a.repo);
  if (!edit.ok) return { kind: 'fail', msg: edit.msg };
  const before = dumpSources(files);
  const after = dumpSources(edit.files);
  const result = { repo: a.repo, state };
  const same = before.size === after.size && [...before].every(([k, v]) => after.get(k) === v);
  if (same) return { kind: 'noop', reason: state === 'present' ? `${a.repo} is already an enabled source` : `${a.repo} is not an enabled source`, result };

  const onDisk = new Map(p.files.map((f) => [f.path, f]));
  const steps: Step[] = [];
  const touched: string[] = [];
  const diffs: string[] = [];
  for (const [path, text] of after) {
    const old = onDisk.get(path);
    if (old?.text === text) continue;
    // Ansible saves every file it loaded: a file whose text it normalizes is rewritten too.
    const m = old ? (edit.added === path && mode !== undefined ? mode : old.mode) : mode ?? 0o644;
    steps.push({ kind: 'put', describe: `write ${path}`, path, content: Buffer.from(text), mode: m, ...(old ? { owner: old.owner } : {}) });
    touched.push(path);
    if (ctx.diff) diffs.push(unifiedDiff(old ? path : '/dev/null', path, old?.text ?? '', text, 'before', 'after'));
  }
  for (const path of before.keys()) {
    if (after.has(path)) continue;
    steps.push({ kind: 'exec', describe: `remove ${path}`, cmd: `rm -f -- ${quote(path)}` });
    touched.push(path);
    if (ctx.diff) diffs.push(unifiedDiff(path, '/dev/null', onDisk.get(path)?.text ?? '', '', 'before', 'after'));
  }
  if (a.update_cache !== false) steps.push(updateStep(a, touched.map((t) => onDisk.get(t) ?? { path: t, mode: 0, owner: '', text: '' }), onDisk));
  const what = state === 'present' ? `add ${a.repo} to ${edit.added ?? 're-enable it'}` : `remove ${a.repo}`;
  const summary = `${what}${a.update_cache !== false ? ', then apt-get update' : ''}${mode !== undefined && edit.added ? ` (mode ${formatMode(mode)})` : ''}`;
  return { kind: 'change', summary, steps, result, ...(ctx.diff ? { diff: diffs.join('') } : {}) };
}

/** apt-get update with Ansible's retries and backoff; when it keeps failing, the touched files are put back. */
function updateStep(a: AptRepositoryArgs, touched: AptSourcesFile[], onDisk: Map<string, AptSourcesFile>): Step {
  const retries = a.update_cache_retries ?? 5;
  const maxDelay = a.update_cache_retry_max_delay ?? 12;
  const revert = touched.map((f) => (onDisk.has(f.path)
    ? `printf %s ${quote(Buffer.from(f.text).toString('base64'))} | base64 -d > ${quote(f.path)}`
    : `rm -f -- ${quote(f.path)}`)).join('; ');
  const cmd = [
    `i=0; d=1; while :; do out=$(LC_ALL=C apt-get update -q 2>&1) && ! printf '%s\\n' "$out" | grep -q '^[WE]: Failed to fetch' && exit 0`,
    `  i=$((i+1)); if [ $i -ge ${retries} ]; then break; fi; [ $d -gt ${maxDelay} ] && d=${maxDelay}; sleep $d; d=$((d*2)); done`,
    `${revert || ':'}`,
    `printf 'Failed to update apt cache: %s\\n' "$(printf '%s\\n' "$out" | grep -E '^(E|W):' | head -n 3 | tr '\\n' ' ')" >&2; exit 1`,
  ].join('\n');
  return { kind: 'exec', describe: 'apt-get update', cmd };
}
