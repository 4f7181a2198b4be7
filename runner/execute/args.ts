// Rendered module arguments are checked against the module's schema before the probe runs.
// The validator is the one the loader compiled for the same schema (one compile per run).
import type { ModuleDef } from '../modules/types.js';
import { InvariantError } from '../errors.js';
import { compileLoose } from '../load/validate.js';

/** Returns null when valid, else one line naming every problem. */
export function validateModuleArgs(mod: ModuleDef, args: unknown): string | null {
  const validate = compileLoose(mod.schema);
  if (validate instanceof Error) throw new InvariantError(`module '${mod.name}' has an invalid schema: ${validate.message}`);
  if (validate(args)) return null;
  return (validate.errors ?? [])
    .map((e) => {
      const path = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments';
      if (e.keyword === 'additionalProperties') return `unknown argument '${(e.params as { additionalProperty: string }).additionalProperty}'`;
      return `${path} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}
