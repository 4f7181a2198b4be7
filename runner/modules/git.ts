// git: a checkout of repo at version in dest, with Ansible 2.14's flow: clone when dest has no repo;
// otherwise local modifications fail unless force, the remote URL is set, and the checkout moves to
// the remote's revision. Probe: 1 exec (dest's HEAD, local changes, remote URL, and the remote's
// revision for version by ls-remote, read-only); the step reports `after`, so same sha -> ok.
import { defineModule, type Decision, type ExecOutput, type ProbeContext, type StepReport } from './types.js';
import { quote } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';
import { tail } from './http-curl.js';

export interface GitArgs {
  repo: string;
  dest?: string;
  version?: string;
  force?: boolean;
  depth?: number;
  clone?: boolean;
  update?: boolean;
  remote?: string;
  bare?: boolean;
  accept_hostkey?: boolean;
  executable?: string;
  single_branch?: boolean;
}

export interface GitProbe {
  noGit?: boolean;
  exists: boolean;
  before?: string;
  localMods: boolean;
  remoteUrl?: string;
  /** ls-remote's answer for version: the sha, and whether version names a branch or a tag. */
  remoteHead?: string;
  kind: 'head' | 'branch' | 'tag' | 'sha';
  lsError?: string;
}

const SHA = /^[0-9a-f]{7,40}$/i;

export const gitModule = defineModule<GitArgs, GitProbe>({
  name: 'git',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['repo'],
    properties: {
      repo: { type: 'string', minLength: 1 }, dest: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 },
      force: { type: 'boolean' }, depth: { type: 'integer', minimum: 1 }, clone: { type: 'boolean' }, update: { type: 'boolean' },
      remote: { type: 'string', minLength: 1 }, bare: { type: 'boolean' }, accept_hostkey: { type: 'boolean' },
      executable: { type: 'string', minLength: 1 }, single_branch: { type: 'boolean' },
    },
  },
  normalize: (raw) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const { name, ...rest } = raw as Record<string, unknown>;
    return name === undefined ? rest : { repo: name, ...rest };
  },
  probe: probeGit,
  decide: decideGit,
});

const G = (a: GitArgs) => quote(a.executable ?? 'git');
const remoteOf = (a: GitArgs) => a.remote ?? 'origin';
const version = (a: GitArgs) => a.version ?? 'HEAD';
/** Ansible turns a repo given as an absolute path into a file:// URL before any git command (and so into the clone's remote url). */
const repoUrl = (a: GitArgs): string => (a.repo.startsWith('/') ? `file://${a.repo}` : a.repo);
const gitDir = (a: GitArgs) => (a.bare ? a.dest! : `${a.dest!.replace(/\/$/, '')}/.git`);
/** ssh may ask about an unknown host key: accept_hostkey answers it, otherwise ssh must not ask. */
const env = (a: GitArgs) => `GIT_TERMINAL_PROMPT=0 GIT_SSH_COMMAND=${quote(`ssh -o BatchMode=yes${a.accept_hostkey ? ' -o StrictHostKeyChecking=no' : ''}`)} LC_ALL=C`;

export function gitProbeScript(a: GitArgs): string {
  const g = G(a);
  const v = version(a);
  const L = [`command -v ${g} >/dev/null 2>&1 || { echo nogit=yes; exit 0; }`, `export ${env(a)}`];
  if (a.dest !== undefined) {
    L.push(`if [ -f ${quote(`${gitDir(a)}/config`)} ]; then echo exists=yes; cd ${quote(a.dest)} || exit 1`,
      `  printf 'before=%s\\n' "$(${g} rev-parse HEAD 2>/dev/null)"`,
      a.bare ? '  :' : `  if [ -n "$(${g} status --porcelain --untracked-files=no 2>/dev/null)" ]; then echo localmods=yes; fi`,
      `  printf 'remoteurl=%s\\n' "$(${g} config --get ${quote(`remote.${remoteOf(a)}.url`)})"; cd /; fi`);
  }
  // What the remote has: the repo URL itself (as Ansible asks it when cloning, and its check mode does).
  const r = quote(repoUrl(a));
  L.push(
    `h=$(${g} ls-remote -h ${r} 2>"\${TMPDIR:-/tmp}/.play-git-$$") || { printf 'lserror=%s\\n' "$(tail -n 1 "\${TMPDIR:-/tmp}/.play-git-$$")"; rm -f "\${TMPDIR:-/tmp}/.play-git-$$"; exit 0; }; rm -f "\${TMPDIR:-/tmp}/.play-git-$$"`,
  );
  if (v === 'HEAD') L.push(`printf 'head=%s\\n' "$(${g} ls-remote ${r} HEAD | cut -f1)"`);
  else {
    L.push(`printf 'branch=%s\\n' "$(printf '%s\\n' "$h" | awk -v r=${quote(`refs/heads/${v}`)} '$2 == r {print $1}')"`);
    L.push(`${g} ls-remote -t ${r} ${quote(`refs/tags/${v}*`)} | sed 's/^/tag=/'`);
  }
  return L.join('\n');
}

export function parseGitProbe(stdout: string, a: GitArgs): GitProbe {
  const kv = parseKv(stdout);
  const p: GitProbe = { exists: kv.get('exists') === 'yes', localMods: kv.get('localmods') === 'yes', kind: 'sha' };
  if (kv.get('nogit') === 'yes') return { ...p, noGit: true };
  if (kv.get('before')) p.before = kv.get('before');
  if (kv.has('remoteurl')) p.remoteUrl = kv.get('remoteurl');
  if (kv.has('lserror')) p.lsError = kv.get('lserror');
  const v = version(a);
  if (v === 'HEAD') { p.kind = 'head'; if (kv.get('head')) p.remoteHead = kv.get('head'); return p; }
  if (kv.get('branch')) { p.kind = 'branch'; p.remoteHead = kv.get('branch'); return p; }
  // Ansible's tag rule: the dereferenced `<v>^{}` line wins over `<v>`.
  const tags = stdout.split('\n').filter((l) => l.startsWith('tag=')).map((l) => l.slice(4).split('\t'));
  const peeled = tags.find((t) => t[1] === `refs/tags/${v}^{}`) ?? tags.find((t) => t[1] === `refs/tags/${v}`);
  if (peeled) { p.kind = 'tag'; p.remoteHead = peeled[0]; return p; }
  p.remoteHead = v;
  return p;
}

async function probeGit(a: GitArgs, ctx: ProbeContext): Promise<GitProbe> {
  const r = await ctx.conn.exec(gitProbeScript(a));
  if (r.code !== 0) throw new Error(`git probe failed (rc ${r.code}): ${r.stderr.trim()}`);
  return parseGitProbe(r.stdout, a);
}

/** The host commands after clone or fetch: switch_version, as Ansible runs it. */
function switchVersion(a: GitArgs, p: GitProbe): string {
  const g = G(a);
  const rem = quote(remoteOf(a));
  const v = version(a);
  if (a.bare) return ':';
  if (v === 'HEAD') {
    const b = `b=$(${g} symbolic-ref --short refs/remotes/${remoteOf(a)}/HEAD 2>/dev/null | sed 's|^${remoteOf(a)}/||'); b=\${b:-$(${g} rev-parse --abbrev-ref HEAD)}`;
    return `${b}; ${g} checkout --force "$b" >/dev/null 2>&1 || { echo "Failed to checkout branch $b" >&2; exit 1; }; ${g} reset --hard ${rem}/"$b" -- >/dev/null || exit 1`;
  }
  if (p.kind === 'branch') {
    const fetchBranch = a.depth ? `if ! ${g} rev-parse --verify -q ${quote(`refs/remotes/${remoteOf(a)}/${v}`)} >/dev/null; then ${g} fetch --depth=${a.depth} ${rem} ${quote(`+refs/heads/${v}:refs/remotes/${remoteOf(a)}/${v}`)} || exit 1; fi; ` : '';
    return `${fetchBranch}if ${g} show-ref --verify -q ${quote(`refs/heads/${v}`)}; then ${g} checkout --force ${quote(v)} >/dev/null 2>&1 || { echo ${quote(`Failed to checkout branch ${v}`)} >&2; exit 1; }; ${g} reset --hard ${quote(`${remoteOf(a)}/${v}`)} >/dev/null || exit 1; else ${g} checkout --track -b ${quote(v)} ${quote(`${remoteOf(a)}/${v}`)} >/dev/null 2>&1 || { echo ${quote(`Failed to checkout ${v}`)} >&2; exit 1; }; fi`;
  }
  return `${g} checkout --force ${quote(v)} >/dev/null 2>&1 || { echo ${quote(`Failed to checkout ${v}`)} >&2; exit 1; }`;
}

export function decideGit(a: GitArgs, p: GitProbe, ctx: { check: boolean }): Decision {
  const allowClone = a.clone !== false;
  if (a.dest === undefined && allowClone) return { kind: 'fail', msg: 'the destination directory must be specified unless clone=no' };
  if (p.noGit) return { kind: 'fail', msg: `git is not installed on the host (${a.executable ?? 'git'} not found in PATH)` };
  if (p.lsError !== undefined) return { kind: 'fail', msg: `Failed to reach ${a.repo}: ${p.lsError}` };
  const v = version(a);
  if (p.remoteHead === undefined || p.remoteHead === '') return { kind: 'fail', msg: `Could not determine remote revision for ${v}` };
  const base = { before: p.before ?? null };
  const g = G(a);
  const rem = quote(remoteOf(a));
  const interpret = (extra: Record<string, unknown>, changedAnyway: boolean) => (out: ExecOutput): StepReport => {
    const after = parseKv(out.stdout).get('after');
    const result = { ...base, ...extra, ...(after ? { after } : {}) };
    if (out.code !== 0) return { result, fail: tail(out.stderr) || `git exited ${out.code}` };
    if (!changedAnyway && after === p.before) return { result, unchanged: `${a.dest} is at ${after?.slice(0, 12)} (${v}), as ${a.repo} has it` };
    return { result };
  };

  if (!p.exists) {
    if (!allowClone) return { kind: 'noop', reason: `clone is no: ${a.repo} ${v} is at ${p.remoteHead.slice(0, 12)}`, result: { ...base, after: p.remoteHead } };
    const opts = [a.bare ? '--bare' : `--origin ${rem}`];
    if (a.depth) {
      if (v === 'HEAD') opts.push(`--depth ${a.depth}`);
      else if (p.kind === 'branch' || p.kind === 'tag') opts.push(`--depth ${a.depth} --branch ${quote(v)}`);
    }
    if (a.single_branch) opts.push('--single-branch');
    const cmd = [`export ${env(a)}`, `mkdir -p -- "$(dirname -- ${quote(a.dest!)})" && ${g} clone ${opts.join(' ')} ${quote(repoUrl(a))} ${quote(a.dest!)} >/dev/null || exit 1`, `cd ${quote(a.dest!)} || exit 1`, switchVersion(a, p), `printf 'after=%s\\n' "$(${g} rev-parse HEAD)"`].join('\n');
    return { kind: 'change', summary: `clone ${a.repo} (${v}, ${p.remoteHead.slice(0, 12)}) into ${a.dest}`, result: { ...base, after: p.remoteHead }, steps: [{ kind: 'exec', describe: `git clone ${a.repo}`, cmd, interpret: interpret({}, true) }] };
  }
  if (a.update === false) return { kind: 'noop', reason: `update is no: ${a.dest} stays at ${p.before?.slice(0, 12)}`, result: { ...base, after: p.before ?? null } };
  if (p.localMods && !a.force) return { kind: 'fail', msg: `Local modifications exist in the destination: ${a.dest} (force=no).`, result: base };
  const urlChanged = p.remoteUrl !== undefined && p.remoteUrl !== '' && p.remoteUrl !== repoUrl(a);
  const result = { ...base, after: p.remoteHead, remote_url_changed: urlChanged };
  if (!p.localMods && !urlChanged && p.before === p.remoteHead) {
    return { kind: 'noop', reason: `${a.dest} is already at ${p.before.slice(0, 12)} (${v} of ${a.repo})`, result };
  }
  if (ctx.check && !p.localMods && !urlChanged && p.kind === 'sha' && p.before?.startsWith(p.remoteHead)) {
    return { kind: 'noop', reason: `${a.dest} is already at ${v}`, result };
  }
  const depth = a.depth ? `--depth=${a.depth} ` : '';
  const cmd = [
    `export ${env(a)}`, `cd ${quote(a.dest!)} || exit 1`,
    p.localMods ? `${g} reset --hard HEAD -- >/dev/null || exit 1` : ':',
    urlChanged ? `${g} remote set-url ${rem} ${quote(repoUrl(a))} || exit 1` : ':',
    `${g} fetch ${depth}--force --tags ${rem} ${quote(`+refs/heads/*:refs/remotes/${remoteOf(a)}/*`)} >/dev/null || exit 1`,
    switchVersion(a, p),
    `printf 'after=%s\\n' "$(${g} rev-parse HEAD)"`,
  ].join('\n');
  const why = [p.localMods ? 'discard local modifications' : '', urlChanged ? `set ${remoteOf(a)} to ${a.repo}` : '', `move ${p.before?.slice(0, 12)} -> ${p.remoteHead.slice(0, 12)}`].filter(Boolean).join(', ');
  return { kind: 'change', summary: `update ${a.dest} to ${v} (${why})`, result, steps: [{ kind: 'exec', describe: `git fetch and checkout ${v}`, cmd, interpret: interpret({ remote_url_changed: urlChanged }, p.localMods || urlChanged) }] };
}
