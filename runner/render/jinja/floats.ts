// Python prints an integral float as `5.0`; a JS number cannot say it is a float. What a `{{ }}`
// prints is therefore typed from the expression that made it: a float literal, `/`, arithmetic
// with a float operand, and the filters floatResult names (float, log, pow, root, round of a
// float or with ceil/floor) give floats. Values read from variables are plain numbers (a YAML
// `5.0` prints 5): only what the expression computes is typed.
import { floatResult } from '../filters/index.js';
import type { Ctx } from './context.js';
import type { Node } from './parse.js';

/** Filter nodes whose last result was a float, per render. */
export type FloatMarks = Map<Node, boolean>;

export function markFilter(c: Ctx, n: Node, name: string, operandNode: Node, operand: unknown, args: unknown[], kwargs: Record<string, unknown>): void {
  const short = name.replace(/^.*\./, '');
  const f = floatResult(short, operand, args, kwargs) || ((short === 'round' || short === 'abs') && isFloatExpr(c, operandNode));
  (c.floats ??= new Map()).set(n, f);
}

export function isFloatExpr(c: Ctx, n: Node): boolean {
  switch (n.type) {
    case 'FloatLiteral':
      return true;
    case 'FilterExpression':
      return c.floats?.get(n) === true;
    case 'UnaryExpression':
      return n.operator.value === '-' || n.operator.value === '+' ? isFloatExpr(c, n.argument) : false;
    case 'BinaryExpression': {
      const op = n.operator.value;
      if (op === '/') return true;
      if (['+', '-', '*', '**', '//', '%'].includes(op)) return isFloatExpr(c, n.left) || isFloatExpr(c, n.right);
      return false;
    }
    case 'Ternary':
      return false;
    default:
      return false;
  }
}

/** The text of a number the expression `n` computed. */
export function showNumber(c: Ctx, n: Node, v: number): string | undefined {
  return Number.isInteger(v) && Number.isFinite(v) && isFloatExpr(c, n) ? `${v}.0` : undefined;
}
