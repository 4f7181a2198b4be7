// Request bodies are checked with the official client's own models: a throw (missing required
// field) or anything `_unparsed` (unknown enum value, wrong shape) is a 400 like Datadog's.
import { v1, v2 } from '@datadog/datadog-api-client';
import { findUnparsed } from '../../runner/modules/datadog/canonical.js';

export type ModelName =
  | 'Dashboard'
  | 'Monitor'
  | 'MonitorUpdateRequest'
  | 'DowntimeCreateRequest'
  | 'DowntimeUpdateRequest';

const V2 = new Set<ModelName>(['DowntimeCreateRequest', 'DowntimeUpdateRequest']);

/** Error strings for the `errors` list; empty when the body fits the model. */
export function modelErrors(body: unknown, model: ModelName): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [`body must be a JSON object (${model})`];
  const ser = V2.has(model) ? v2.ObjectSerializer : v1.ObjectSerializer;
  let parsed: unknown;
  try {
    parsed = ser.deserialize(body, model, '');
  } catch (e) {
    return [`${model}: ${e instanceof Error ? e.message : String(e)}`];
  }
  return findUnparsed(parsed).map((p) => `${model} ${p}`);
}
