// The loop keys of a task (`loop:` or one `with_<lookup>:`) and its loop_control, checked at load
// and read by the compiler. Pure.
import type { LoopControl, LoopWith } from '../types.js';
import type { LoadCtx } from './context.js';
import { loopFormOf } from './loops.js';
import { didYouMean } from './suggest.js';
import { isObj } from './util.js';
import { positionOf, type YamlFile } from './yaml.js';

type Path = Array<string | number>;

const LOOP_CONTROL_KEYS = ['loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems'];
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The keys of a task that make it loop: `loop` and the with_* lookups, known or not. */
export function loopKeys(t: Record<string, unknown>): string[] {
  return Object.keys(t).filter((k) => k === 'loop' || /^with_[a-z_]+$/.test(k));
}

/** The task's loop, when it has exactly one known loop key. */
export function loopOf(kw: Record<string, unknown>): { key: string; form: LoopWith; value: unknown } | undefined {
  const keys = loopKeys(kw);
  if (keys.length !== 1) return undefined;
  const form = loopFormOf(keys[0]!);
  return form ? { key: keys[0]!, form, value: kw[keys[0]!] } : undefined;
}

/** loop_control as the plan carries it (checked by checkLoop). */
export function loopControlOf(kw: Record<string, unknown>): LoopControl | undefined {
  const lc = kw['loop_control'];
  if (!isObj(lc)) return undefined;
  const out: LoopControl = {};
  if (typeof lc['loop_var'] === 'string') out.loopVar = lc['loop_var'];
  if (typeof lc['index_var'] === 'string') out.indexVar = lc['index_var'];
  if (lc['label'] !== undefined && lc['label'] !== null) out.label = String(lc['label']);
  if (typeof lc['pause'] === 'number') out.pause = lc['pause'];
  if (lc['extended'] === true) out.extended = true;
  if (lc['extended_allitems'] === false) out.extendedAllitems = false;
  return out;
}

/** The variables a loop defines for its task: the loop var (default item) and index_var. */
export function loopVarsOf(kw: Record<string, unknown>): string[] {
  if (!loopOf(kw)) return [];
  const lc = loopControlOf(kw);
  return [lc?.loopVar ?? 'item', ...(lc?.indexVar ? [lc.indexVar] : []), 'ansible_loop', 'ansible_loop_var', 'ansible_index_var'];
}

/** One loop key at most, and a loop_control that names real options with values of the right type. */
export function checkLoop(ctx: LoadCtx, y: YamlFile, at: Path, t: Record<string, unknown>): void {
  const keys = loopKeys(t);
  if (keys.length > 1) {
    ctx.diags.push({ ...positionOf(y, [...at, keys[1]!], 'key'), message: `a task takes one loop; '${keys[0]}' and '${keys[1]}' are both given` });
  }
  const lc = t['loop_control'];
  if (lc === undefined) return;
  const here = (k?: string, w: 'key' | 'value' = 'value') => positionOf(y, k === undefined ? [...at, 'loop_control'] : [...at, 'loop_control', k], w);
  if (keys.length === 0) ctx.diags.push({ ...positionOf(y, [...at, 'loop_control'], 'key'), message: "'loop_control' needs a loop ('loop' or a 'with_*' key) on the same task" });
  if (!isObj(lc)) return; // the file schema says it must be a mapping
  for (const [k, v] of Object.entries(lc)) {
    if (!LOOP_CONTROL_KEYS.includes(k)) {
      ctx.diags.push({ ...here(k, 'key'), message: `unknown key '${k}' in loop_control${didYouMean(k, LOOP_CONTROL_KEYS)}` });
      continue;
    }
    const templated = typeof v === 'string' && v.includes('{{');
    if ((k === 'loop_var' || k === 'index_var') && (typeof v !== 'string' || !IDENT.test(v))) {
      ctx.diags.push({ ...here(k), message: `loop_control.${k} must be a variable name (letters, digits and _), got ${JSON.stringify(v)}` });
    }
    if (k === 'pause' && !templated && (typeof v !== 'number' || v < 0)) ctx.diags.push({ ...here(k), message: `loop_control.pause must be a number of seconds, got ${JSON.stringify(v)}` });
    if ((k === 'extended' || k === 'extended_allitems') && typeof v !== 'boolean') ctx.diags.push({ ...here(k), message: `loop_control.${k} must be true or false, got ${JSON.stringify(v)}` });
  }
}
