// Why a declared variable has no value (a reference cycle, a failed reference, a limit).
// resolveVars stores the reasons under this key of the vars object, so that a template or a
// condition that uses the variable fails with the cause rather than with "undefined variable".
// A symbol: never a variable name, kept by object spread, skipped by Object.keys and JSON.
import { RenderError } from '../errors.js';

export const VAR_ERRORS: unique symbol = Symbol('play.varErrors');

export type VarErrors = Record<string, string>;

/** The declared source of each variable that could not be resolved, so a loop can try again with `item`. */
export const VAR_PENDING: unique symbol = Symbol('play.varPending');

export function varError(vars: object, name: string): string | undefined {
  const errors = (vars as { [VAR_ERRORS]?: VarErrors })[VAR_ERRORS];
  return errors && Object.hasOwn(errors, name) ? errors[name] : undefined;
}

/** A render failed because it used a variable that has no value; `reason` is that variable's own error. */
export class VarRefError extends RenderError {
  constructor(readonly reason: string, where?: string) {
    super(reason, where);
  }
}
