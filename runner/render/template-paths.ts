// Where a .j2 file's {% include %}/{% import %} names are looked up, as Ansible 2.14's template
// action builds Jinja's search path: the task's search path (role dir, the dir of the task file),
// the playbook dir and the template's own dir, each tried as `<dir>/templates` first, then `<dir>`.
// Names are Jinja's: '/'-separated and relative to each dir, `..` is refused.
import path from 'node:path';

export function templateSearchPath(dirs: { baseDir: string; taskDir?: string; playbookDir?: string; source: string }): string[] {
  const roots = [dirs.baseDir, dirs.taskDir, dirs.playbookDir, path.dirname(dirs.source)].filter((d): d is string => !!d);
  const out: string[] = [];
  for (const d of roots) for (const p of [path.join(d, 'templates'), d]) if (!out.includes(p)) out.push(p);
  return out;
}

/** The candidate paths of a template name (Jinja's split_template_path), or undefined for a name with `..`. */
export function templateCandidates(searchPath: string[], name: string): string[] | undefined {
  const pieces = name.split('/').filter((x) => x !== '' && x !== '.');
  if (pieces.includes('..') || pieces.length === 0) return undefined;
  return searchPath.map((d) => path.join(d, ...pieces));
}
