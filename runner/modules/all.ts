// Registers every module play ships. Called once by the composition root.
import { registerBuiltinModules } from './builtin.js';
import { registerDatadogModules } from './datadog/index.js';
import { registerDdModules } from './dd/index.js';
import { registerModule } from './registry.js';
import { vagrantInventoryModule } from './vagrant/vagrant_inventory.js';
import { vagrantVmModule } from './vagrant/vagrant_vm.js';

let done = false;

export function registerAllModules(): void {
  if (done) return;
  done = true;
  registerBuiltinModules();
  registerDatadogModules();
  registerDdModules();
  registerModule(vagrantVmModule);
  registerModule(vagrantInventoryModule);
}
