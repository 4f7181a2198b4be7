// The Datadog API modules. The composition root calls registerDatadogModules() once.
import { registerModule } from '../registry.js';
import type { ModuleDef } from '../types.js';
import { datadogDashboard } from './dashboard.js';
import { datadogDowntime } from './downtime.js';
import { datadogMonitor } from './monitor.js';

export { datadogDashboard, datadogDowntime, datadogMonitor };

export const datadogModules: ModuleDef[] = [datadogDashboard, datadogMonitor, datadogDowntime];

export function registerDatadogModules(): void {
  for (const m of datadogModules) registerModule(m);
}
