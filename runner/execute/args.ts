// Rendered module arguments are checked against the module's schema before the probe runs.
import { Ajv, type ValidateFunction } from 'ajv';
import type { ModuleDef } from '../modules/types.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<ModuleDef, ValidateFunction>();

/** Returns null when valid, else one line naming every problem. */
export function validateModuleArgs(mod: ModuleDef, args: unknown): string | null {
  let validate = compiled.get(mod);
  if (!validate) {
    validate = ajv.compile(mod.schema);
    compiled.set(mod, validate);
  }
  if (validate(args)) return null;
  return (validate.errors ?? [])
    .map((e) => {
      const path = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments';
      if (e.keyword === 'additionalProperties') return `unknown argument '${(e.params as { additionalProperty: string }).additionalProperty}'`;
      return `${path} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}
