// Registers every builtin module with the registry.
import { registerModule } from './registry.js';
import type { ModuleDef } from './types.js';
import { addHostModule } from './add_host.js';
import { aptModule } from './apt.js';
import { aptKeyModule } from './apt_key.js';
import { aptRepositoryModule } from './apt_repository.js';
import { assertModule } from './assert.js';
import { commandModule } from './command.js';
import { copyModule } from './copy.js';
import { debugModule } from './debug.js';
import { failModule } from './fail.js';
import { fileModule } from './file.js';
import { getentModule } from './getent.js';
import { getUrlModule } from './get_url.js';
import { gitModule } from './git.js';
import { groupModule } from './group.js';
import { lineinfileModule } from './lineinfile.js';
import { metaModule } from './meta.js';
import { serviceModule } from './service.js';
import { setFactModule } from './set_fact.js';
import { shellModule } from './shell.js';
import { statModule } from './stat.js';
import { templateModule } from './template.js';
import { tempfileModule } from './tempfile.js';
import { unarchiveModule } from './unarchive.js';
import { uriModule } from './uri.js';
import { userModule } from './user.js';
import { waitForModule } from './wait_for.js';

export const builtinModules: readonly ModuleDef[] = [
  addHostModule, aptModule, aptKeyModule, aptRepositoryModule, assertModule, commandModule, copyModule, debugModule, failModule, fileModule, getentModule, getUrlModule, gitModule, groupModule,
  lineinfileModule, metaModule, serviceModule, setFactModule, shellModule, statModule, templateModule, tempfileModule,
  unarchiveModule, uriModule, userModule, waitForModule,
];

export function registerBuiltinModules(): void {
  for (const m of builtinModules) registerModule(m);
}
