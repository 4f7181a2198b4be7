// Filter and test dispatch. The engine owns the ones that must see undefined-ness (default/d,
// mandatory, defined/undefined) and Ansible's task-result tests; all others are plain
// functions from runner/render/filters (FILTERS-CONTRACT.md), called with plain JS values.
import { FILTERS, FilterError, TESTS } from '../filters/index.js';
import { type Ctx, EvalError, need } from './context.js';
import { Undef, isDict, pyType, truthy } from './py.js';

/** `ansible.builtin.to_json` and `community.general.x` resolve to the short name. */
export function shortName(name: string): string {
  const m = /^[A-Za-z_]\w*\.[A-Za-z_]\w*\.(\w+)$/.exec(name);
  return m ? m[1]! : name;
}

const ENGINE_FILTERS = new Set(['default', 'd', 'mandatory']);
const RESULT_TESTS = new Set(['changed', 'change', 'failed', 'failure', 'succeeded', 'success', 'successful', 'skipped', 'skip', 'finished', 'started']);
const ENGINE_TESTS = new Set(['defined', 'undefined', 'none', ...RESULT_TESTS]);

export function isKnownFilter(name: string): boolean {
  const s = shortName(name);
  return ENGINE_FILTERS.has(s) || Object.hasOwn(FILTERS, s);
}

export function isKnownTest(name: string): boolean {
  const s = shortName(name);
  return ENGINE_TESTS.has(s) || Object.hasOwn(TESTS, s);
}

function call<T>(name: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof FilterError) throw new EvalError(err.message.startsWith(name) ? err.message : `${name}: ${err.message}`);
    if (err instanceof RangeError) throw new EvalError(`${name}: ${err.message}`);
    throw err;
  }
}

export function applyFilter(name: string, operand: unknown, args: unknown[], kwargs: Record<string, unknown>, c: Ctx): unknown {
  const f = shortName(name);
  if (f === 'default' || f === 'd') {
    const dflt = args.length > 0 ? args[0] : 'default_value' in kwargs ? kwargs['default_value'] : '';
    const alsoFalsy = truthy(need(args.length > 1 ? args[1] : kwargs['boolean'] ?? false, c));
    if (operand instanceof Undef) return dflt;
    return alsoFalsy && !truthy(operand) ? dflt : operand;
  }
  if (f === 'mandatory') {
    if (operand instanceof Undef) {
      const msg = args[0] ?? kwargs['msg'];
      throw new EvalError(typeof msg === 'string' ? msg : `mandatory variable '${operand.name}' is not defined`);
    }
    return operand;
  }
  const fn = FILTERS[f];
  if (!fn) throw new EvalError(`unknown filter '${name}'`);
  const value = need(operand, c);
  const plainArgs = args.map((a) => need(a, c));
  const plainKw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) plainKw[k] = need(v, c);
  return call(f, () => fn(value, plainArgs, plainKw));
}

export function applyTest(name: string, operand: unknown, args: unknown[], c: Ctx): boolean {
  const t = shortName(name);
  if (t === 'defined') return !(operand instanceof Undef);
  if (t === 'undefined') return operand instanceof Undef;
  const v = need(operand, c);
  if (t === 'none') return v === null;
  if (RESULT_TESTS.has(t)) {
    if (!isDict(v)) throw new EvalError(`'is ${t}' expects a registered task result (a dict), got ${pyType(v)}`);
    switch (t) {
      case 'changed': case 'change': return truthy(v['changed']);
      case 'failed': case 'failure': return truthy(v['failed']);
      case 'skipped': case 'skip': return truthy(v['skipped']);
      case 'finished': return !v['ansible_job_id'] || truthy(v['finished']);
      case 'started': return !v['ansible_job_id'] || truthy(v['started']);
      default: return !truthy(v['failed']);
    }
  }
  const fn = TESTS[t];
  if (!fn) throw new EvalError(`unknown test '${name}'`);
  return call(t, () => fn(v, args.map((a) => need(a, c))));
}
