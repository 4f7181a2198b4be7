// Conditions parse once per text (they were syntax-checked at load) and evaluate per host.
import { RenderError } from '../errors.js';
import { evaluateCondition, parseCondition, type ConditionExpr } from '../render/condition.js';
import type { Vars } from '../types.js';

const parsed = new Map<string, ConditionExpr>();

export function checkCondition(text: string, vars: Vars, where: string): boolean {
  let expr = parsed.get(text);
  if (!expr) {
    const r = parseCondition(text);
    if (!r.ok) throw new RenderError(`condition '${text}': ${r.message}`, where);
    expr = r.expr;
    parsed.set(text, expr);
  }
  return evaluateCondition(expr, vars, where);
}

/** A list of conditions holds when every one does (Ansible ANDs them). */
export function conditionsHold(texts: readonly string[] | undefined, vars: Vars, where: string): boolean {
  return (texts ?? []).every((t) => checkCondition(t, vars, where));
}

/** "changed_when: rc == 0 is false", but "changed_when: false" when the condition is the literal false. */
export function conditionFalse(keyword: string, conds: readonly string[]): string {
  const text = conds.join(' and ');
  return /^\s*false\s*$/i.test(text) ? `${keyword}: false` : `${keyword}: ${text} is false`;
}
