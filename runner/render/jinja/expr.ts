// Expression evaluation over the parsed AST, with Python/Jinja semantics on plain JS values.
// Nothing here evaluates text: strings that variables hold are data, whatever they contain.
import { charge } from '../limits.js';
import { type Ctx, EvalError, chargeText, need } from './context.js';
import { applyFilter, applyTest } from './filters.js';
import { TEST_PREFIX } from './lexer.js';
import { methodOf } from './methods.js';
import { markFilter } from './floats.js';
import type { Node, NodeOf } from './parse.js';
import { Callable, SoftUndef, Undef, isDict, pyEq, pyRepr, pyStr, pyType, truthy } from './py.js';

const CONSTANTS: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null };

export function keyName(base: string, key: unknown): string {
  return typeof key === 'string' && /^[A-Za-z_]\w*$/.test(key) ? `${base}.${key}` : `${base}[${typeof key === 'string' ? pyRepr(key) : pyStr(key)}]`;
}

function describe(n: Node): string {
  if (n.type === 'Identifier') return n.value;
  if (n.type === 'MemberExpression' && !n.computed) return keyName(describe(n.object), n.property.type === 'Identifier' ? n.property.value : (n.property as unknown as { value: number }).value);
  if (n.type === 'MemberExpression' && (n.property.type === 'StringLiteral' || n.property.type === 'IntegerLiteral')) return keyName(describe(n.object), n.property.value);
  return 'value';
}

/** obj[key] / obj.key: a missing key is Undef (Ansible: chained undefined), not an error. */
export function getItem(obj: unknown, key: unknown, base: string, attr: boolean): unknown {
  const name = keyName(base, key);
  if (obj instanceof Undef) return new Undef(keyName(obj.name, key));
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (typeof key === 'number' && Number.isInteger(key)) {
      const i = key < 0 ? obj.length + key : key;
      return i >= 0 && i < obj.length ? obj[i] : new Undef(name, `undefined variable '${name}' (index ${key} out of range)`);
    }
  } else if (isDict(obj)) {
    const k = typeof key === 'string' ? key : pyStr(key);
    if (Object.hasOwn(obj, k) && obj[k] !== undefined) return obj[k];
  }
  if (attr && typeof key === 'string') {
    const m = methodOf(obj, key);
    if (m) return new Callable(key, m);
  }
  return new Undef(name);
}

function slice(obj: unknown, n: NodeOf<'SliceExpression'>, c: Ctx): unknown {
  const seq = need(obj, c);
  if (!Array.isArray(seq) && typeof seq !== 'string') throw new EvalError(`cannot slice a ${pyType(seq)}`);
  const num = (x: Node | undefined) => (x ? need(evalExpr(x, c), c) : undefined);
  const [start, stop, step] = [num(n.start), num(n.stop), num(n.step)] as Array<number | undefined | null>;
  const len = seq.length;
  const st = step ?? 1;
  if (st === 0) throw new EvalError('slice step cannot be zero');
  const norm = (v: number | undefined | null, dflt: number) => (v === undefined || v === null ? dflt : v < 0 ? Math.max(len + v, st < 0 ? -1 : 0) : Math.min(v, st < 0 ? len - 1 : len));
  const a = norm(start, st > 0 ? 0 : len - 1);
  const b = norm(stop, st > 0 ? len : -1);
  const items = typeof seq === 'string' ? [...seq] : seq;
  const out: unknown[] = [];
  for (let k = a; st > 0 ? k < b : k > b; k += st) out.push(items[k]);
  return typeof seq === 'string' ? out.join('') : out;
}

export function evalArgs(nodes: Node[], c: Ctx): [unknown[], Record<string, unknown>] {
  const args: unknown[] = [];
  const kwargs: Record<string, unknown> = {};
  for (const a of nodes) {
    if (a.type === 'KeywordArgumentExpression') kwargs[a.key.value] = evalExpr(a.value, c);
    else if (a.type === 'SpreadExpression') {
      const v = need(evalExpr(a.argument, c), c);
      if (!Array.isArray(v)) throw new EvalError(`*args needs a list, got ${pyType(v)}`);
      args.push(...v);
    } else if (a.type === 'KeywordSpreadExpression') {
      const v = need(evalExpr(a.argument, c), c);
      if (!isDict(v)) throw new EvalError(`**kwargs needs a dict, got ${pyType(v)}`);
      Object.assign(kwargs, v);
    } else args.push(evalExpr(a, c));
  }
  return [args, kwargs];
}

export function evalExpr(n: Node, c: Ctx): unknown {
  switch (n.type) {
    case 'StringLiteral':
    case 'IntegerLiteral':
    case 'FloatLiteral':
      return n.value;
    case 'ArrayLiteral':
    case 'TupleLiteral':
      return n.value.map((x) => need(evalExpr(x, c), c));
    case 'ObjectLiteral': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of n.value) out[pyStr(need(evalExpr(k, c), c))] = need(evalExpr(v, c), c);
      return out;
    }
    case 'Identifier': {
      if (Object.hasOwn(CONSTANTS, n.value)) return CONSTANTS[n.value];
      const v = c.scope.lookup(n.value);
      if (v !== undefined) return v;
      if (Object.hasOwn(c.globals, n.value)) return c.globals[n.value];
      return new Undef(n.value);
    }
    case 'MemberExpression': {
      const obj = evalExpr(n.object, c);
      if (n.property.type === 'SliceExpression') return slice(obj, n.property, c);
      const k = n.computed ? evalExpr(n.property, c) : undefined;
      // an undefined key gives an undefined value (x[missing] | default('d') works), not an error
      if (k instanceof Undef) return new Undef(`${describe(n.object)}[${k.name}]`);
      const key = n.computed ? k : n.property.type === 'Identifier' ? n.property.value : (n.property as unknown as { value: number }).value;
      return getItem(obj, key, describe(n.object), !n.computed);
    }
    case 'CallExpression': {
      const fn = need(evalExpr(n.callee, c), c);
      if (!(fn instanceof Callable)) throw new EvalError(`'${describe(n.callee)}' is not callable (it is a ${pyType(fn)})`);
      const [args, kwargs] = evalArgs(n.args, c);
      return chargeText(c, fn.call(args.map((a) => need(a, c)), kwargs));
    }
    case 'BinaryExpression':
      return binary(n, c);
    case 'UnaryExpression': {
      const v = need(evalExpr(n.argument, c), c);
      if (n.operator.value === 'not') return !truthy(v);
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new EvalError(`bad operand type for unary ${n.operator.value}: '${pyType(v)}'`);
      return n.operator.value === '-' ? -Number(v) : Number(v);
    }
    case 'FilterExpression': {
      const f = n.filter;
      const name = f.type === 'Identifier' ? f.value : f.type === 'CallExpression' && f.callee.type === 'Identifier' ? f.callee.value : '';
      const [args, kwargs] = f.type === 'CallExpression' ? evalArgs(f.args, c) : [[], {}];
      const operand = evalExpr(n.operand, c);
      if (name.startsWith(TEST_PREFIX)) {
        const negated = name.startsWith(`${TEST_PREFIX}not:`);
        return applyTest(name.slice(name.indexOf(':') + 1), operand, args, c) !== negated;
      }
      const result = applyFilter(name, operand, args, kwargs, c);
      if (typeof result === 'number') markFilter(c, n, name, n.operand, operand, args, kwargs);
      return chargeText(c, result);
    }
    case 'TestExpression':
      return applyTest(n.test.type === 'Identifier' ? n.test.value : '', evalExpr(n.operand, c), [], c) !== n.negate;
    case 'SelectExpression':
      return truthy(need(evalExpr(n.test, c), c)) ? evalExpr(n.lhs, c) : new SoftUndef('(inline if without else)', 'an inline if without else was false: its value is undefined');
    case 'Ternary':
      return truthy(need(evalExpr(n.condition, c), c)) ? evalExpr(n.trueExpr, c) : evalExpr(n.falseExpr, c);
    default:
      throw new EvalError(`unexpected ${n.type} in an expression`);
  }
}

const numeric = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';

function unsupported(op: string, l: unknown, r: unknown): never {
  throw new EvalError(`unsupported operand types for ${op}: '${pyType(l)}' and '${pyType(r)}'`);
}

export function contains(container: unknown, item: unknown, op: string): boolean {
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new EvalError(`'in <string>' requires a string on the left, got ${pyType(item)}`);
    return container.includes(item);
  }
  if (isDict(container)) return (typeof item === 'string' || typeof item === 'number') && Object.hasOwn(container, String(item));
  throw new EvalError(`'${op}' needs a list, string or dict on the right, got ${pyType(container)}`);
}

function compare(op: string, l: unknown, r: unknown): boolean {
  let a: unknown = l;
  let b: unknown = r;
  if (numeric(a) && numeric(b)) [a, b] = [Number(a), Number(b)];
  else if (Array.isArray(a) && Array.isArray(b)) {
    const k = a.findIndex((x, i) => i >= (b as unknown[]).length || !pyEq(x, (b as unknown[])[i]));
    if (k < 0) return compare(op, a.length, b.length);
    if (k >= b.length) return compare(op, 1, 0);
    return compare(op, a[k], b[k]);
  } else if (!(typeof a === 'string' && typeof b === 'string')) {
    throw new EvalError(`cannot compare ${pyType(l)} (${pyStr(l)}) with ${pyType(r)} (${pyStr(r)}) using '${op}'; convert with | int or | string`);
  }
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

function repeat<T>(c: Ctx, times: unknown, unit: number, make: (n: number) => T): T {
  const n = Math.max(0, Math.trunc(Number(times)));
  charge(c.budget, n * unit);
  return make(n);
}

const CMP = new Set(['==', '!=', '<', '<=', '>', '>=', 'in', 'not in']);

function compareOnce(op: string, l: unknown, r: unknown): boolean {
  switch (op) {
    case '==': return pyEq(l, r);
    case '!=': return !pyEq(l, r);
    case 'in': return contains(r, l, op);
    case 'not in': return !contains(r, l, op);
    default: return compare(op, l, r);
  }
}

/** `1 < n < 10` is `1 < n and n < 10`, as in Python (the parser nests it as `(1 < n) < 10`). */
function chain(n: NodeOf<'BinaryExpression'>, c: Ctx): { ok: boolean; right: unknown } {
  let l: unknown;
  if (n.left.type === 'BinaryExpression' && CMP.has(n.left.operator.value)) {
    const inner = chain(n.left, c);
    if (!inner.ok) return inner;
    l = inner.right;
  } else l = need(evalExpr(n.left, c), c);
  const r = need(evalExpr(n.right, c), c);
  return { ok: compareOnce(n.operator.value, l, r), right: r };
}

function binary(n: NodeOf<'BinaryExpression'>, c: Ctx): unknown {
  const op = n.operator.value;
  if (CMP.has(op)) return chain(n, c).ok;
  if (op === 'and' || op === 'or') {
    const l = need(evalExpr(n.left, c), c);
    if (op === 'and') return truthy(l) ? need(evalExpr(n.right, c), c) : l;
    return truthy(l) ? l : need(evalExpr(n.right, c), c);
  }
  const l = need(evalExpr(n.left, c), c);
  const r = need(evalExpr(n.right, c), c);
  switch (op) {
    case '~': return chargeText(c, pyStr(l) + pyStr(r));
    case '+':
      if (numeric(l) && numeric(r)) return Number(l) + Number(r);
      if (typeof l === 'string' && typeof r === 'string') return chargeText(c, l + r);
      if (Array.isArray(l) && Array.isArray(r)) return chargeText(c, [...l, ...r]);
      return unsupported(op, l, r);
    case '-':
      if (numeric(l) && numeric(r)) return Number(l) - Number(r);
      return unsupported(op, l, r);
    case '*':
      if (numeric(l) && numeric(r)) return Number(l) * Number(r);
      if (typeof l === 'string' && numeric(r)) return repeat(c, r, l.length, (k) => l.repeat(k));
      if (numeric(l) && typeof r === 'string') return repeat(c, l, r.length, (k) => r.repeat(k));
      if (Array.isArray(l) && numeric(r)) return repeat(c, r, l.length, (k) => Array.from({ length: k }, () => l).flat());
      return unsupported(op, l, r);
    case '/': case '//': case '%': {
      if (op === '%' && typeof l === 'string') return chargeText(c, percentFormat(l, r));
      if (!numeric(l) || !numeric(r)) return unsupported(op, l, r);
      const [a, b] = [Number(l), Number(r)];
      if (b === 0) throw new EvalError(op === '/' ? 'division by zero' : 'integer division or modulo by zero');
      if (op === '/') return a / b;
      if (op === '//') return Math.floor(a / b);
      return ((a % b) + b) % b;
    }
    case '**':
      if (numeric(l) && numeric(r)) return Number(l) ** Number(r);
      return unsupported(op, l, r);
    default:
      throw new EvalError(`unknown operator '${op}'`);
  }
}

/** Python's 'text %s' % value (and a tuple of values): %s %d %i %r %f %%. */
function percentFormat(fmt: string, arg: unknown): string {
  const args = Array.isArray(arg) ? arg : [arg];
  let k = 0;
  const out = fmt.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([sdirf%])/g, (_m, flags: string, conv: string) => {
    if (conv === '%') return '%';
    if (k >= args.length) throw new EvalError('not enough arguments for format string');
    const v = args[k++];
    const prec = /\.(\d+)/.exec(flags)?.[1];
    const width = Number(/^[-+ 0#]*(\d+)/.exec(flags)?.[1] ?? 0);
    let s = conv === 's' ? pyStr(v) : conv === 'r' ? pyRepr(v) : conv === 'f' ? Number(v).toFixed(prec === undefined ? 6 : Number(prec)) : String(Math.trunc(Number(v)));
    if (s.length < width) s = flags.includes('-') ? s.padEnd(width) : s.padStart(width, flags.includes('0') && conv !== 's' ? '0' : ' ');
    return s;
  });
  if (k < args.length && !(Array.isArray(arg) === false && k === 1)) throw new EvalError('not all arguments converted during string formatting');
  return out;
}
