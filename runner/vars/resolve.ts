// Variables may refer to other variables (`url: "{{base}}/path"`), as in Ansible.
// Values are resolved against each other in a few passes; a value whose references
// cannot be resolved stays as written, and fails only where a task uses it.
import { RenderError } from '../errors.js';
import { renderValue } from '../render/template.js';
import type { Vars } from '../types.js';

const MAX_PASSES = 5;

export function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{');
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (v && typeof v === 'object') return Object.values(v).some(hasTemplate);
  return false;
}

/** Returns vars with templated values rendered; `skip` names keys never scanned (large magic vars). */
export function resolveVars(vars: Vars, where: string, skip: ReadonlySet<string> = new Set()): Vars {
  let pending = Object.keys(vars).filter((k) => !skip.has(k) && hasTemplate(vars[k]));
  if (pending.length === 0) return vars;
  const out: Vars = { ...vars };
  for (let pass = 0; pass < MAX_PASSES && pending.length; pass++) {
    const still: string[] = [];
    for (const key of pending) {
      try {
        const value = renderValue(out[key], out, `variable '${key}' (${where})`);
        out[key] = value;
        if (hasTemplate(value)) still.push(key);
      } catch (err) {
        if (!(err instanceof RenderError)) throw err;
        still.push(key);
      }
    }
    if (still.length === pending.length) break;
    pending = still;
  }
  return out;
}
