// The official client takes ~1.5 s to import; it loads on first use, so runs without API tasks never pay for it.
import type * as DatadogClient from '@datadog/datadog-api-client';
import { requireDependency } from '../../dependencies.js';
import { applyDeferredCaCerts } from '../../tls-trust.js';

let loaded: typeof DatadogClient | undefined;

export function dd(): typeof DatadogClient {
  if (!loaded) {
    applyDeferredCaCerts();
    loaded = requireDependency<typeof DatadogClient>('@datadog/datadog-api-client');
  }
  return loaded;
}
