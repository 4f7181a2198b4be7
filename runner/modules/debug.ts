// debug: print a message or a variable. Controller only; the text is in result.msg / result[var].
import { defineModule, type Decision, type DecideContext } from './types.js';

export interface DebugArgs {
  msg?: unknown;
  var?: string;
  verbosity?: number;
}

/** Looks up `a.b.0.c` in the vars. */
export function lookupVar(vars: Record<string, unknown>, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = vars;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in (cur as Record<string, unknown>))) return { found: false };
    cur = (cur as Record<string, unknown>)[part];
  }
  return { found: true, value: cur };
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

export function decideDebug(a: DebugArgs, ctx: DecideContext): Decision {
  if (a.var !== undefined) {
    const r = lookupVar(ctx.vars, a.var.trim());
    const value = r.found ? r.value : 'VARIABLE IS NOT DEFINED!';
    return { kind: 'noop', reason: `${a.var}: ${show(value)}`, result: { [a.var]: value } };
  }
  const msg = a.msg ?? 'Hello world!';
  return { kind: 'noop', reason: show(msg), result: { msg }, message: show(msg) };
}

export const debugModule = defineModule<DebugArgs, null>({
  name: 'debug',
  controllerOnly: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { msg: {}, var: { type: 'string' }, verbosity: { type: 'integer', minimum: 0 } },
    not: { required: ['msg', 'var'] },
  },
  normalize: (raw) => (typeof raw === 'string' ? { msg: raw } : raw ?? {}),
  probe: async () => null,
  decide: (args, _probe, ctx) => decideDebug(args, ctx),
});
