// Conditions for when:, changed_when:, failed_when:, until: parse once at load time, evaluate
// per host. Semantics follow Jinja/Python: truthiness, `and`/`or` return an operand, comparing
// a string with a number by < is an error, `default` replaces only an undefined value (pass
// true as second argument to also replace falsy values, as in Jinja).
import { RenderError, assertNever } from '../errors.js';
import type { Vars } from '../types.js';
import { ConditionSyntaxError, parse, type CompareOp, type ConditionExpr } from './condition-parse.js';
import { deepEqual, pyStr, truthy, typeName } from './values.js';
import { VarRefError, varError } from './var-errors.js';

export type { ConditionExpr } from './condition-parse.js';

export type ParseConditionResult = { ok: true; expr: ConditionExpr } | { ok: false; message: string; col: number };

/** Parses one condition. A single wrapping `{{ ... }}` is accepted and stripped. */
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
    return { ok: true, expr: parse(body, base) };
  } catch (err) {
    if (err instanceof ConditionSyntaxError) return { ok: false, message: err.message, col: err.col };
    throw err;
  }
}

/** Root variable names the condition needs; names only under `is defined`/`is undefined`/`default()` are left out. */
export function conditionRoots(expr: ConditionExpr): string[] {
  const out: string[] = [];
  const walk = (e: ConditionExpr): void => {
    switch (e.kind) {
      case 'literal':
        return;
      case 'var':
        if (!out.includes(e.name)) out.push(e.name);
        return;
      case 'member':
        walk(e.object);
        walk(e.key);
        return;
      case 'list':
        e.items.forEach(walk);
        return;
      case 'not':
      case 'neg':
        walk(e.operand);
        return;
      case 'logic':
      case 'compare':
        walk(e.left);
        walk(e.right);
        return;
      case 'test':
        if (e.test !== 'defined' && e.test !== 'undefined') walk(e.operand);
        return;
      case 'filter':
        if (e.filter !== 'default' && e.filter !== 'd') walk(e.operand);
        e.args.forEach(walk);
        return;
      default:
        assertNever(e, 'condition node');
    }
  };
  walk(expr);
  return out;
}

/** A value that is not defined, with the path that led to it (for messages). */
class Undef {
  constructor(readonly name: string, readonly col: number) {}
}

/** Evaluates to a boolean by Python truthiness. Undefined variables throw RenderError naming them. */
export function evaluateCondition(expr: ConditionExpr, vars: Vars, where: string): boolean {
  return truthy(need(expr, vars, where));
}

/** A list of conditions is true when every one is (Ansible's `when: [a, b]`). */
export function evaluateConditions(exprs: ConditionExpr[], vars: Vars, where: string): boolean {
  return exprs.every((e) => evaluateCondition(e, vars, where));
}

function fail(where: string, col: number, msg: string): never {
  throw new RenderError(`condition: ${msg} (col ${col})`, where);
}

function need(e: ConditionExpr, vars: Vars, where: string): unknown {
  const v = value(e, vars, where);
  if (v instanceof Undef) {
    const why = varError(vars, v.name.split(/[.[]/)[0] ?? v.name);
    if (why !== undefined) throw new VarRefError(why, where);
    fail(where, v.col, `undefined variable '${v.name}'`);
  }
  return v;
}

function keyName(base: string, key: unknown): string {
  return typeof key === 'string' && /^[A-Za-z_]\w*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function member(obj: unknown, key: unknown): unknown {
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (typeof key !== 'number' || !Number.isInteger(key)) return undefined;
    const i = key < 0 ? obj.length + key : key;
    return obj[i];
  }
  if (obj !== null && typeof obj === 'object' && (typeof key === 'string' || typeof key === 'number')) {
    const o = obj as Record<string, unknown>;
    return Object.hasOwn(o, String(key)) ? o[String(key)] : undefined;
  }
  return undefined;
}

function value(e: ConditionExpr, vars: Vars, where: string): unknown {
  const ev = (x: ConditionExpr) => need(x, vars, where);
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'var':
      return Object.hasOwn(vars, e.name) && vars[e.name] !== undefined ? vars[e.name] : new Undef(e.name, e.col);
    case 'member': {
      const obj = value(e.object, vars, where);
      const key = ev(e.key);
      const base = obj instanceof Undef ? obj.name : describeExpr(e.object);
      if (obj instanceof Undef) return new Undef(keyName(base, key), obj.col);
      const v = member(obj, key);
      return v === undefined ? new Undef(keyName(base, key), e.col) : v;
    }
    case 'list':
      return e.items.map(ev);
    case 'not':
      return !truthy(ev(e.operand));
    case 'neg': {
      const v = ev(e.operand);
      if (typeof v !== 'number') fail(where, e.col, `cannot negate a ${typeName(v)}`);
      return -v;
    }
    case 'logic': {
      const l = ev(e.left);
      if (e.op === 'and') return truthy(l) ? ev(e.right) : l;
      return truthy(l) ? l : ev(e.right);
    }
    case 'compare':
      return compare(e.op, ev(e.left), ev(e.right), where, e.col);
    case 'test':
      return test(e, vars, where) !== e.negated;
    case 'filter':
      return filter(e, vars, where);
    default:
      return assertNever(e, 'condition node');
  }
}

function describeExpr(e: ConditionExpr): string {
  if (e.kind === 'var') return e.name;
  if (e.kind === 'member' && e.key.kind === 'literal') return keyName(describeExpr(e.object), e.key.value);
  return 'value';
}

function compare(op: CompareOp, l: unknown, r: unknown, where: string, col: number): boolean {
  switch (op) {
    case '==':
      return deepEqual(l, r);
    case '!=':
      return !deepEqual(l, r);
    case 'in':
    case 'not in': {
      let found: boolean;
      if (Array.isArray(r)) found = r.some((x) => deepEqual(x, l));
      else if (typeof r === 'string') {
        if (typeof l !== 'string') fail(where, col, `'in <string>' requires a string on the left, got a ${typeName(l)}`);
        found = r.includes(l);
      } else if (r !== null && typeof r === 'object') found = (typeof l === 'string' || typeof l === 'number') && Object.hasOwn(r, String(l));
      else fail(where, col, `'${op}' needs a list, string or dict on the right, got a ${typeName(r)}`);
      return op === 'in' ? found : !found;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const ok = (typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string');
      if (!ok) fail(where, col, `cannot compare a ${typeName(l)} (${pyStr(l)}) with a ${typeName(r)} (${pyStr(r)}) using '${op}'; convert with |int or |string`);
      const a = l as number | string;
      const b = r as number | string;
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
    default:
      return assertNever(op, 'comparison');
  }
}

function test(e: ConditionExpr & { kind: 'test' }, vars: Vars, where: string): boolean {
  if (e.test === 'defined') return !(value(e.operand, vars, where) instanceof Undef);
  if (e.test === 'undefined') return value(e.operand, vars, where) instanceof Undef;
  const v = need(e.operand, vars, where);
  if (e.test === 'none') return v === null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    fail(where, e.col, `'is ${e.test}' expects a registered task result (a dict), got a ${typeName(v)}`);
  }
  const r = v as Record<string, unknown>;
  switch (e.test) {
    case 'changed':
      return truthy(r['changed']);
    case 'failed':
      return truthy(r['failed']);
    case 'succeeded':
    case 'success':
      return !truthy(r['failed']);
    case 'skipped':
      return truthy(r['skipped']);
    default:
      return assertNever(e.test, 'test');
  }
}

/** Ansible's bool filter: yes/on/1/true (any case) and 1 are true. */
function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y'].includes(v.trim().toLowerCase());
  return false;
}

function toInt(v: unknown, fallback: number): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(v)) return Math.trunc(Number(v));
  return fallback;
}

function filter(e: ConditionExpr & { kind: 'filter' }, vars: Vars, where: string): unknown {
  const f = e.filter;
  if (f === 'default' || f === 'd') {
    const v = value(e.operand, vars, where);
    const alsoFalsy = e.args[1] ? truthy(need(e.args[1], vars, where)) : false;
    return v instanceof Undef || (alsoFalsy && !truthy(v)) ? need(e.args[0]!, vars, where) : v;
  }
  const v = need(e.operand, vars, where);
  switch (f) {
    case 'bool':
      return toBool(v);
    case 'int': {
      const fb = e.args[0] ? need(e.args[0], vars, where) : 0;
      return toInt(v, typeof fb === 'number' ? fb : 0);
    }
    case 'length':
    case 'count':
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (v !== null && typeof v === 'object') return Object.keys(v).length;
      return fail(where, e.col, `'${f}' needs a string, list or dict, got a ${typeName(v)}`);
    case 'lower':
      return pyStr(v).toLowerCase();
    case 'upper':
      return pyStr(v).toUpperCase();
    case 'trim':
      return pyStr(v).trim();
    case 'string':
      return pyStr(v);
    default:
      return assertNever(f, 'filter');
  }
}
