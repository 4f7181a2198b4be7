// The Datadog host roles' extra modules: apt_keyring, mysql_user, pip, uri, datadog_agent_verify.
import { registerModule } from '../registry.js';
import type { ModuleDef } from '../types.js';
import { agentVerifyModule } from './agent_verify.js';
import { aptKeyringModule } from './apt_keyring.js';
import { mysqlUserModule } from './mysql_user.js';
import { pipModule } from './pip.js';
import { uriModule } from './uri.js';

export const ddModules: ModuleDef[] = [aptKeyringModule, mysqlUserModule, pipModule, uriModule, agentVerifyModule];

export function registerDdModules(): void {
  for (const m of ddModules) registerModule(m);
}
