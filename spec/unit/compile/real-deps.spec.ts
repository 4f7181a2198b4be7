// The loader and compiler wired to the real modules, inventory, conditions and templates,
// on the repository's own roles.
import { expect } from 'chai';
import { registerAllModules } from '../../../runner/modules/all.js';
import { getModule, moduleNames } from '../../../runner/modules/registry.js';
import { buildInventory } from '../../../runner/inventory/build.js';
import { selectHosts } from '../../../runner/inventory/select.js';
import { conditionRoots, parseCondition, type ConditionExpr } from '../../../runner/render/condition.js';
import { templateFileRoots, templateRoots } from '../../../runner/render/template.js';
import { loadProject } from '../../../runner/load/project.js';
import { loadInventoryFile } from '../../../runner/load/inventory.js';
import { compilePlan } from '../../../runner/compile/compile.js';
import type { CompileDeps } from '../../../runner/compile/types.js';

const DIR = 'spec/fixtures/load/valid-real';

describe('compilePlan with the real collaborators', () => {
  it('compiles the vagrant-vm role and a play on the group it creates', async () => {
    registerAllModules();
    const modules = { getModule, moduleNames };
    const project = await loadProject(`${DIR}/site.yml`, { modules, rolesPath: ['roles'] });
    const built = buildInventory(await loadInventoryFile(`${DIR}/inventory.yml`));
    if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('\n'));
    const deps: CompileDeps = {
      selectHosts,
      parseCondition,
      conditionRoots: (e) => conditionRoots(e as ConditionExpr),
      templateRoots,
      templateFileRoots,
      getModule,
    };
    const r = compilePlan(project, built.inventory, { extraVars: {} }, deps);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
    const [vm, configure] = r.plan.plays;
    expect(vm!.tasks.map((t) => t.id)).to.include('vagrant-vm/Write the Vagrantfile');
    expect(vm!.roleVars).to.include({ vagrant_inventory_group: 'monitored' });
    expect(configure!.hosts).to.deep.equal([]);
    expect(configure!.tasks[0]!.when).to.deep.equal(["inventory_hostname == 'dd-exercise'"]);
  });
});
