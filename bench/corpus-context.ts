// The context Ansible gives a task file of a role: the file runs where tasks/main.yml (or a file
// main.yml includes) includes it, after the items before that include, with the include's vars and
// loop variable. bench/corpus.ts loads each unit of a file after the loaded units of its includers
// that come before the include, so that what they set (set_fact, register, include_vars) is defined
// as it would be when Ansible reaches the file.
import { posix } from 'node:path';
import { stringify } from 'yaml';

const INCLUDES = ['include_tasks', 'import_tasks', 'include'].flatMap((k) => [k, `ansible.builtin.${k}`, `ansible.legacy.${k}`]);
const LOOP = /^(loop|loop_control|with_[a-z_]+)$/;

/**
 * Where a file includes another: the include task, the vars of the blocks around it, and the
 * names it may reach (relative to the role's tasks/; a templated name, as
 * "setup-{{ ansible_os_family }}.yml", is a pattern that reaches each file it can render to).
 */
export interface IncludeSite { key: string; patterns: RegExp[]; leaf: Record<string, unknown>; vars: Record<string, unknown>[] }

function pattern(name: string): RegExp {
  const parts = name.split(/\{\{.*?\}\}|\{%.*?%\}/s).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]*')}$`);
}

function siteOf(leaf: Record<string, unknown>, fromFile: string): Omit<IncludeSite, 'vars'> | undefined {
  for (const key of INCLUDES) {
    if (!(key in leaf)) continue;
    const v = leaf[key];
    const name = typeof v === 'string' ? v.trim().replace(/(\s+\w+=\S*)+$/, '') : v && typeof v === 'object' ? (v as Record<string, unknown>).file : undefined;
    // a name with no literal part of its own ("{{ item }}", "{{ f }}.yml") names no file here
    if (typeof name !== 'string' || name.replace(/\{\{.*?\}\}|\{%.*?%\}/gs, '').replace(/\.ya?ml$/, '').replace(/^tasks\//, '') === '') return undefined;
    // Ansible looks in the role's tasks/ first, then beside the including file.
    const direct = posix.normalize(name.replace(/^tasks\//, ''));
    const beside = posix.normalize(posix.join(posix.dirname(fromFile), name));
    return { key, patterns: [pattern(direct), pattern(beside)], leaf };
  }
  return undefined;
}

/** Every include in an item (a task or a block, recursively), in source order. */
export function includeSites(item: unknown, fromFile: string, vars: Record<string, unknown>[] = []): IncludeSite[] {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return [];
  const t = item as Record<string, unknown>;
  const own = t.vars && typeof t.vars === 'object' && !Array.isArray(t.vars) ? [...vars, t.vars as Record<string, unknown>] : vars;
  if (Array.isArray(t.block)) {
    return ['block', 'rescue', 'always'].flatMap((k) => (Array.isArray(t[k]) ? (t[k] as unknown[]) : [])).flatMap((c) => includeSites(c, fromFile, own));
  }
  const s = siteOf(t, fromFile);
  return s ? [{ ...s, vars }] : [];
}

/** The files an include reaches: the role's tasks/ first, then beside the including file. */
export function reaches(site: IncludeSite, files: string[]): string[] {
  for (const re of site.patterns) {
    const hit = files.filter((f) => re.test(f));
    if (hit.length > 0) return hit;
  }
  return [];
}

/**
 * The include as the including file runs it on a host where it reaches `target` (a templated name
 * rendered to it), reduced to what gives the included file its variables: the blocks' and the
 * include's vars and its loop. Its condition, tags and connection keywords are the including task's
 * own and are charged to it where it is measured.
 */
export function includeText(site: IncludeSite, target: string): string {
  const out: Record<string, unknown> = { [site.key]: target };
  const vars = Object.assign({}, ...site.vars, (site.leaf.vars as Record<string, unknown> | undefined) ?? {});
  if (Object.keys(vars).length > 0) out.vars = vars;
  for (const [k, v] of Object.entries(site.leaf)) if (LOOP.test(k)) out[k] = v;
  return stringify([out]);
}

/** Task files in the order Ansible first reaches them from main.yml (depth first), then the rest by name. */
export function fileOrder(files: string[], sitesOf: (file: string) => IncludeSite[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const visit = (f: string) => {
    if (seen.has(f) || !files.includes(f)) return;
    seen.add(f);
    out.push(f);
    for (const s of sitesOf(f)) for (const t of reaches(s, files)) visit(t);
  };
  visit('main.yml');
  for (const f of [...files].sort()) visit(f);
  return out;
}
