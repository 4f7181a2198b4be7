// The template API the rest of play uses. YAML values (task args, vars, keywords) and .j2 files
// are Jinja (./jinja/); a template file ending in .hbs is Handlebars (./handlebars.ts), so that
// roles written for play keep their templates.
import type { Vars } from '../types.js';
import { renderHandlebars } from './handlebars.js';
import { handlebarsRoots } from './handlebars-roots.js';
import { FILE_OPTIONS, type FileEnv, type TemplateDep, checkTemplate, renderTemplateFile, templateDeps } from './jinja/index.js';

export type { TemplateDep };

export { OMIT, isTemplate, renderString, renderValue } from './jinja/index.js';

export const isHandlebarsFile = (path: string): boolean => path.endsWith('.hbs');

export type TemplateRoots = { ok: true; roots: string[]; bound?: string[] } | { ok: false; message: string; line?: number; col?: number };

/** Load-time check of a YAML value's template: syntax with line/col, unknown filters, root variables. */
export function templateRoots(text: string): TemplateRoots {
  return checkTemplate(text);
}

/** Load-time check of a template file, by its engine. */
export function templateFileRoots(text: string, path: string): TemplateRoots {
  return isHandlebarsFile(path) ? handlebarsRoots(text) : checkTemplate(text.replace(/^#jinja2:.*\n/, '\n'), FILE_OPTIONS);
}

/** What a template file includes or imports ({% include %}, {% import %}, {% from %}); none for .hbs. */
export function templateFileDeps(text: string, path: string): TemplateDep[] {
  return isHandlebarsFile(path) ? [] : templateDeps(text.replace(/^#jinja2:.*\n/, '\n'));
}

/** Renders a template file for the template module: .hbs with Handlebars, anything else as Ansible's Jinja. */
export function renderFile(text: string, src: string, vars: Vars, where: string, info: { dest?: string; env?: FileEnv } = {}): string {
  if (isHandlebarsFile(src)) return renderHandlebars(text, vars, where);
  return renderTemplateFile(text, vars, where, { template_path: src, template_destpath: info.dest ?? null }, info.env);
}
