// The loader's I/O shell: reads files, parses and schema-checks them, and collects every diagnostic.
import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic, SourcePos } from '../types.js';
import type { ModuleSource } from './types.js';
import type { RoleSource } from './role-includes.js';
import { parseYaml, type YamlFile } from './yaml.js';
import { validateFile, type SchemaName } from './validate.js';
import { displayPath } from './util.js';
import { openMaybeVault, registerLeaves, type VaultContext } from '../secrets/vault.js';
import { MAX_YAML_BYTES } from './yaml.js';

export interface LoadCtx {
  cwd: string;
  /** Absolute directory of the playbook. */
  playbookDir: string;
  modules: ModuleSource;
  diags: Diagnostic[];
  /** Absolute paths of every file read. */
  files: string[];
  display(abs: string): string;
  /** Reads, parses and schema-checks a YAML file. A missing file is a diagnostic at `ref` when given. */
  readYaml(abs: string, schema: SchemaName, ref?: { pos: SourcePos; what: string }): Promise<YamlFile | undefined>;
  readText(abs: string): Promise<string | undefined>;
  exists(abs: string): Promise<'file' | 'dir' | undefined>;
  /** The role search, for import_role / include_role in task lists (set by loadProject). */
  roles?: RoleSource;
  /** What items that did not load may define or be notified as (see LoadedProject.lost). */
  lost?: LostNames;
}

export interface LostNames {
  names: string[];
  topics: string[];
  /** True when an include or include_vars did not load: any name may be defined. */
  any: boolean;
}

/** `vault`: opens whole-file vault YAML; its leaf values become secrets. */
export function makeLoadCtx(playbookDir: string, modules: ModuleSource, cwd = process.cwd(), vault?: VaultContext): LoadCtx {
  const ctx: LoadCtx = {
    cwd,
    playbookDir,
    modules,
    diags: [],
    files: [],
    display: (abs) => displayPath(abs, cwd),
    async readYaml(abs, schema, ref) {
      let buf: Buffer;
      try {
        // Refuse oversized input before reading it: memory stays bounded.
        const size = (await stat(abs)).size;
        if (size > MAX_YAML_BYTES) {
          ctx.diags.push({ file: ctx.display(abs), line: 1, col: 1, message: `file is ${size} bytes; YAML input is limited to ${MAX_YAML_BYTES} bytes` });
          return undefined;
        }
        buf = await readFile(abs);
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
        const where = ref ? ref.pos : { file: ctx.display(abs), line: 1, col: 1 };
        ctx.diags.push({ ...where, message: `${ref?.what ?? 'file'} ${ctx.display(abs)} ${reason}` });
        return undefined;
      }
      ctx.files.push(abs);
      const opened = openMaybeVault(buf, vault);
      if (!opened.ok) {
        ctx.diags.push({ file: ctx.display(abs), line: 1, col: 1, message: opened.message });
        return undefined;
      }
      const parsed = parseYaml(ctx.display(abs), opened.content, vault);
      if (!parsed.ok) {
        ctx.diags.push(...parsed.diagnostics);
        return undefined;
      }
      if (opened.encrypted && vault) registerLeaves(parsed.value.data, vault.redactor);
      ctx.diags.push(...validateFile(parsed.value, schema));
      return parsed.value;
    },
    async readText(abs) {
      try {
        const text = await readFile(abs, 'utf8');
        ctx.files.push(abs);
        return text;
      } catch {
        return undefined;
      }
    },
    async exists(abs) {
      try {
        const s = await stat(abs);
        return s.isDirectory() ? 'dir' : 'file';
      } catch {
        return undefined;
      }
    },
  };
  return ctx;
}
