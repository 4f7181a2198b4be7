// The official DataDog role (DataDog/ansible-datadog) as the differential suite runs it: its
// Debian path against the local signed apt repository stand-in, every source given through the
// role's own variables (as a user of the role would point it at a mirror). Pure, but for extracting
// the role from its git mirror.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { templateRegex } from '../../runner/load/includes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ROLE_REPO = 'DataDog/ansible-datadog';

/** The commit bench/corpus pins for the role (the same content the load share is measured on). */
export function pinnedCommit(): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'bench/corpus/manifest.json'), 'utf8')) as Array<{ repo: string; commit: string }>;
  const e = manifest.find((m) => m.repo === ROLE_REPO);
  if (!e) throw new Error(`bench/corpus/manifest.json pins no commit of ${ROLE_REPO}`);
  return e.commit;
}

/** The role's git directory (bench/corpus's mirror layout), or undefined when it is not fetched. */
export function roleMirror(): string | undefined {
  const git = join(process.env.PLAY_CORPUS_MIRROR ?? '/work/.mirror', ROLE_REPO.replace('/', '+'), 'repo');
  return existsSync(git) ? git : undefined;
}

/** `git archive COMMIT | tar -x`: the role's tree at the pinned commit, into dir. */
export function extractRole(git: string, commit: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', 'git --git-dir="$1" archive "$2" | tar -x -C "$3"', 'sh', git, commit, dir]);
}

export interface StandinSources {
  aptUrl: string;
  keyUrl: string;
  keyFingerprint: string;
}

/**
 * The role's variables, the same for both tools. The API key is not among them: each tool gets it
 * as a secret of its own kind (play: DD_API_KEY in the environment; Ansible: -e @file).
 */
export function roleVars(s: StandinSources): Record<string, unknown> {
  return {
    datadog_site: 'datadoghq.eu',
    datadog_agent_major_version: 7,
    // the custom-repository path: the role writes ansible_datadog_custom.list with this line
    datadog_apt_repo: `deb [signed-by=/usr/share/keyrings/datadog-archive-keyring.gpg] ${s.aptUrl} stable 7`,
    // the role's key import, both branches: the CURRENT key (always imported) and a key by fingerprint
    datadog_apt_default_keys: [
      { key: 'DATADOG_APT_KEY_CURRENT', value: s.keyUrl },
      { key: s.keyFingerprint, value: s.keyUrl },
    ],
    datadog_config: {
      // the stand-in Agent's trace receiver binds 127.0.0.1:8126; the two test hosts share the network
      apm_config: { enabled: false },
      tags: ['env:differential', 'role:official'],
    },
    datadog_checks: {
      process: { init_config: {}, instances: [{ name: 'ssh', search_string: ['sshd'], exact_match: false }] },
    },
  };
}

export function playbookYaml(): string {
  return stringify([{ name: 'the official DataDog role', hosts: 'all', vars_files: ['vars.yml'], roles: ['datadog'] }]);
}

export interface Recap { ok: number; changed: number; failed: number; skipped: number; unreachable: number }

/** Ansible's recap for one host, from diff_statuses.py's STATS line. */
export function ansibleRecap(stdout: string, host: string): Recap | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('STATS ')) continue;
    const r = JSON.parse(line.slice(6)) as Recap & { host: string; failures?: number };
    if (r.host === host) return { ok: r.ok, changed: r.changed, failed: r.failures ?? r.failed ?? 0, skipped: r.skipped, unreachable: r.unreachable };
  }
  return undefined;
}

/** Names of the tasks that changed, from diff_statuses.py's DIFF lines, in order. */
export function ansibleChanged(stdout: string, host: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('DIFF ')).map((l) => JSON.parse(l.slice(5)) as { host: string; task: string; status: string })
    .filter((r) => r.host === host && r.status === 'changed').map((r) => r.task);
}

/** Ansible's results that play reports no host result for: fact gathering and the includes themselves. */
const NOT_TASKS = new Set(['gather_facts', 'include_tasks', 'ansible.builtin.include_tasks', 'include_role', 'ansible.builtin.include_role', 'include', 'ansible.builtin.include']);

export interface TaskStatus { task: string; status: string }

/** Ansible's per-task statuses for one host, in order, without fact gathering and includes. */
export function ansibleTaskStatuses(stdout: string, host: string): TaskStatus[] {
  return stdout.split('\n').filter((l) => l.startsWith('DIFF ')).map((l) => JSON.parse(l.slice(5)) as { host: string; task: string; action: string; status: string })
    .filter((r) => r.host === host && !NOT_TASKS.has(r.action)).map((r) => ({ task: r.task.replace(/^[^:]+ : /, ''), status: r.status }));
}

/**
 * Lines where the two sequences differ: play names a task as written (`keyring={{ x }}`), Ansible as
 * rendered, so a play name matches the Ansible name its template parts may render to.
 */
export function statusSequenceDiff(ansible: TaskStatus[], play: TaskStatus[]): string[] {
  const out: string[] = [];
  const n = Math.max(ansible.length, play.length);
  for (let i = 0; i < n; i++) {
    const a = ansible[i], p = play[i];
    if (!a || !p || !templateRegex(p.task).test(a.task) || a.status !== p.status) {
      out.push(`#${i}: ansible ${a ? `${a.task} ${a.status}` : '(none)'} | play ${p ? `${p.task} ${p.status}` : '(none)'}`);
    }
  }
  return out;
}
