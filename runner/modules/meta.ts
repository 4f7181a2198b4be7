// meta: `meta: flush_handlers` and `meta: noop`. Flow control: the executor acts on flow(); decide is a noop.
import { defineModule } from './types.js';

export interface MetaArgs {
  action: 'flush_handlers' | 'noop';
}

export const metaModule = defineModule<MetaArgs, null>({
  name: 'meta',
  controllerOnly: true,
  flow: (args) => (args.action === 'flush_handlers' ? { kind: 'flush_handlers' } : { kind: 'noop' }),
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['action'],
    properties: { action: { enum: ['flush_handlers', 'noop'] } },
  },
  normalize(raw) {
    if (typeof raw === 'string') return { action: raw.trim() };
    if (raw !== null && typeof raw === 'object' && '_raw_params' in raw) return { action: String((raw as { _raw_params: unknown })._raw_params).trim() };
    return raw;
  },
  probe: async () => null,
  decide: (args) => ({
    kind: 'noop',
    reason: args.action === 'flush_handlers' ? 'flush_handlers: notified handlers run now' : 'meta noop: nothing to do',
    result: { action: args.action },
  }),
});
