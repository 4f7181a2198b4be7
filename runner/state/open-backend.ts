// Opens the store a run uses. Apart from backend.ts, which both backends import for the contract:
// choosing one here would tie the contract to its implementations in a circle.
import type { OpenBackendOptions, StateBackend, StateLocation } from './backend.js';

export async function openBackend(loc: StateLocation, opts: OpenBackendOptions): Promise<StateBackend> {
  switch (loc.kind) {
    case 'local': {
      const { LocalBackend } = await import('./backend-local.js');
      return LocalBackend.open(loc.dir, opts);
    }
    case 'postgres': {
      // Loaded only when used: a local run never loads the driver.
      const { PgBackend } = await import('./postgres/backend.js');
      return PgBackend.open(loc.url, opts);
    }
  }
}
