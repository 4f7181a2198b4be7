// Variables may refer to other variables (`url: "{{base}}/path"`), as in Ansible.
//
// Host data is never a template. Only keys whose value comes from a declared layer (playbook,
// roles, inventory, -e: DECLARED_LAYERS) are resolved; facts, register: and set_fact values are
// passed through untouched, whatever they contain. And each declared template is rendered
// exactly once, from its source: a key is a getter that renders its source when first read
// (so dependencies resolve in the order they are used), then becomes a plain value. Text a
// variable inserts, from a host or from another variable, is therefore never parsed again.
//
// A key that cannot be resolved (undefined reference, cycle, chain too long, size limit) is left
// out, and its reason is kept under VAR_ERRORS: only a task that uses it fails, with that reason.
import { RenderError } from '../errors.js';
import { MAX_VAR_CHAIN } from '../render/limits.js';
import { isTemplate, renderValue } from '../render/template.js';
import { VAR_ERRORS, VAR_PENDING, VarRefError, type VarErrors } from '../render/var-errors.js';
import type { Vars } from '../types.js';
import { DECLARED_LAYERS, VAR_PRECEDENCE, mergeVars, varSource, type VarLayers } from './merge.js';

const templated = new WeakMap<object, boolean>();

/** Whether a value holds a template anywhere. Declared values are never changed in place: cached per object. */
export function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return isTemplate(v);
  if (!v || typeof v !== 'object') return false;
  let t = templated.get(v);
  if (t === undefined) templated.set(v, (t = Array.isArray(v) ? v.some(hasTemplate) : Object.values(v).some(hasTemplate)));
  return t;
}

/**
 * Merges the layers and resolves the keys whose winning value is declared (never host data).
 * `hostData` names hostVars keys that were set from rendered values at run time (add_host).
 * Only a declared key whose value holds a template needs its layer looked up: that keeps a task's
 * vars linear in the number of keys (asking every key's layer was most of their cost).
 */
export function resolveLayers(layers: VarLayers, where: string, hostData: readonly string[] = []): Vars {
  const vars = mergeVars(layers);
  const declared: string[] = [];
  for (const name of VAR_PRECEDENCE) {
    const layer = layers[name];
    if (!layer || !DECLARED_LAYERS.has(name)) continue;
    for (const k of Object.keys(layer)) {
      if (!hasTemplate(layer[k]) || varSource(layers, k) !== name) continue;
      if (name === 'hostVars' && hostData.includes(k)) continue;
      declared.push(k);
    }
  }
  return resolveVars(vars, where, declared);
}

/**
 * Resolves again, against `vars` as they are now, the declared variables that failed before (a
 * loop adds `item`, which play vars such as `line: "{{ item.name }}"` may use, as in Ansible).
 */
export function resolvePending(vars: Vars, where: string): Vars {
  const pending = (vars as { [VAR_PENDING]?: Record<string, unknown> })[VAR_PENDING];
  const keys = pending ? Object.keys(pending) : [];
  if (keys.length === 0) return vars;
  const retry: Vars = { ...vars, ...pending };
  const errors: VarErrors = Object.assign(Object.create(null), (vars as { [VAR_ERRORS]?: VarErrors })[VAR_ERRORS]);
  for (const k of keys) delete errors[k];
  (retry as { [VAR_ERRORS]?: VarErrors })[VAR_ERRORS] = errors;
  delete (retry as { [VAR_PENDING]?: unknown })[VAR_PENDING];
  return resolveVars(retry, where, keys);
}

/** Returns vars with the templated values of `declared` keys rendered (all keys by default). */
export function resolveVars(vars: Vars, where: string, declared: Iterable<string> = Object.keys(vars)): Vars {
  const pending = [...declared].filter((k) => Object.hasOwn(vars, k) && hasTemplate(vars[k]));
  if (pending.length === 0) return vars;
  const out: Vars = { ...vars };
  const errors: VarErrors = Object.create(null);
  Object.assign(errors, (vars as { [VAR_ERRORS]?: VarErrors })[VAR_ERRORS]);
  (out as { [VAR_ERRORS]?: VarErrors })[VAR_ERRORS] = errors;
  const unresolved: Record<string, unknown> = Object.create(null);
  (out as { [VAR_PENDING]?: Record<string, unknown> })[VAR_PENDING] = unresolved;
  const chain: string[] = [];
  const settle = (key: string, value: unknown) => Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });

  for (const key of pending) {
    const source = vars[key];
    const at = `variable '${key}' (${where})`;
    const fail = (reason: string): undefined => {
      errors[key] ??= reason;
      return undefined;
    };
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      // Reading an unresolved key yields undefined and records why; templates and conditions report that reason.
      get: (): unknown => {
        if (chain.includes(key)) return fail(`${at}: reference cycle: ${[...chain.slice(chain.indexOf(key)), key].join(' -> ')}`);
        if (chain.length >= MAX_VAR_CHAIN) return fail(`${at}: variables refer to variables more than ${MAX_VAR_CHAIN} deep (${chain[0]} -> ... -> ${key})`);
        chain.push(key);
        try {
          const value = renderValue(source, out, at);
          settle(key, value);
          return value;
        } catch (err) {
          if (!(err instanceof RenderError)) throw err;
          delete out[key];
          unresolved[key] = source;
          return fail(err instanceof VarRefError ? err.reason : err.message);
        } finally {
          chain.pop();
        }
      },
    });
  }
  for (const key of pending) void out[key];
  return out;
}
