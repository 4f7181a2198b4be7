// Python semantics of plain JS values, as Jinja under Ansible shows them: str(), repr(),
// truthiness, equality, type names in messages. Undefined is a value of its own (Undef).

/** An undefined value: a missing variable, key or index, with the path that led to it. */
export class Undef {
  constructor(readonly name: string, readonly hint?: string) {}
}

/** Jinja's plain Undefined (an inline if without else that is false): shows as '' in output. */
export class SoftUndef extends Undef {}

/** A callable value: macros, globals, bound methods. */
export class Callable {
  constructor(readonly name: string, readonly call: (args: unknown[], kwargs: Record<string, unknown>) => unknown) {}
}

/** Python truthiness: None, False, 0, '', [] and {} are false. Undef is handled by the caller. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Callable) return true;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

export function isDict(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Undef) && !(v instanceof Callable);
}

/** Python ==: structural; True == 1 as in Python, 1 == '1' is false. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (typeof a === 'number' && typeof b === 'boolean') return a === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ak = Object.keys(a);
    return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && pyEq(a[k], b[k]));
  }
  return false;
}

/** Python type names, for messages. */
export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Callable) return 'function';
  if (v instanceof Undef) return 'undefined';
  return 'dict';
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/** Python repr() of a string: single quotes unless the text has ' and no ". */
export function reprStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

/** Python repr(). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return reprStr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDict(v)) return `{${Object.entries(v).map(([k, x]) => `${reprStr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return pyStr(v);
}

/** Python str(): True, None, lists and dicts as repr. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return num(v);
  if (v instanceof Callable) return `<function ${v.name}>`;
  if (v instanceof Undef) return '';
  return pyRepr(v);
}
