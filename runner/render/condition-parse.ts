// Tokenizer and recursive-descent parser for `when:`-style expressions (a Jinja subset).
// No eval, no Function: the result is a plain AST that condition.ts walks.
//
//   or      := and ('or' and)*
//   and     := not ('and' not)*
//   not     := 'not' not | compare
//   compare := unary (('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not' 'in') unary)*   (chains like Python)
//   unary   := '-' unary | postfix
//   postfix := primary ('.' name | '[' or ']')* ('|' filter ['(' args ')'] | 'is' ['not'] test)*
//   primary := name | string | number | true/false/True/False | none/None | '[' list ']' | '(' or ')'

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
export const TESTS = ['defined', 'undefined', 'none', 'changed', 'failed', 'succeeded', 'success', 'skipped'] as const;
export type TestName = (typeof TESTS)[number];
/** Filter name -> [min args, max args]. `d` is Jinja's alias of `default`, `count` of `length`. */
export const FILTERS = { bool: [0, 0], int: [0, 1], length: [0, 0], count: [0, 0], lower: [0, 0], upper: [0, 0], trim: [0, 0], default: [1, 2], d: [1, 2], string: [0, 0] } as const;
export type FilterName = keyof typeof FILTERS;

export type ConditionExpr =
  | { kind: 'literal'; value: string | number | boolean | null; col: number }
  | { kind: 'var'; name: string; col: number }
  | { kind: 'member'; object: ConditionExpr; key: ConditionExpr; col: number }
  | { kind: 'list'; items: ConditionExpr[]; col: number }
  | { kind: 'not'; operand: ConditionExpr; col: number }
  | { kind: 'neg'; operand: ConditionExpr; col: number }
  | { kind: 'logic'; op: 'and' | 'or'; left: ConditionExpr; right: ConditionExpr; col: number }
  | { kind: 'compare'; op: CompareOp; left: ConditionExpr; right: ConditionExpr; col: number }
  | { kind: 'test'; operand: ConditionExpr; test: TestName; negated: boolean; col: number }
  | { kind: 'filter'; operand: ConditionExpr; filter: FilterName; args: ConditionExpr[]; col: number };

type Tok = { t: 'name' | 'num' | 'str' | 'op' | 'eof'; v: string; col: number; num?: number };

/** A parse failure at a 1-based column of the text given to parse(). */
export class ConditionSyntaxError extends Error {
  constructor(message: string, readonly col: number) {
    super(message);
  }
}

const OPS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ',', '.', '|', '-'];

export function tokenize(text: string, base = 0): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const col = base + i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      out.push({ t: 'name', v: m, col });
      i += m.length;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i))![0];
      if (/[A-Za-z_]/.test(text[i + m.length] ?? '')) throw new ConditionSyntaxError(`invalid number '${m}${text[i + m.length]}'`, col);
      out.push({ t: 'num', v: m, col, num: Number(m) });
      i += m.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const e = text[j + 1]!;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else s += text[j++];
      }
      if (j >= text.length) throw new ConditionSyntaxError('unterminated string', col);
      out.push({ t: 'str', v: s, col });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ConditionSyntaxError(`unexpected character '${c}'`, col);
    out.push({ t: 'op', v: op, col });
    i += op.length;
  }
  out.push({ t: 'eof', v: '', col: base + text.length + 1 });
  return out;
}

const CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is']);

/** Parses a whole expression; `base` shifts reported columns (for a stripped `{{ }}`). */
/** Parentheses, lists, `not` and `-` may nest this deep (docs/templating.md, "Limits"). */
export const MAX_CONDITION_NESTING = 100;

export function parse(text: string, base = 0): ConditionExpr {
  const toks = tokenize(text, base);
  let pos = 0;
  let depth = 0;
  const nested = <T>(col: number, f: () => T): T => {
    if (++depth > MAX_CONDITION_NESTING) throw new ConditionSyntaxError(`nested more than ${MAX_CONDITION_NESTING} levels deep`, col);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const peek = (): Tok => toks[pos]!;
  const next = (): Tok => toks[pos++]!;
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;
  const isWord = (v: string) => peek().t === 'name' && peek().v === v;
  const describe = (t: Tok) => (t.t === 'eof' ? 'end of condition' : `'${t.v}'`);
  const expect = (v: string) => {
    if (!isOp(v)) throw new ConditionSyntaxError(`expected '${v}', found ${describe(peek())}`, peek().col);
    next();
  };

  const orExpr = (): ConditionExpr => nested(peek().col, orChain);
  const orChain = (): ConditionExpr => {
    let left = andExpr();
    while (isWord('or')) {
      const col = next().col;
      left = { kind: 'logic', op: 'or', left, right: andExpr(), col };
    }
    return left;
  };
  const andExpr = (): ConditionExpr => {
    let left = notExpr();
    while (isWord('and')) {
      const col = next().col;
      left = { kind: 'logic', op: 'and', left, right: notExpr(), col };
    }
    return left;
  };
  const notExpr = (): ConditionExpr => {
    if (isWord('not')) {
      const col = next().col;
      return { kind: 'not', operand: nested(col, notExpr), col };
    }
    return compare();
  };
  const compareOp = (): CompareOp | undefined => {
    const t = peek();
    if (t.t === 'op' && CMP.has(t.v)) return next().v as CompareOp;
    if (isWord('in')) return next(), 'in';
    if (isWord('not') && toks[pos + 1]?.t === 'name' && toks[pos + 1]!.v === 'in') return (pos += 2), 'not in';
    return undefined;
  };
  const compare = (): ConditionExpr => {
    const first = unary();
    let result: ConditionExpr | undefined;
    let left = first;
    for (;;) {
      const col = peek().col;
      const op = compareOp();
      if (!op) break;
      const right = unary();
      const cmp: ConditionExpr = { kind: 'compare', op, left, right, col };
      result = result ? { kind: 'logic', op: 'and', left: result, right: cmp, col } : cmp;
      left = right;
    }
    return result ?? first;
  };
  const unary = (): ConditionExpr => {
    if (isOp('-')) {
      const col = next().col;
      return { kind: 'neg', operand: nested(col, unary), col };
    }
    return postfix();
  };
  const postfix = (): ConditionExpr => {
    let node = primary();
    for (;;) {
      if (isOp('.')) {
        next();
        const t = next();
        if (t.t !== 'name' && t.t !== 'num') throw new ConditionSyntaxError(`expected a key after '.', found ${describe(t)}`, t.col);
        node = { kind: 'member', object: node, key: { kind: 'literal', value: t.t === 'num' ? t.num! : t.v, col: t.col }, col: t.col };
      } else if (isOp('[')) {
        const col = next().col;
        const key = orExpr();
        expect(']');
        node = { kind: 'member', object: node, key, col };
      } else break;
    }
    for (;;) {
      if (isOp('|')) {
        next();
        const t = next();
        if (t.t !== 'name') throw new ConditionSyntaxError(`expected a filter name after '|', found ${describe(t)}`, t.col);
        if (!Object.hasOwn(FILTERS, t.v)) throw new ConditionSyntaxError(`unknown filter '${t.v}' (known: ${Object.keys(FILTERS).join(', ')})`, t.col);
        const filter = t.v as FilterName;
        const args = isOp('(') ? callArgs() : [];
        const [min, max] = FILTERS[filter];
        if (args.length < min || args.length > max) throw new ConditionSyntaxError(`filter '${filter}' takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`, t.col);
        node = { kind: 'filter', operand: node, filter, args, col: t.col };
      } else if (isWord('is')) {
        next();
        const negated = isWord('not') ? (next(), true) : false;
        const t = next();
        if (t.t !== 'name' || !(TESTS as readonly string[]).includes(t.v)) {
          throw new ConditionSyntaxError(`unknown test ${describe(t)} after 'is' (known: ${TESTS.join(', ')})`, t.col);
        }
        node = { kind: 'test', operand: node, test: t.v as TestName, negated, col: t.col };
      } else break;
    }
    return node;
  };
  const callArgs = (): ConditionExpr[] => {
    expect('(');
    const args: ConditionExpr[] = [];
    while (!isOp(')')) {
      args.push(orExpr());
      if (!isOp(')')) expect(',');
    }
    next();
    return args;
  };
  const primary = (): ConditionExpr => {
    const t = next();
    if (t.t === 'num') return { kind: 'literal', value: t.num!, col: t.col };
    if (t.t === 'str') return { kind: 'literal', value: t.v, col: t.col };
    if (t.t === 'op' && t.v === '(') {
      const e = orExpr();
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: ConditionExpr[] = [];
      while (!isOp(']')) {
        items.push(orExpr());
        if (!isOp(']')) expect(',');
      }
      next();
      return { kind: 'list', items, col: t.col };
    }
    if (t.t === 'name' && !KEYWORDS.has(t.v)) {
      if (t.v === 'true' || t.v === 'True') return { kind: 'literal', value: true, col: t.col };
      if (t.v === 'false' || t.v === 'False') return { kind: 'literal', value: false, col: t.col };
      if (t.v === 'none' || t.v === 'None') return { kind: 'literal', value: null, col: t.col };
      if (isOp('(')) throw new ConditionSyntaxError(`function calls are not supported ('${t.v}(...)')`, t.col);
      return { kind: 'var', name: t.v, col: t.col };
    }
    throw new ConditionSyntaxError(`expected a value, found ${describe(t)}`, t.col);
  };

  const expr = orExpr();
  if (peek().t !== 'eof') throw new ConditionSyntaxError(`unexpected ${describe(peek())} after a complete expression`, peek().col);
  return expr;
}
