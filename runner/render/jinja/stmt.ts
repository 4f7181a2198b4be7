// Statements: text, {{ }} output, if, for (loop.*, else, inline filter), set (also block set and
// namespace attributes), macro, filter blocks, break/continue. Output is charged to the budget.
import { MAX_TEMPLATE_NESTING, charge } from '../limits.js';
import { type Ctx, EvalError, Scope, need } from './context.js';
import { evalArgs, evalExpr, getItem } from './expr.js';
import { nestedError } from './include.js';
import { showNumber } from './floats.js';
import { applyFilter } from './filters.js';
import type { Node, NodeOf } from './parse.js';
import { Callable, SoftUndef, Undef, isDict, pyStr, pyType, truthy } from './py.js';

class BreakSignal {}
class ContinueSignal {}

/** Text shown for a value in output: None is empty (Ansible's finalize), the rest is str(). */
export function show(v: unknown): string {
  return v === null ? '' : pyStr(v);
}

export function renderBody(body: Node[], c: Ctx): string {
  let out = '';
  for (const n of body) out += renderNode(n, c);
  return out;
}

function renderNode(n: Node, c: Ctx): string {
  switch (n.type) {
    case 'Comment':
      return '';
    case 'If':
      return renderBody(truthy(need(evalExpr(n.test, c), c)) ? n.body : n.alternate, c);
    case 'For':
      return renderFor(n, c);
    case 'Set':
      setStatement(n, c);
      return '';
    case 'Macro':
      c.scope.set(n.name.value, macro(n, c));
      return '';
    case 'FilterStatement': {
      const text = renderBody(n.body, c);
      const f = n.filter;
      const name = f.type === 'Identifier' ? f.value : f.type === 'CallExpression' && f.callee.type === 'Identifier' ? f.callee.value : '';
      const [args, kwargs] = f.type === 'CallExpression' ? evalArgs(f.args, c) : [[], {}];
      return out(c, show(need(applyFilter(name, text, args, kwargs, c), c)));
    }
    case 'Break':
      throw new BreakSignal();
    case 'Continue':
      throw new ContinueSignal();
    case 'CallStatement':
      return callBlock(n, c);
    default: {
      const v = evalExpr(n, c);
      if (typeof v === 'number') return out(c, showNumber(c, n, v) ?? show(v));
      return v instanceof SoftUndef ? '' : out(c, show(need(v, c)));
    }
  }
}

function out(c: Ctx, text: string): string {
  charge(c.budget, text.length);
  return text;
}

function iterate(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  throw new EvalError(`cannot loop over ${what}: it is ${pyType(v)}, not a list, dict or string`);
}

function assign(target: Node, value: unknown, scope: Scope, c: Ctx): void {
  if (target.type === 'Identifier') return scope.set(target.value, value);
  if (target.type === 'TupleLiteral' || target.type === 'ArrayLiteral') {
    const items = iterate(need(value, c), 'a value to unpack');
    if (items.length !== target.value.length) throw new EvalError(`cannot unpack ${items.length} values into ${target.value.length} names`);
    target.value.forEach((t, k) => assign(t, items[k], scope, c));
    return;
  }
  if (target.type === 'MemberExpression' && !target.computed && target.property.type === 'Identifier') {
    const ns = need(evalExpr(target.object, c), c);
    if (!isDict(ns) || !NAMESPACES.has(ns)) throw new EvalError('only a namespace() may have attributes set ({% set ns.x = ... %})');
    ns[target.property.value] = value;
    return;
  }
  throw new EvalError(`cannot assign to ${target.type}`);
}

/** Objects made by namespace(): the only values a template may change. */
export const NAMESPACES = new WeakSet<object>();

function setStatement(n: NodeOf<'Set'>, c: Ctx): void {
  const value = n.value ? evalExpr(n.value, c) : renderBody(n.body, c);
  assign(n.assignee, value, c.scope, c);
}

function renderFor(n: NodeOf<'For'>, c: Ctx): string {
  let source = n.iterable;
  let cond: Node | undefined;
  if (source.type === 'SelectExpression') {
    cond = source.test;
    source = source.lhs;
  }
  let items = iterate(need(evalExpr(source, c), c), 'the loop source');
  const outer = c.scope;
  if (cond) {
    const test = cond;
    items = items.filter((it) => {
      const s = new Scope(outer);
      assign(n.loopvar, it, s, c);
      c.scope = s;
      try {
        return truthy(need(evalExpr(test, c), c));
      } finally {
        c.scope = outer;
      }
    });
  }
  if (items.length === 0) return renderBody(n.defaultBlock, c);
  let text = '';
  const length = items.length;
  try {
    for (let k = 0; k < length; k++) {
      const s = new Scope(outer);
      const loop = {
        index: k + 1, index0: k, revindex: length - k, revindex0: length - k - 1, first: k === 0, last: k === length - 1,
        length, depth: 1, depth0: 0, previtem: k > 0 ? items[k - 1] : null, nextitem: k < length - 1 ? items[k + 1] : null,
        cycle: new Callable('loop.cycle', (args) => args[k % Math.max(args.length, 1)]),
        changed: new Callable('loop.changed', () => true),
      };
      s.set('loop', loop);
      assign(n.loopvar, items[k], s, c);
      c.scope = s;
      charge(c.budget, 1);
      try {
        text += renderBody(n.body, c);
      } catch (err) {
        if (err instanceof ContinueSignal) continue;
        if (err instanceof BreakSignal) break;
        throw err;
      } finally {
        c.scope = outer;
      }
    }
  } finally {
    c.scope = outer;
  }
  return text;
}

function macro(n: NodeOf<'Macro'>, c: Ctx): Callable {
  const defScope = c.scope;
  const defFile = c.file;
  const names = n.args.map((p) => (p.type === 'Identifier' ? p.value : p.type === 'KeywordArgumentExpression' ? p.key.value : ''));
  return new Callable(n.name.value, (args, kwargs) => {
    if (c.depth >= MAX_TEMPLATE_NESTING) throw new EvalError(`macro calls nested more than ${MAX_TEMPLATE_NESTING} deep`);
    const s = new Scope(defScope);
    const saved = c.scope;
    c.scope = s;
    c.depth++;
    try {
      // defaults are evaluated at call time, seeing the parameters before them (as Jinja does)
      n.args.forEach((p, k) => {
        const name = names[k]!;
        if (k < args.length) s.set(name, args[k]);
        else if (Object.hasOwn(kwargs, name)) s.set(name, kwargs[name]);
        else if (p.type === 'KeywordArgumentExpression') s.set(name, evalExpr(p.value, c));
        else s.set(name, new Undef(name, `macro '${n.name.value}' was called without its parameter '${name}'`));
      });
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(kwargs)) if (!names.includes(k) && k !== 'caller') extra[k] = v;
      s.set('varargs', args.slice(names.length));
      s.set('kwargs', extra);
      if (Object.hasOwn(kwargs, 'caller')) s.set('caller', kwargs['caller']);
      const callerFile = c.file;
      c.file = defFile;
      try {
        return renderBody(n.body, c);
      } catch (err) {
        throw defFile && defFile !== callerFile ? nestedError(defFile, err) : err;
      } finally {
        c.file = callerFile;
      }
    } finally {
      c.depth--;
      c.scope = saved;
    }
  });
}

function calleeOf(n: Node, c: Ctx): unknown {
  if (n.type !== 'Identifier' || !n.value.includes('.')) return evalExpr(n, c);
  const [head, ...rest] = n.value.split('.');
  let v = evalExpr({ type: 'Identifier', value: head! }, c);
  let path = head!;
  for (const k of rest) {
    v = getItem(v, k, path, true);
    path += `.${k}`;
  }
  return v;
}

/** {% call m(args) %}body{% endcall %}: m runs with caller() rendering the body (in the caller's scope). */
function callBlock(n: NodeOf<'CallStatement'>, c: Ctx): string {
  const call = n.call as NodeOf<'CallExpression'>;
  const fn = need(calleeOf(call.callee, c), c);
  if (!(fn instanceof Callable)) throw new EvalError(`{% call %} needs a macro, got ${pyType(fn)}`);
  const [args, kwargs] = evalArgs(call.args, c);
  const here = c.scope;
  const params = (n.callerArgs ?? []).map((p) => (p.type === 'Identifier' ? p.value : p.type === 'KeywordArgumentExpression' ? p.key.value : ''));
  const caller = new Callable('caller', (cargs, ckw) => {
    const s = new Scope(here);
    params.forEach((name, k) => {
      const p = n.callerArgs![k]!;
      if (k < cargs.length) s.set(name, cargs[k]);
      else if (Object.hasOwn(ckw, name)) s.set(name, ckw[name]);
      else if (p.type === 'KeywordArgumentExpression') s.set(name, evalExpr(p.value, c));
    });
    const saved = c.scope;
    c.scope = s;
    try {
      return renderBody(n.body, c);
    } finally {
      c.scope = saved;
    }
  });
  return out(c, show(need(fn.call(args.map((a) => need(a, c)), { ...kwargs, caller }), c)));
}
