// Role variable schemas (roles/<role>/meta/vars.schema.json), checked per play and host.
import type { Diagnostic, Inventory, Vars } from '../types.js';
import type { LoadedRole, RawPlay } from '../load/types.js';
import { compileLoose, errorsToDiagnostics } from '../load/validate.js';

export interface RoleVarLayers {
  roleDefaults: Vars;
  roleVars: Vars;
  extraVars: Vars;
}

/** defaults < inventory vars of the host < play vars < role vars < extra vars; template strings are exempt. */
export function checkRoleSchemas(
  play: RawPlay, hosts: string[], roles: Map<string, LoadedRole>, inv: Inventory, layers: RoleVarLayers,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const use of play.roles) {
    const role = roles.get(use.name);
    if (!role?.varsSchema) continue;
    const validate = compileLoose(role.varsSchema.schema);
    if (validate instanceof Error) continue;
    for (const host of hosts) {
      const merged: Vars = {
        ...layers.roleDefaults,
        ...(inv.hosts.get(host)?.vars ?? {}),
        ...play.vars,
        ...play.varsFromFiles,
        ...layers.roleVars,
        ...layers.extraVars,
      };
      if (validate(merged)) continue;
      const subject = `role '${use.name}' on host '${host}'`;
      out.push(...errorsToDiagnostics(validate.errors ?? [], merged, () => use.src, { dropTemplated: true, subject, keyWord: 'variable' }));
    }
  }
  return out;
}
