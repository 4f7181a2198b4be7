// The keywords the executor reads, picked as written from a play, block or task (schema-checked).
import type { ExecKeywords, VarsPrompt } from '../types.js';
import { isObj } from './util.js';
import { positionOf, type YamlFile } from './yaml.js';

/** Ansible's names of the keywords execute/keywords.ts renders per host; inner levels win. */
export const EXEC_KEYWORDS = [
  'become', 'become_user', 'become_method', 'environment', 'no_log', 'ignore_errors', 'remote_user', 'connection',
  'check_mode', 'diff', 'delegate_to', 'delegate_facts', 'run_once', 'any_errors_fatal', 'throttle', 'module_defaults',
] as const satisfies ReadonlyArray<keyof ExecKeywords>;

/** Task and block keywords new with execution keywords (the rest were known before). */
export const NEW_TASK_KEYWORDS = ['become_method', 'remote_user', 'connection', 'check_mode', 'diff', 'delegate_to', 'delegate_facts', 'run_once', 'any_errors_fatal', 'throttle', 'module_defaults'];

export function execKeywords(kw: Record<string, unknown>): ExecKeywords | undefined {
  const out: Record<string, unknown> = {};
  for (const k of EXEC_KEYWORDS) if (kw[k] !== undefined && kw[k] !== null) out[k] = kw[k];
  return Object.keys(out).length ? (out as ExecKeywords) : undefined;
}

/** A play's `vars_prompt` entries (schema-checked: name required; private defaults to true, as in Ansible). */
export function varsPrompts(y: YamlFile, play: number, list: unknown): VarsPrompt[] {
  if (!Array.isArray(list)) return [];
  const out: VarsPrompt[] = [];
  list.forEach((e, j) => {
    if (!isObj(e) || typeof e['name'] !== 'string') return;
    const p: VarsPrompt = {
      name: e['name'],
      prompt: typeof e['prompt'] === 'string' ? e['prompt'] : e['name'],
      private: e['private'] !== false,
      src: positionOf(y, [play, 'vars_prompt', j]),
    };
    if (e['default'] !== undefined) p.default = e['default'];
    out.push(p);
  });
  return out;
}
