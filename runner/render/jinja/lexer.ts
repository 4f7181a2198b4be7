// Jinja lexer with positions. It produces the token stream @huggingface/jinja's parser reads
// (same {value, type} shape), and does what that library's lexer does not: {% raw %}, Jinja's
// own trim_blocks/lstrip_blocks/{%+ rules, Python string escapes (unknown ones kept), block
// balance with "unclosed {% if %}" errors, and a nesting limit. Tests (`x is t(a)`) and dotted
// filter names (`x | ansible.builtin.to_json`) are rewritten into filter form, which the
// library's parser supports: the evaluator tells them apart by the prefix TEST_PREFIX.
import { MAX_TEMPLATE_NESTING } from '../limits.js';
import { rewriteTests } from './rewrite.js';
import { rewriteTags } from './tags.js';
import { SENTINEL, type Pos, type Tok, type TokType } from './tokens.js';

export { SENTINEL, TEST_PREFIX, type Pos, type Tok, type TokType } from './tokens.js';

export interface LexOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  /** Backslashes in string literals inside {{ }} are literal (Ansible doubles them in YAML values). */
  rawStrings?: boolean;
  /** Line and column of the first character (conditions are lexed inside a `{{ }}` of our own). */
  base?: Pos;
  /** A condition: the text is `{{` + expression + SENTINEL + `}}`; the sentinel marks its end. */
  condition?: boolean;
}

export class JinjaSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly col: number) {
    super(message);
  }
}

const OPS: Array<[string, TokType]> = [
  ['**', 'ExponentiationBinaryOperator'], ['//', 'MultiplicativeBinaryOperator'],
  ['<=', 'ComparisonBinaryOperator'], ['>=', 'ComparisonBinaryOperator'], ['==', 'ComparisonBinaryOperator'], ['!=', 'ComparisonBinaryOperator'],
  ['<', 'ComparisonBinaryOperator'], ['>', 'ComparisonBinaryOperator'],
  ['(', 'OpenParen'], [')', 'CloseParen'], ['[', 'OpenSquareBracket'], [']', 'CloseSquareBracket'], ['{', 'OpenCurlyBracket'], ['}', 'CloseCurlyBracket'],
  [',', 'Comma'], ['.', 'Dot'], [':', 'Colon'], ['|', 'Pipe'], ['=', 'Equals'],
  ['+', 'AdditiveBinaryOperator'], ['-', 'AdditiveBinaryOperator'], ['~', 'AdditiveBinaryOperator'],
  ['*', 'MultiplicativeBinaryOperator'], ['/', 'MultiplicativeBinaryOperator'], ['%', 'MultiplicativeBinaryOperator'],
];
const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', '0': '\0', "'": "'", '"': '"', '\\': '\\' };
const BLOCKS: Record<string, string> = { if: 'endif', for: 'endfor', macro: 'endmacro', call: 'endcall', filter: 'endfilter', set: 'endset' };
const MIDDLE: Record<string, string[]> = { elif: ['if'], else: ['if', 'for'] };
const CLOSE_OF: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export interface Lexed {
  tokens: Tok[];
  pos: Pos[];
}

export function lex(src: string, opts: LexOptions): Lexed {
  const tokens: Tok[] = [];
  const pos: Pos[] = [];
  const stack: Array<{ name: string; at: Pos }> = [];
  const base = opts.base ?? { line: 1, col: 1 };
  const lineStarts = [0];
  for (let k = 0; k < src.length; k++) if (src[k] === '\n') lineStarts.push(k + 1);
  const at = (offset: number): Pos => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = base.line + lo;
    return { line, col: (lo === 0 ? base.col : 1) + offset - lineStarts[lo]! };
  };
  const fail = (msg: string, offset: number): never => {
    const p = at(offset);
    throw new JinjaSyntaxError(msg, p.line, p.col);
  };
  const push = (value: string, type: TokType, offset: number) => {
    tokens.push({ value, type });
    pos.push(at(offset));
  };
  const stripLastText = () => {
    const last = tokens.at(-1);
    if (last?.type === 'Text') {
      last.value = last.value.replace(/\s+$/, '');
      if (last.value === '') tokens.pop(), pos.pop();
    }
  };
  const lstrip = () => {
    const last = tokens.at(-1);
    if (last?.type !== 'Text') return;
    const m = /(^|\n)[ \t]*$/.exec(last.value);
    if (m) last.value = last.value.slice(0, m.index + m[1]!.length);
    if (last.value === '' ) tokens.pop(), pos.pop();
  };

  let i = 0;
  const n = src.length;
  while (i < n) {
    // Text up to the next tag.
    let j = i;
    for (;;) {
      j = src.indexOf('{', j);
      if (j < 0 || j + 1 >= n) { j = n; break; }
      const c = src[j + 1];
      if (c === '{' || c === '%' || c === '#') break;
      j++;
    }
    if (j > i) push(src.slice(i, j), 'Text', i);
    if (j >= n) break;
    const kind = src[j + 1]!;
    const sign = src[j + 2];
    const tagStart = j;
    if (sign === '-') stripLastText();
    else if (kind !== '{' && sign !== '+' && opts.lstripBlocks) lstrip();
    i = j + 2 + (sign === '-' || (sign === '+' && kind !== '{') ? 1 : 0);

    if (kind === '#') {
      const end = src.indexOf('#}', i);
      if (end < 0) fail('unclosed comment ({# without #})', tagStart);
      const dash = src[end - 1] === '-' && end - 1 >= i;
      i = end + 2;
      i = afterTag(src, i, dash, opts.trimBlocks && src[end - 1] !== '+');
      continue;
    }
    // {% raw %}: everything up to {% endraw %} is text.
    const raw = kind === '%' ? /^\s*raw\s*(-?)%\}/.exec(src.slice(i, i + 64)) : null;
    if (raw) {
      let k = i + raw[0].length;
      const endRe = /\{%(-?)\s*endraw\s*([-+]?)%\}/g;
      endRe.lastIndex = k;
      const m = endRe.exec(src);
      if (!m) fail('unclosed {% raw %} (no {% endraw %})', tagStart);
      if (raw[1] === '-') while (k < m!.index && /\s/.test(src[k]!)) k++;
      let body = src.slice(k, m!.index);
      if (m![1] === '-') body = body.replace(/\s+$/, '');
      if (body) push(body, 'Text', k);
      i = afterTag(src, m!.index + m![0].length, m![2] === '-', opts.trimBlocks && m![2] !== '+');
      continue;
    }
    const closer = kind === '{' ? '}}' : '%}';
    push(kind === '{' ? '{{' : '{%', kind === '{' ? 'OpenExpression' : 'OpenStatement', tagStart);
    const first = tokens.length;
    const brackets: Array<{ c: string; at: number }> = [];
    let closed = false;
    while (i < n) {
      const c = src[i]!;
      if (/\s/.test(c)) { i++; continue; }
      if (c === SENTINEL && opts.condition) {
        if (brackets.length) fail(`unclosed '${brackets.at(-1)!.c}'`, brackets.at(-1)!.at);
        i++;
        continue;
      }
      if (brackets.length === 0 && (src.startsWith(closer, i) || (c === '-' && src.startsWith(closer, i + 1)) || (c === '+' && kind === '%' && src.startsWith(closer, i + 1)))) {
        const dash = c === '-';
        const plus = c === '+';
        const endAt = i;
        i += closer.length + (dash || plus ? 1 : 0);
        push(closer, kind === '{' ? 'CloseExpression' : 'CloseStatement', endAt);
        if (kind === '%') {
          checkBlock(tokens, pos, first, stack, fail, endAt);
          rewriteTags(tokens, pos, first, (msg, p) => {
            throw new JinjaSyntaxError(msg, p.line, p.col);
          });
        }
        i = afterTag(src, i, dash, kind === '%' && opts.trimBlocks && !plus);
        closed = true;
        break;
      }
      if (c === "'" || c === '"') {
        const start = i;
        let s = '';
        i++;
        while (i < n && src[i] !== c) {
          if (src[i] === '\\' && i + 1 < n) {
            const e = src[i + 1]!;
            if (opts.rawStrings && kind === '{') {
              s += e === c ? e : '\\' + e;
              i += 2;
              continue;
            }
            if (e === 'x' || e === 'u' || e === 'U') {
              const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
              const hex = src.slice(i + 2, i + 2 + len);
              if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`invalid \\${e} escape in string`, i);
              s += String.fromCodePoint(parseInt(hex, 16));
              i += 2 + len;
              continue;
            }
            if (e === '\n') { i += 2; continue; }
            s += ESC[e] ?? '\\' + e; // Python keeps unknown escapes such as \d
            i += 2;
            continue;
          }
          s += src[i++];
        }
        if (i >= n) fail('unterminated string', start);
        i++;
        push(s, 'StringLiteral', start);
        continue;
      }
      if (/[0-9]/.test(c)) {
        const m = /^(?:[0-9][0-9_]*)(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i, i + 400))!;
        if (/[A-Za-z_]/.test(src[i + m[0].length] ?? '')) fail(`invalid number '${m[0]}${src[i + m[0].length]}'`, i);
        const prev = tokens.at(-1);
        // `x.0.1` is two subscripts, not a float
        const text = prev?.type === 'Dot' ? /^[0-9]+/.exec(m[0])![0] : m[0];
        push(text.replace(/_/g, ''), 'NumericLiteral', i);
        i += text.length;
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 400))!;
        push(m[0], 'Identifier', i);
        i += m[0].length;
        continue;
      }
      const op = OPS.find(([o]) => src.startsWith(o, i));
      if (!op) fail(`unexpected character '${c}'`, i);
      const [o, type] = op!;
      if (o in CLOSE_OF) {
        brackets.push({ c: o, at: i });
        if (brackets.length > MAX_TEMPLATE_NESTING) fail(`brackets nested more than ${MAX_TEMPLATE_NESTING} deep`, i);
      } else if (o === ')' || o === ']' || o === '}') {
        const top = brackets.pop();
        if (!top) fail(`unexpected '${o}'`, i);
        if (CLOSE_OF[top!.c] !== o && src.startsWith(closer, i)) fail(`unclosed '${top!.c}'`, top!.at);
        if (CLOSE_OF[top!.c] !== o) fail(`expected '${CLOSE_OF[top!.c]}' to close the '${top!.c}' at ${fmt(at(top!.at))}, found '${o}'`, i);
      }
      push(o, type, i);
      i += o.length;
    }
    if (!closed) {
      if (brackets.length) fail(`unclosed '${brackets.at(-1)!.c}'`, brackets.at(-1)!.at);
      fail(`unclosed '${kind === '{' ? '{{' : '{%'}' (no '${closer}')`, tagStart);
    }
    rewriteTests(tokens, pos, first);
  }
  if (stack.length) {
    const top = stack.at(-1)!;
    throw new JinjaSyntaxError(`unclosed {% ${top.name} %} (no {% ${BLOCKS[top.name]} %})`, top.at.line, top.at.col);
  }
  return { tokens, pos };
}

const fmt = (p: Pos) => `line ${p.line}, col ${p.col}`;

/** After a closing tag: `-` strips all whitespace, trim_blocks one newline. */
function afterTag(src: string, i: number, dash: boolean, trim: boolean): number {
  if (dash) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  } else if (trim) {
    if (src[i] === '\n') i++;
    else if (src[i] === '\r' && src[i + 1] === '\n') i += 2;
  }
  return i;
}

function checkBlock(tokens: Tok[], pos: Pos[], first: number, stack: Array<{ name: string; at: Pos }>, fail: (m: string, o: number) => never, endAt: number): void {
  const head = tokens[first];
  const at = pos[first - 1]!;
  if (head?.type !== 'Identifier') return; // the parser reports it
  const name = head.value;
  if (name === 'set' && tokens.slice(first, -1).some((t) => t.type === 'Equals')) return;
  if (Object.hasOwn(BLOCKS, name)) {
    stack.push({ name, at });
    if (stack.length > MAX_TEMPLATE_NESTING) throw new JinjaSyntaxError(`blocks nested more than ${MAX_TEMPLATE_NESTING} deep`, at.line, at.col);
    return;
  }
  const top = stack.at(-1);
  if (Object.hasOwn(MIDDLE, name)) {
    if (!top || !MIDDLE[name]!.includes(top.name)) throw new JinjaSyntaxError(`{% ${name} %} outside of ${MIDDLE[name]!.map((b) => `{% ${b} %}`).join(' or ')}`, at.line, at.col);
    return;
  }
  if (name.startsWith('end')) {
    const opener = name.slice(3);
    if (!top) throw new JinjaSyntaxError(`{% ${name} %} without {% ${opener} %}`, at.line, at.col);
    if (BLOCKS[top.name] !== name) throw new JinjaSyntaxError(`expected {% ${BLOCKS[top.name]} %} for the {% ${top.name} %} at ${fmt(top.at)}, found {% ${name} %}`, at.line, at.col);
    stack.pop();
  }
  void fail; void endAt;
}
