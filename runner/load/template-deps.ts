// Load time: the templates a .j2 file includes or imports, found on the search path Ansible's
// template action uses (render/template-paths.ts) and read now, so that a missing one, or a syntax
// error or undefined variable in one, is reported before any host is contacted.
import type { SourcePos } from '../types.js';
import { templateFileDeps } from '../render/template.js';
import { templateCandidates, templateSearchPath } from '../render/template-paths.js';
import type { LoadCtx } from './context.js';
import type { ControllerFile } from './types.js';

/** Nested includes deeper than this are not followed at load time (the render has its own limit). */
const MAX_DEPTH = 20;

export async function templateIncludes(
  ctx: LoadCtx,
  main: { path: string; display: string; text: string },
  scope: { baseDir: string; role?: string },
): Promise<NonNullable<ControllerFile['includes']>> {
  const searchPath = templateSearchPath({ baseDir: scope.baseDir, taskDir: scope.role ? `${scope.baseDir}/tasks` : undefined, playbookDir: ctx.playbookDir, source: main.path });
  const out: NonNullable<ControllerFile['includes']> = [];
  const seen = new Set<string>([main.path]);
  const visit = async (file: { path: string; display: string; text: string }, withContext: boolean, depth: number): Promise<void> => {
    for (const dep of templateFileDeps(file.text, file.path)) {
      if (!dep.names) continue; // a computed name: resolved when it renders
      const at: SourcePos = { file: file.display, line: dep.line, col: dep.col };
      let found: { path: string; display: string; text: string } | undefined;
      for (const name of dep.names) {
        for (const abs of templateCandidates(searchPath, name) ?? []) {
          if ((await ctx.exists(abs)) !== 'file') continue;
          const text = await ctx.readText(abs);
          if (text !== undefined) found = { path: abs, display: ctx.display(abs), text };
          break;
        }
        if (found) break;
      }
      if (!found) {
        if (!dep.ignoreMissing) {
          const names = dep.names.map((n) => `'${n}'`).join(', ');
          ctx.diags.push({ ...at, message: `{% ${dep.kind} %}: template ${names} not found; looked in ${searchPath.map((p) => ctx.display(p)).join(', ')}` });
        }
        continue;
      }
      const ctxOk = withContext && dep.withContext;
      if (!seen.has(found.path)) {
        seen.add(found.path);
        ctx.files.push(found.path);
        out.push({ ...found, withContext: ctxOk, includedAt: at });
        if (depth < MAX_DEPTH) await visit(found, ctxOk, depth + 1);
      }
    }
  };
  await visit(main, true, 0);
  return out;
}
