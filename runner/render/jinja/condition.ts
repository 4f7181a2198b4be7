// Conditions (when, changed_when, failed_when, until, assert that): one bare Jinja expression,
// parsed once at load time, evaluated per host to a boolean by Python truthiness. A wrapping
// `{{ }}` is accepted (Ansible warns about it but evaluates the same).
import { RenderError } from '../../errors.js';
import type { Vars } from '../../types.js';
import { RenderLimitError, newBudget } from '../limits.js';
import { VarRefError } from '../var-errors.js';
import { type Ctx, EvalError, Scope, UndefinedError, need } from './context.js';
import { evalExpr } from './expr.js';
import { makeGlobals } from './globals.js';
import { JinjaSyntaxError } from './lexer.js';
import { type Parsed, parseExpression } from './parse.js';
import { truthy } from './py.js';
import { guards, templateRootsOf } from './roots.js';

export interface ConditionExpr {
  text: string;
  parsed: Parsed;
}

/** `line` is given when the condition has several lines (a YAML block scalar). */
export type ParseConditionResult = { ok: true; expr: ConditionExpr } | { ok: false; message: string; col: number; line?: number };

export function parseCondition(text: string): ParseConditionResult {
  let body = text;
  let base = 0;
  const m = /^(\s*\{\{)([^]*)\}\}\s*$/.exec(text);
  if (m && !m[2]!.includes('{{') && !m[2]!.includes('}}')) {
    body = m[2]!;
    base = m[1]!.length;
  }
  if (body.trim() === '') return { ok: false, message: 'empty condition', col: 1 };
  try {
    const parsed = parseExpression(body, base);
    const problem = templateRootsOf(parsed.body).problems[0];
    if (problem) {
      const name = /'([^']+)'/.exec(problem)?.[1] ?? '';
      const k = parsed.tokens.findIndex((t) => t.type === 'Identifier' && (t.value === name || t.value.endsWith(`:${name}`)));
      return { ok: false, message: problem, col: k >= 0 ? parsed.pos[k]!.col : 1 };
    }
    return { ok: true, expr: { text, parsed } };
  } catch (err) {
    if (err instanceof JinjaSyntaxError) return { ok: false, message: err.message, col: err.col, ...(err.line > 1 ? { line: err.line } : {}) };
    throw err;
  }
}

/** Root variables the condition needs; names only under is defined / default, or guarded, are left out. */
export function conditionRoots(expr: ConditionExpr): string[] {
  return templateRootsOf(expr.parsed.body).roots;
}

/** Names the condition being true proves defined (`x is defined and ...`): what a later condition or the task may use. */
export function conditionGuards(expr: ConditionExpr): string[] {
  const node = expr.parsed.body[0];
  return node ? guards(node, false) : [];
}

const BOOL_WORDS: Record<string, boolean> = { true: true, True: true, false: false, False: false };

/** Evaluates to a boolean. Undefined variables and type errors throw RenderError naming `where`. */
export function evaluateCondition(expr: ConditionExpr, vars: Vars, where: string): boolean {
  const c: Ctx = { scope: new Scope(undefined, vars as Record<string, unknown>), vars, budget: newBudget(), depth: 0, globals: {} };
  c.globals = makeGlobals(c);
  const node = expr.parsed.body[0]!;
  try {
    const v = need(evalExpr(node, c), c);
    // `when: flag` with flag "false" (a -e value is a string): Ansible reads the string as an expression;
    // play reads only the boolean words, and never evaluates what a variable holds.
    if (node.type === 'Identifier' && typeof v === 'string' && Object.hasOwn(BOOL_WORDS, v.trim())) return BOOL_WORDS[v.trim()]!;
    return truthy(v);
  } catch (err) {
    if (err instanceof VarRefError) throw new VarRefError(err.reason, where);
    if (err instanceof RenderError) throw err;
    if (err instanceof UndefinedError) {
      const root = err.undef.name.split(/[.[]/)[0];
      const k = expr.parsed.tokens.findIndex((t, i) => t.type === 'Identifier' && t.value === root && expr.parsed.tokens[i - 1]?.type !== 'Dot');
      throw new RenderError(`condition: ${err.message}${k >= 0 ? ` (col ${expr.parsed.pos[k]!.col})` : ''}`, where);
    }
    if (err instanceof EvalError || err instanceof RenderLimitError) throw new RenderError(`condition: ${err.message}`, where);
    if (err instanceof RangeError) throw new RenderError('condition: nested too deeply to evaluate', where);
    throw new RenderError(`condition: ${(err as Error).message ?? String(err)}`, where);
  }
}

/** A list of conditions is true when every one is (Ansible's `when: [a, b]`). */
export function evaluateConditions(exprs: ConditionExpr[], vars: Vars, where: string): boolean {
  return exprs.every((e) => evaluateCondition(e, vars, where));
}
