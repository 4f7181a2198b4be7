// The controller edge of template rendering: reading included templates (and lookup files) from
// disk. Rendering is synchronous, so these reads are too; they happen on the controller only,
// for template files the playbook names, never for values that came from hosts.
import { readFileSync, statSync } from 'node:fs';
import type { TemplateLoader } from './jinja/index.js';
import { templateCandidates } from './template-paths.js';

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
