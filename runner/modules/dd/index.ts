// The Datadog host roles' extra modules: apt_keyring, mysql_user, pip, datadog_agent_verify (uri is the builtin's now).
import { registerModule } from '../registry.js';
import type { ModuleDef } from '../types.js';
import { agentVerifyModule } from './agent_verify.js';
import { aptKeyringModule } from './apt_keyring.js';
import { mysqlUserModule } from './mysql_user.js';
import { pipModule } from './pip.js';

export const ddModules: ModuleDef[] = [aptKeyringModule, mysqlUserModule, pipModule, agentVerifyModule];

export function registerDdModules(): void {
  for (const m of ddModules) registerModule(m);
}
