// Parsing with @huggingface/jinja's parser (an AST, no code generation, no eval) over the tokens
// of our lexer. Errors get the line/col of the token the parser stopped at (recorded through a
// read-only view of the token array) and words a playbook author knows, not parser internals.
import { parse as libParse } from '@huggingface/jinja';
import { JinjaSyntaxError, SENTINEL, TEST_PREFIX, lex, type LexOptions, type Pos, type Tok } from './lexer.js';

// The AST shapes of the library (its classes are not exported; these mirror src/ast.ts).
export type Node =
  | { type: 'Program'; body: Node[] }
  | { type: 'If'; test: Node; body: Node[]; alternate: Node[] }
  | { type: 'For'; loopvar: Node; iterable: Node; body: Node[]; defaultBlock: Node[] }
  | { type: 'Break' } | { type: 'Continue' }
  | { type: 'Set'; assignee: Node; value: Node | null; body: Node[] }
  | { type: 'Macro'; name: { type: 'Identifier'; value: string }; args: Node[]; body: Node[] }
  | { type: 'Comment'; value: string }
  | { type: 'MemberExpression'; object: Node; property: Node; computed: boolean }
  | { type: 'CallExpression'; callee: Node; args: Node[] }
  | { type: 'Identifier'; value: string }
  | { type: 'IntegerLiteral' | 'FloatLiteral'; value: number }
  | { type: 'StringLiteral'; value: string }
  | { type: 'ArrayLiteral' | 'TupleLiteral'; value: Node[] }
  | { type: 'ObjectLiteral'; value: Map<Node, Node> }
  | { type: 'BinaryExpression'; operator: Tok; left: Node; right: Node }
  | { type: 'FilterExpression'; operand: Node; filter: Node }
  | { type: 'FilterStatement'; filter: Node; body: Node[] }
  | { type: 'SelectExpression'; lhs: Node; test: Node }
  | { type: 'TestExpression'; operand: Node; negate: boolean; test: Node }
  | { type: 'UnaryExpression'; operator: Tok; argument: Node }
  | { type: 'SliceExpression'; start?: Node; stop?: Node; step?: Node }
  | { type: 'KeywordArgumentExpression'; key: { type: 'Identifier'; value: string }; value: Node }
  | { type: 'SpreadExpression' | 'KeywordSpreadExpression'; argument: Node }
  | { type: 'CallStatement'; call: Node; callerArgs: Node[] | null; body: Node[] }
  | { type: 'Ternary'; condition: Node; trueExpr: Node; falseExpr: Node };

export type NodeOf<T extends Node['type']> = Extract<Node, { type: T }>;

export interface Parsed {
  body: Node[];
  tokens: Tok[];
  pos: Pos[];
}

const NAMES: Record<string, string> = {
  Text: 'text', OpenExpression: "'{{'", CloseExpression: "'}}'", OpenStatement: "'{%'", CloseStatement: "'%}'",
  OpenParen: "'('", CloseParen: "')'", OpenSquareBracket: "'['", CloseSquareBracket: "']'", OpenCurlyBracket: "'{'",
  CloseCurlyBracket: "'}'", Comma: "','", Dot: "'.'", Colon: "':'", Pipe: "'|'", Equals: "'='",
};

function describe(t: Tok | undefined, endWord: string): string {
  if (!t) return endWord;
  if (t.type === 'Identifier') return t.value.startsWith(TEST_PREFIX) ? `test '${t.value.split(':')[1]}'` : `'${t.value}'`;
  if (t.type === 'StringLiteral') return `string ${JSON.stringify(t.value)}`;
  if (t.type === 'NumericLiteral') return `number ${t.value}`;
  if (t.type === 'Text') return 'text';
  return NAMES[t.type] ?? `'${t.value}'`;
}

const UNSUPPORTED = new Set(['extends', 'block', 'with', 'autoescape', 'do', 'trans']);

/** Parses a token stream; syntax errors become JinjaSyntaxError at the offending token. */
export function parseTokens(tokens: Tok[], pos: Pos[], endWord = 'end of template'): Node[] {
  let last = 0;
  const view = new Proxy(tokens, {
    get(target, prop, recv) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) last = Number(prop);
      return Reflect.get(target, prop, recv);
    },
  });
  try {
    return (libParse(view as never) as unknown as { body: Node[] }).body;
  } catch (err) {
    if (err instanceof RangeError) throw new JinjaSyntaxError('expression nested too deeply', pos[0]?.line ?? 1, pos[0]?.col ?? 1);
    const t = tokens[last];
    const p = pos[Math.min(last, pos.length - 1)] ?? { line: 1, col: 1 };
    const msg = (err as Error).message ?? '';
    if (!t) throw new JinjaSyntaxError(`unexpected ${endWord}`, p.line, p.col);
    // a condition's closing `}}` is ours: its column minus one is the end of the condition text
    if (last === tokens.length - 1 && endWord === 'end of condition') throw new JinjaSyntaxError(`unexpected ${endWord}`, p.line, p.col - 1);
    const stmt = /^Unknown statement type: (\w+)/.exec(msg);
    if (stmt) {
      const what = UNSUPPORTED.has(stmt[1]!) ? `{% ${stmt[1]} %} is not supported` : `unknown tag {% ${stmt[1]} %}`;
      throw new JinjaSyntaxError(what, p.line, p.col);
    }
    const exp = /Expected (closing|opening) (expression|statement)/.exec(msg) ?? /Expected closing (parenthesis|square bracket)/.exec(msg);
    if (exp) {
      const want = exp[2] === 'expression' ? "'}}'" : exp[2] === 'statement' ? "'%}'" : exp[1] === 'parenthesis' ? "')'" : "']'";
      throw new JinjaSyntaxError(`expected ${want}, found ${describe(t, endWord)}`, p.line, p.col);
    }
    const ident = /^Expected (\w+)$/.exec(msg);
    if (ident) throw new JinjaSyntaxError(`expected '${ident[1]}', found ${describe(t, endWord)}`, p.line, p.col);
    if (/identifier for the (test|filter)/.test(msg)) throw new JinjaSyntaxError(`expected a filter or test name, found ${describe(t, endWord)}`, p.line, p.col);
    throw new JinjaSyntaxError(`unexpected ${describe(t, endWord)}`, p.line, p.col);
  }
}

const MAX_CACHE = 5000;
const cache = new Map<string, Parsed | JinjaSyntaxError>();

/** Lexes and parses a template (cached by text and options). Throws JinjaSyntaxError. */
export function parseTemplate(text: string, opts: LexOptions): Parsed {
  const key = `${opts.trimBlocks ? 1 : 0}${opts.lstripBlocks ? 1 : 0}${opts.rawStrings ? 1 : 0}${opts.base ? `${opts.base.line}:${opts.base.col}` : ''}\0${text}`;
  const hit = cache.get(key);
  if (hit instanceof JinjaSyntaxError) throw hit;
  if (hit) return hit;
  let out: Parsed | JinjaSyntaxError;
  try {
    const { tokens, pos } = lex(text, opts);
    out = { body: parseTokens(tokens, pos), tokens, pos };
  } catch (err) {
    if (!(err instanceof JinjaSyntaxError)) throw err;
    out = err;
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, out);
  if (out instanceof JinjaSyntaxError) throw out;
  return out;
}

/** Parses one bare expression (a condition). Columns count from the condition's first character. */
export function parseExpression(text: string, colBase = 0): Parsed {
  const key = `expr${colBase}\0${text}`;
  const hit = cache.get(key);
  if (hit instanceof JinjaSyntaxError) throw hit;
  if (hit) return hit;
  let out: Parsed | JinjaSyntaxError;
  try {
    const { tokens, pos } = lex(`{{ ${text}${SENTINEL}}}`, { trimBlocks: false, lstripBlocks: false, condition: true, base: { line: 1, col: colBase - 2 } });
    if (tokens.length <= 2) throw new JinjaSyntaxError('empty condition', 1, 1);
    const closeAt = tokens.findIndex((t, k) => k > 0 && (t.type === 'CloseExpression' || t.type === 'OpenExpression' || t.type === 'Text'));
    if (closeAt !== tokens.length - 1) {
      const p = pos[closeAt]!;
      throw new JinjaSyntaxError(closeAt < 0 ? 'unexpected end of condition' : `unexpected ${describe(tokens[closeAt], '')} in a condition`, p.line, p.col);
    }
    const body = parseTokens(tokens, pos, 'end of condition');
    if (body.length !== 1) throw new JinjaSyntaxError('expected one expression', 1, 1);
    out = { body, tokens, pos };
  } catch (err) {
    if (!(err instanceof JinjaSyntaxError)) throw err;
    const m = /^expected '\}\}', found (.*)$/.exec(err.message);
    out = m ? new JinjaSyntaxError(`unexpected ${m[1]} after a complete expression`, err.line, err.col) : err;
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, out);
  if (out instanceof JinjaSyntaxError) throw out;
  return out;
}
