// The editor schema from what this build knows: the published file schemas and the registered modules.
import { registerAllModules } from '../modules/all.js';
import { getModule, moduleNames } from '../modules/registry.js';
import { bundleSchema } from './schema-bundle.js';
import { TASK_KEYWORDS } from './tasks.js';
import playbookSchema from './schemas/playbook.schema.json' with { type: 'json' };
import tasksSchema from './schemas/tasks.schema.json' with { type: 'json' };

export function bundleFromRegistry(): Record<string, unknown> {
  registerAllModules();
  const modules = moduleNames().map((n) => getModule(n)!);
  return bundleSchema({ playbook: playbookSchema as Record<string, unknown>, tasks: tasksSchema as Record<string, unknown> }, modules, TASK_KEYWORDS);
}
