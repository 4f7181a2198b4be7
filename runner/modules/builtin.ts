// Registers every builtin module with the registry.
import { registerModule } from './registry.js';
import type { ModuleDef } from './types.js';
import { addHostModule } from './add_host.js';
import { aptModule } from './apt.js';
import { aptKeyModule } from './apt_key.js';
import { aptRepositoryModule } from './apt_repository.js';
import { assertModule } from './assert.js';
import { blockinfileModule } from './blockinfile.js';
import { commandModule } from './command.js';
import { copyModule } from './copy.js';
import { debugModule } from './debug.js';
import { failModule } from './fail.js';
import { fetchModule } from './fetch.js';
import { fileModule } from './file.js';
import { findModule } from './find.js';
import { getentModule } from './getent.js';
import { getUrlModule } from './get_url.js';
import { gitModule } from './git.js';
import { groupModule } from './group.js';
import { includeVarsModule } from './include_vars.js';
import { lineinfileModule } from './lineinfile.js';
import { metaModule } from './meta.js';
import { pingModule } from './ping.js';
import { replaceModule } from './replace.js';
import { rpmKeyModule } from './rpm_key.js';
import { scriptModule } from './script.js';
import { serviceModule } from './service.js';
import { serviceFactsModule } from './service_facts.js';
import { setFactModule } from './set_fact.js';
import { setupModule } from './setup.js';
import { shellModule } from './shell.js';
import { slurpModule } from './slurp.js';
import { statModule } from './stat.js';
import { systemdModule, systemdServiceModule } from './systemd.js';
import { packageModule } from './package.js';
import { templateModule } from './template.js';
import { tempfileModule } from './tempfile.js';
import { unarchiveModule } from './unarchive.js';
import { uriModule } from './uri.js';
import { userModule } from './user.js';
import { waitForModule } from './wait_for.js';

export const builtinModules: readonly ModuleDef[] = [
  addHostModule, aptModule, aptKeyModule, aptRepositoryModule, assertModule, blockinfileModule, commandModule, copyModule, debugModule,
  failModule, fetchModule, fileModule, findModule, getentModule, getUrlModule, gitModule, groupModule, includeVarsModule, lineinfileModule,
  metaModule, packageModule, pingModule, replaceModule, rpmKeyModule, scriptModule, serviceModule, serviceFactsModule, setFactModule, setupModule, shellModule, slurpModule,
  statModule, systemdModule, systemdServiceModule, templateModule, tempfileModule, unarchiveModule, uriModule, userModule, waitForModule,
];

export function registerBuiltinModules(): void {
  for (const m of builtinModules) registerModule(m);
}
