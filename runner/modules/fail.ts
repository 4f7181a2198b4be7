// fail: stop the host with a message. Controller only.
import { defineModule } from './types.js';

export interface FailArgs {
  msg?: unknown;
}

export const failModule = defineModule<FailArgs, null>({
  name: 'fail',
  controllerOnly: true,
  schema: { type: 'object', additionalProperties: false, properties: { msg: {} } },
  normalize: (raw) => (typeof raw === 'string' ? { msg: raw } : raw ?? {}),
  probe: async () => null,
  decide: (args) => {
    const msg = args.msg === undefined ? 'Failed as requested from task' : typeof args.msg === 'string' ? args.msg : JSON.stringify(args.msg);
    return { kind: 'fail', msg };
  },
});
