// The controller edge of template rendering: reading included templates (and lookup files) from
// disk. Rendering is synchronous, so these reads are too; they happen on the controller only,
// for template files the playbook names, never for values that came from hosts.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { LookupHost, TemplateLoader } from './jinja/context.js';
import { MAX_RENDER_CHARS } from './limits.js';
import { templateCandidates, templateSearchPath } from './template-paths.js';

export function fileLoader(searchPath: string[], display: (abs: string) => string = (p) => p): TemplateLoader {
  return {
    load(name) {
      for (const abs of templateCandidates(searchPath, name) ?? []) {
        let isFile = false;
        try {
          isFile = statSync(abs).isFile();
        } catch {
          continue;
        }
        if (isFile) return { path: abs, display: display(abs), text: readFileSync(abs, 'utf8') };
      }
      return undefined;
    },
    searched: () => searchPath.map(display),
  };
}

/** Ansible's path_dwim_relative_stack over the role dir (if any) and the playbook dir. */
function searchCandidates(dirs: string[], kind: string, name: string): string[] {
  if (name.startsWith('~')) name = path.join(homedir(), name.slice(1));
  if (path.isAbsolute(name)) return [path.normalize(name)];
  const out: string[] = [];
  for (const d of dirs) {
    if (name.split('/')[0] !== kind) out.push(path.join(d, kind, name));
    out.push(path.join(d, name));
  }
  return [...new Set(out)];
}

const kindOf = (p: string): 'file' | 'dir' | undefined => {
  try {
    const s = statSync(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : undefined;
  } catch {
    return undefined;
  }
};

/** Lookups on this controller, for a task whose role dir (role_path) and playbook dir are given. */
export function controllerLookups(dirs: { roleDir?: string; playbookDir: string }): LookupHost {
  const roots = [dirs.roleDir, dirs.roleDir && path.join(dirs.roleDir, 'tasks'), dirs.playbookDir].filter((d): d is string => !!d);
  return {
    find: (name, kind) => searchCandidates(roots, kind, name).find((p) => kindOf(p) === 'file'),
    findDir: (name, kind) => searchCandidates(roots, kind, name).find((p) => kindOf(p) === 'dir'),
    readText: (p) => readFileSync(p, 'utf8'),
    listFiles: (dir) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() || (e.isSymbolicLink() && kindOf(path.join(dir, e.name)) === 'file')).map((e) => e.name),
    env: (name) => process.env[name],
    run(cmd) {
      // as Ansible's pipe lookup: a shell in the playbook dir. The command may be rendered from secrets,
      // so it travels on the shell's stdin, never in argv or the environment; the command itself then
      // reads /dev/null (the controller runs no terminal dialogue inside a render)
      const r = spawnSync('/bin/sh', ['-c', 'c=$(cat); exec </dev/null; eval "$c"'], { input: cmd, cwd: dirs.playbookDir, encoding: 'utf8', timeout: PIPE_TIMEOUT_MS, maxBuffer: MAX_RENDER_CHARS });
      if (r.error) return { code: -1, stdout: '', stderr: r.error.message };
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    loader: (source) => fileLoader(templateSearchPath({ baseDir: dirs.roleDir ?? dirs.playbookDir, taskDir: dirs.roleDir && path.join(dirs.roleDir, 'tasks'), playbookDir: dirs.playbookDir, source })),
  };
}

/** A pipe/lines command that runs longer fails its lookup (it would hold every host's task). */
export const PIPE_TIMEOUT_MS = 300_000;
