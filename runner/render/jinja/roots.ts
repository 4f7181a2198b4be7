// Load-time look at a parsed template or condition: the root variables it reads, and the filters
// and tests it names that do not exist. A name is not reported where it may be undefined on
// purpose: under `is defined`/`is undefined`/`default`, or guarded (`x is defined and x|length > 0`,
// `x if x is defined else y`, `{% if x is defined %}..x..{% endif %}`), or bound by set/for/macro.
import { isKnownFilter, isKnownTest } from './filters.js';
import { GLOBAL_NAMES } from './globals.js';
import { TEST_PREFIX } from './lexer.js';
import type { Node } from './parse.js';

const CONSTANTS = new Set(['true', 'True', 'false', 'False', 'none', 'None']);

export interface RootsResult {
  roots: string[];
  /** Unknown filters/tests, unsupported statements. */
  problems: string[];
}

function filterName(n: Node): string {
  const f = n.type === 'FilterExpression' ? n.filter : n;
  return f.type === 'Identifier' ? f.value : f.type === 'CallExpression' && f.callee.type === 'Identifier' ? f.callee.value : '';
}

/** The root name of a pure path (x, x.y, x['y'], x[0]); undefined for anything else. */
function pathRoot(n: Node): string | undefined {
  if (n.type === 'Identifier') return n.value;
  if (n.type === 'MemberExpression') return pathRoot(n.object);
  return undefined;
}

/** Names that `e` being true proves defined (`a is defined and b.c is defined`), or, with `negated`, undefined. */
export function guards(e: Node, negated: boolean): string[] {
  if (e.type === 'FilterExpression') {
    const name = filterName(e);
    const isDefined = name === `${TEST_PREFIX}:defined` || name === `${TEST_PREFIX}not:undefined`;
    const isUndefined = name === `${TEST_PREFIX}:undefined` || name === `${TEST_PREFIX}not:defined`;
    const root = pathRoot(e.operand);
    if (root && ((!negated && isDefined) || (negated && isUndefined))) return [root];
    return [];
  }
  if (e.type === 'BinaryExpression' && e.operator.value === (negated ? 'or' : 'and')) return [...guards(e.left, negated), ...guards(e.right, negated)];
  if (e.type === 'UnaryExpression' && e.operator.value === 'not') return guards(e.argument, !negated);
  return [];
}

export function templateRootsOf(body: Node[]): RootsResult {
  const roots: string[] = [];
  const problems: string[] = [];
  const bound = new Set<string>();
  const add = (name: string, safe: Set<string>) => {
    if (CONSTANTS.has(name) || GLOBAL_NAMES.has(name) || bound.has(name) || safe.has(name) || roots.includes(name)) return;
    roots.push(name);
  };
  const bind = (t: Node) => {
    if (t.type === 'Identifier') bound.add(t.value);
    else if (t.type === 'TupleLiteral' || t.type === 'ArrayLiteral') t.value.forEach(bind);
  };
  const plus = (safe: Set<string>, more: string[]) => (more.length ? new Set([...safe, ...more]) : safe);

  const expr = (n: Node | null | undefined, safe: Set<string>): void => {
    if (!n) return;
    switch (n.type) {
      case 'Identifier':
        return add(n.value, safe);
      case 'MemberExpression':
        expr(n.object, safe);
        if (n.computed) expr(n.property, safe);
        return;
      case 'CallExpression':
        expr(n.callee, safe);
        return n.args.forEach((a) => expr(a, safe));
      case 'ArrayLiteral':
      case 'TupleLiteral':
        return n.value.forEach((x) => expr(x, safe));
      case 'ObjectLiteral':
        for (const [k, v] of n.value) expr(k, safe), expr(v, safe);
        return;
      case 'KeywordArgumentExpression':
        return expr(n.value, safe);
      case 'SpreadExpression':
      case 'KeywordSpreadExpression':
        return expr(n.argument, safe);
      case 'SliceExpression':
        return [n.start, n.stop, n.step].forEach((x) => expr(x, safe));
      case 'UnaryExpression':
        return expr(n.argument, safe);
      case 'BinaryExpression': {
        expr(n.left, safe);
        const op = n.operator.value;
        return expr(n.right, op === 'and' ? plus(safe, guards(n.left, false)) : op === 'or' ? plus(safe, guards(n.left, true)) : safe);
      }
      case 'Ternary':
        expr(n.condition, safe);
        expr(n.trueExpr, plus(safe, guards(n.condition, false)));
        return expr(n.falseExpr, plus(safe, guards(n.condition, true)));
      case 'SelectExpression':
        expr(n.test, safe);
        return expr(n.lhs, plus(safe, guards(n.test, false)));
      case 'FilterExpression': {
        const name = filterName(n);
        const isTest = name.startsWith(TEST_PREFIX);
        const short = isTest ? name.slice(name.indexOf(':') + 1) : name;
        if (isTest ? !isKnownTest(short) : !isKnownFilter(short)) problems.push(`unknown ${isTest ? 'test' : 'filter'} '${short}'`);
        const lenient = isTest ? short === 'defined' || short === 'undefined' : short === 'default' || short === 'd';
        const root = pathRoot(n.operand);
        if (!(lenient && root)) expr(n.operand, safe);
        else if (n.operand.type === 'MemberExpression') memberKeys(n.operand, safe);
        if (n.filter.type === 'CallExpression') n.filter.args.forEach((a) => expr(a, safe));
        return;
      }
      case 'TestExpression':
        return expr(n.operand, safe);
      default:
        return;
    }
  };
  const memberKeys = (n: Node, safe: Set<string>): void => {
    if (n.type !== 'MemberExpression') return;
    memberKeys(n.object, safe);
    if (n.computed) expr(n.property, safe);
  };

  const stmts = (body: Node[], safe: Set<string>): void => {
    for (const n of body) {
      switch (n.type) {
        case 'Comment':
        case 'Break':
        case 'Continue':
          break;
        case 'If':
          expr(n.test, safe);
          stmts(n.body, plus(safe, guards(n.test, false)));
          stmts(n.alternate, plus(safe, guards(n.test, true)));
          break;
        case 'For': {
          const src = n.iterable.type === 'SelectExpression' ? n.iterable.lhs : n.iterable;
          expr(src, safe);
          bind(n.loopvar);
          bound.add('loop');
          if (n.iterable.type === 'SelectExpression') expr(n.iterable.test, safe);
          stmts(n.body, safe);
          stmts(n.defaultBlock, safe);
          break;
        }
        case 'Set':
          expr(n.value, safe);
          stmts(n.body, safe);
          if (n.assignee.type === 'MemberExpression') expr(n.assignee.object, safe);
          else bind(n.assignee);
          break;
        case 'Macro':
          bound.add(n.name.value);
          for (const p of n.args) {
            if (p.type === 'KeywordArgumentExpression') expr(p.value, safe), bound.add(p.key.value);
            else bind(p);
          }
          stmts(n.body, safe);
          break;
        case 'FilterStatement': {
          const name = filterName(n.filter);
          if (!isKnownFilter(name)) problems.push(`unknown filter '${name}'`);
          stmts(n.body, safe);
          break;
        }
        case 'CallStatement':
          problems.push('{% call %} blocks are not supported');
          break;
        default:
          expr(n, safe);
      }
    }
  };
  stmts(body, new Set());
  return { roots, problems };
}
