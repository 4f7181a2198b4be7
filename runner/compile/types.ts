// Inputs and output of compilePlan. The collaborators come in as plain functions.
import type { ModuleDef } from '../modules/types.js';
import type { Diagnostic, Inventory, Plan, Vars } from '../types.js';

export interface CompileOptions {
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  /** Keep only the tasks and handlers of this role. */
  role?: string;
  extraVars: Vars;
}

export interface CompileDeps {
  selectHosts(inv: Inventory, pattern: string, limit?: string): { ok: true; hosts: string[] } | { ok: false; message: string };
  parseCondition(text: string): { ok: true; expr: unknown } | { ok: false; message: string; col?: number; line?: number };
  conditionRoots(expr: unknown): string[];
  /** Names a true condition proves defined (`x is defined`): later conditions and the task may use them. */
  conditionGuards?(expr: unknown): string[];
  templateRoots(text: string): { ok: true; roots: string[] } | { ok: false; message: string; line?: number; col?: number };
  /** A template file (.j2 Jinja, .hbs Handlebars), by its path. */
  templateFileRoots(text: string, path: string): { ok: true; roots: string[] } | { ok: false; message: string; line?: number; col?: number };
  getModule(name: string): ModuleDef | undefined;
}

export type CompileResult = { ok: true; plan: Plan } | { ok: false; diagnostics: Diagnostic[] };
