// assert: check conditions. Controller only.
//
// The conditions are evaluated through the `evaluate` hook: the executor hands it a function that
// checks one condition on the host's variables, and it replaces every string of `that` by the boolean
// it evaluated to, before the schema check. decide() therefore receives `that: boolean[]`; a string
// left in it means evaluation was skipped and the assert fails loudly.
import { defineModule, type Decision } from './types.js';

export interface AssertArgs {
  that: string | boolean | (string | boolean)[];
  fail_msg?: string;
  msg?: string;
  success_msg?: string;
  quiet?: boolean;
}

export function decideAssert(a: AssertArgs): Decision {
  const list = Array.isArray(a.that) ? a.that : [a.that];
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'boolean') return { kind: 'fail', msg: `assert: condition ${JSON.stringify(v)} was not evaluated by the executor` };
    if (!v) {
      const msg = a.fail_msg ?? a.msg ?? 'Assertion failed';
      return { kind: 'fail', msg: `${msg} (condition ${i + 1} of ${list.length} is false)`, result: { assertion_index: i, evaluated_to: false } };
    }
  }
  const msg = a.success_msg ?? 'All assertions passed';
  return { kind: 'noop', reason: `${msg} (${list.length} condition${list.length === 1 ? '' : 's'})`, result: { msg } };
}

export const assertModule = defineModule<AssertArgs, null>({
  name: 'assert',
  controllerOnly: true,
  conditionsOf: (raw) => {
    const that = raw !== null && typeof raw === 'object' ? (raw as { that?: unknown }).that : undefined;
    return (Array.isArray(that) ? that : that === undefined ? [] : [that]).filter((t): t is string => typeof t === 'string');
  },
  evaluate: (args, holds) => {
    const that = Array.isArray(args.that) ? args.that : [args.that];
    return { ...args, that: that.map((t) => (typeof t === 'boolean' ? t : holds(String(t)))) };
  },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['that'],
    properties: {
      that: { anyOf: [{ type: ['string', 'boolean'] }, { type: 'array', items: { type: ['string', 'boolean'] }, minItems: 1 }] },
      fail_msg: { type: 'string' },
      msg: { type: 'string' },
      success_msg: { type: 'string' },
      quiet: { type: 'boolean' },
    },
  },
  probe: async () => null,
  decide: (args) => decideAssert(args),
});
