// The official client takes ~1.5 s to import; it loads on first use, so runs without API tasks never pay for it.
import { createRequire } from 'node:module';
import type * as DatadogClient from '@datadog/datadog-api-client';

const requireCjs = createRequire(import.meta.url);
let loaded: typeof DatadogClient | undefined;

export function dd(): typeof DatadogClient {
  return (loaded ??= requireCjs('@datadog/datadog-api-client') as typeof DatadogClient);
}
