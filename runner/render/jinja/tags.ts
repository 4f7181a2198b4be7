// {% include %}, {% import %} and {% from ... import %}, which @huggingface/jinja's parser does not
// know, rewritten into forms it does: calls of engine functions whose names (starting with NUL)
// no template can write.
//   {% include X [ignore missing] [with|without context] %}  -> {{ \0include(X, ignore, ctx) }}
//   {% import X as m [with context] %}                       -> {% set m = \0import(X, ctx) %}
//   {% from X import a as b, c [with context] %}             -> {% set b, c = \0from(X, ['a', 'c'], ctx) %}
import type { Pos, Tok, TokType } from './tokens.js';

export const INCLUDE_FN = '\0include';
export const IMPORT_FN = '\0import';
export const FROM_FN = '\0from';

type Fail = (msg: string, at: Pos) => never;

const isId = (t: Tok | undefined, v: string) => t?.type === 'Identifier' && t.value === v;

/** Strips `[ignore missing] [with|without context]` from the end of body; returns the flags. */
function modifiers(body: Tok[], bp: Pos[], allowIgnore: boolean): { ignore: boolean; context: boolean | undefined } {
  let context: boolean | undefined;
  let ignore = false;
  const n = body.length;
  if (n >= 2 && isId(body[n - 1], 'context') && (isId(body[n - 2], 'with') || isId(body[n - 2], 'without'))) {
    context = body[n - 2]!.value === 'with';
    body.splice(n - 2), bp.splice(n - 2);
  }
  const m = body.length;
  if (allowIgnore && m >= 2 && isId(body[m - 1], 'missing') && isId(body[m - 2], 'ignore')) {
    ignore = true;
    body.splice(m - 2), bp.splice(m - 2);
  }
  return { ignore, context };
}

/** Index of the last top-level identifier `word` in body, or -1. */
function lastTopLevel(body: Tok[], word: string): number {
  let depth = 0;
  let found = -1;
  body.forEach((t, k) => {
    if (t.type === 'OpenParen' || t.type === 'OpenSquareBracket' || t.type === 'OpenCurlyBracket') depth++;
    else if (t.type === 'CloseParen' || t.type === 'CloseSquareBracket' || t.type === 'CloseCurlyBracket') depth--;
    else if (depth === 0 && isId(t, word)) found = k;
  });
  return found;
}

/** In place: rewrites the statement whose tokens start at `first` (after `{%`, ending with `%}`). */
export function rewriteTags(tokens: Tok[], pos: Pos[], first: number, fail: Fail): void {
  const head = tokens[first];
  if (head?.type === 'Identifier' && head.value === 'call') return dottedCallee(tokens, pos, first + 1);
  if (head?.type !== 'Identifier' || !['include', 'import', 'from'].includes(head.value)) return;
  const open = pos[first - 1]!;
  const at = pos[first]!;
  const close = pos.at(-1)!;
  const body = tokens.slice(first + 1, -1);
  const bp = pos.slice(first + 1, -1);
  const out: Array<[string, TokType, Pos]> = [];
  const t = (value: string, type: TokType, p: Pos = at) => out.push([value, type, p]);
  const expr = (toks: Tok[], ps: Pos[]) => toks.forEach((x, k) => t(x.value, x.type, ps[k]!));
  const bool = (b: boolean) => t(b ? 'true' : 'false', 'Identifier');
  const what = `{% ${head.value} %}`;
  if (head.value === 'include') {
    const { ignore, context } = modifiers(body, bp, true);
    if (!body.length) fail(`${what} needs a template name`, at);
    t('{{', 'OpenExpression', open), t(INCLUDE_FN, 'Identifier'), t('(', 'OpenParen');
    expr(body, bp);
    t(',', 'Comma'), bool(ignore), t(',', 'Comma'), bool(context ?? true), t(')', 'CloseParen'), t('}}', 'CloseExpression', close);
  } else if (head.value === 'import') {
    const { context } = modifiers(body, bp, false);
    const as = lastTopLevel(body, 'as');
    if (as < 1 || as !== body.length - 2 || body[as + 1]?.type !== 'Identifier') fail(`expected {% import 'file' as name %}`, at);
    t('{%', 'OpenStatement', open), t('set', 'Identifier'), t(body[as + 1]!.value, 'Identifier', bp[as + 1]), t('=', 'Equals');
    t(IMPORT_FN, 'Identifier'), t('(', 'OpenParen');
    expr(body.slice(0, as), bp.slice(0, as));
    t(',', 'Comma'), bool(context ?? false), t(')', 'CloseParen'), t('%}', 'CloseStatement', close);
  } else {
    const { context } = modifiers(body, bp, false);
    const imp = lastTopLevel(body, 'import');
    if (imp < 1) fail(`expected {% from 'file' import name %}`, at);
    const names: Array<{ name: string; as: string; at: Pos }> = [];
    let k = imp + 1;
    while (k < body.length) {
      if (body[k]?.type !== 'Identifier') fail(`expected a name to import in ${what}`, bp[k] ?? at);
      const name = body[k]!.value;
      let alias = name;
      k++;
      if (isId(body[k], 'as')) {
        if (body[k + 1]?.type !== 'Identifier') fail(`expected a name after 'as' in ${what}`, bp[k] ?? at);
        alias = body[k + 1]!.value;
        k += 2;
      }
      names.push({ name, as: alias, at: bp[k - 1]! });
      if (k < body.length && body[k]!.type !== 'Comma') fail(`expected ',' between the names of ${what}`, bp[k]!);
      k++;
    }
    if (!names.length) fail(`${what} imports no name`, at);
    t('{%', 'OpenStatement', open), t('set', 'Identifier');
    names.forEach((x, j) => {
      if (j) t(',', 'Comma');
      t(x.as, 'Identifier', x.at);
    });
    t('=', 'Equals'), t(FROM_FN, 'Identifier'), t('(', 'OpenParen');
    expr(body.slice(0, imp), bp.slice(0, imp));
    t(',', 'Comma'), t('[', 'OpenSquareBracket');
    names.forEach((x, j) => {
      if (j) t(',', 'Comma');
      t(x.name, 'StringLiteral', x.at);
    });
    t(']', 'CloseSquareBracket'), t(',', 'Comma'), bool(context ?? false), t(')', 'CloseParen'), t('%}', 'CloseStatement', close);
  }
  tokens.splice(first - 1), pos.splice(first - 1);
  for (const [value, type, p] of out) tokens.push({ value, type }), pos.push(p);
}

/** The parser wants an identifier after {% call %}: `m.wrap(...)` becomes the one name `m.wrap` (callBlock splits it). */
function dottedCallee(tokens: Tok[], pos: Pos[], k: number): void {
  if (tokens[k]?.type === 'OpenParen') {
    let depth = 0;
    for (; k < tokens.length; k++) {
      if (tokens[k]!.type === 'OpenParen') depth++;
      else if (tokens[k]!.type === 'CloseParen' && --depth === 0) break;
    }
    k++;
  }
  if (tokens[k]?.type !== 'Identifier') return;
  let name = tokens[k]!.value;
  let e = k;
  while (tokens[e + 1]?.type === 'Dot' && tokens[e + 2]?.type === 'Identifier') {
    name += '.' + tokens[e + 2]!.value;
    e += 2;
  }
  if (e === k) return;
  tokens.splice(k, e - k + 1, { value: name, type: 'Identifier' });
  pos.splice(k + 1, e - k);
}

export interface TemplateDep {
  kind: 'include' | 'import';
  /** The names tried in order; undefined when the name is computed at render time. */
  names: string[] | undefined;
  ignoreMissing: boolean;
  withContext: boolean;
  line: number;
  col: number;
}

/** The templates a lexed template includes or imports, read from the rewritten tokens. */
export function depsOfTokens(tokens: Tok[], pos: Pos[]): TemplateDep[] {
  const out: TemplateDep[] = [];
  tokens.forEach((t, k) => {
    if (t.type !== 'Identifier' || (t.value !== INCLUDE_FN && t.value !== IMPORT_FN && t.value !== FROM_FN)) return;
    let depth = 0;
    let end = k + 1;
    for (; end < tokens.length; end++) {
      const x = tokens[end]!.type;
      if (x === 'OpenParen' || x === 'OpenSquareBracket' || x === 'OpenCurlyBracket') depth++;
      else if ((x === 'CloseParen' || x === 'CloseSquareBracket' || x === 'CloseCurlyBracket') && --depth === 0) break;
    }
    const include = t.value === INCLUDE_FN;
    const flags = tokens.slice(end - (include ? 3 : 1), end).filter((x) => x.type === 'Identifier').map((x) => x.value === 'true');
    // the name expression: up to the first top-level comma
    let stop = k + 2;
    for (let d = 0; stop < end; stop++) {
      const x = tokens[stop]!.type;
      if (x === 'OpenParen' || x === 'OpenSquareBracket' || x === 'OpenCurlyBracket') d++;
      else if (x === 'CloseParen' || x === 'CloseSquareBracket' || x === 'CloseCurlyBracket') d--;
      else if (x === 'Comma' && d === 0) break;
    }
    const expr = tokens.slice(k + 2, stop);
    let names: string[] | undefined;
    if (expr.length === 1 && expr[0]!.type === 'StringLiteral') names = [expr[0]!.value];
    else if (expr.length >= 2 && expr[0]!.type === 'OpenSquareBracket' && expr.at(-1)!.type === 'CloseSquareBracket') {
      const inner = expr.slice(1, -1);
      if (inner.every((x, j) => (j % 2 === 0 ? x.type === 'StringLiteral' : x.type === 'Comma'))) names = inner.filter((x) => x.type === 'StringLiteral').map((x) => x.value);
    }
    out.push({ kind: include ? 'include' : 'import', names, ignoreMissing: include && flags[0] === true, withContext: include ? flags[1] !== false : flags[0] === true, line: pos[k]!.line, col: pos[k]!.col });
  });
  return out;
}
