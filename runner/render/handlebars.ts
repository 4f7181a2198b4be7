// Handlebars, for .hbs template files only (YAML values, conditions and .j2 files are Jinja:
// ./jinja/). An isolated instance, no HTML escaping, and strictness done here
// rather than with Handlebars' `strict` option, so that `default`/`defined` can see an
// undefined variable. Each parsed template is rewritten before compiling:
//   {{x.y}}            -> {{__show (__strict x.y "x.y" line col)}}
//   {{json x 2}}       -> {{__show (json (__strict x "x" ..) 2)}}
//   {{default x "d"}}  -> x is left unchecked (also for `defined`)
//   {{#each xs}}       -> {{#each (__strict xs "xs" ..)}}
// __strict throws on undefined; __show formats a value into text (lists/dicts as JSON).
// Every render carries a budget (limits.ts): inserted text, helper results and loop iterations
// are charged to it, and blocks nest at most MAX_TEMPLATE_NESTING deep.
import Handlebars from 'handlebars';
import { RenderError } from '../errors.js';
import type { Vars } from '../types.js';
import { BLOCK_HELPERS, HELPERS, HelperError, LENIENT_FIRST_ARG, isHelperName } from './helpers.js';
import { MAX_TEMPLATE_NESTING, RenderLimitError, charge, newBudget, type RenderBudget } from './limits.js';
import { showValue } from './values.js';
import { VarRefError, varError } from './var-errors.js';


type Program = hbs.AST.Program;
type Expr = hbs.AST.Expression;
type Path = hbs.AST.PathExpression;
type Loc = hbs.AST.SourceLocation;

/** A variable used by a template is undefined. */
class UndefinedVar extends Error {}

/** A variable used by a template has no value because its own resolution failed. */
class BrokenVar extends Error {}

/** A template that cannot be turned into a render function (syntax, unknown helper). */
export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly line?: number, readonly col?: number) {
    super(message);
  }
}

type Data = { budget?: RenderBudget; root?: object; capture?: { value: unknown } };
const budgetOf = (options: unknown): RenderBudget | undefined => ((options as Handlebars.HelperOptions | undefined)?.data as Data | undefined)?.budget;

const hb = Handlebars.create();
for (const [name, fn] of Object.entries(HELPERS)) {
  hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
    const out = fn(...args.slice(0, -1));
    if (typeof out === 'string') charge(budgetOf(args.at(-1)), out.length);
    return out;
  });
}
hb.registerHelper('__strict', (value: unknown, name: string, line: number, col: number, options: Handlebars.HelperOptions) => {
  if (value === undefined) {
    const head = name.replace(/^(\.\.\/)+/, '').replace(/^this\./, '').split(/[./[]/)[0] ?? name;
    const root = (options.data as Data | undefined)?.root;
    const why = root ? varError(root, head) : undefined;
    if (why !== undefined) throw new BrokenVar(why);
    throw new UndefinedVar(`undefined variable '${name}' (template line ${line}, col ${col})`);
  }
  return value;
});
hb.registerHelper('__show', (value: unknown, options: Handlebars.HelperOptions) => {
  const text = showValue(value);
  charge(budgetOf(options), text.length);
  return text;
});
// Loops multiply their body: each iteration's output is charged ({{#list}} over an array uses `each` too).
const builtinEach = hb.helpers['each'] as Handlebars.HelperDelegate;
hb.registerHelper('each', function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
  const budget = budgetOf(options);
  const fn = options.fn;
  const counted = Object.assign((ctx: unknown, o?: Handlebars.RuntimeOptions) => {
    const text = fn(ctx, o);
    charge(budget, text.length);
    return text;
  }, fn);
  return builtinEach.call(this, context, { ...options, fn: counted });
});
hb.registerHelper('__capture', (value: unknown, options: Handlebars.HelperOptions) => {
  (options.data as { capture: { value: unknown } }).capture.value = value;
  return '';
});
hb.registerHelper('__section', function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
  return (hb.helpers['blockHelperMissing'] as Handlebars.HelperDelegate).call(this, value, options);
});
hb.unregisterHelper('log');

const TOKEN_NAMES: Record<string, string> = {
  INVALID: 'character',
  EOF: 'end of template (unclosed {{ or block?)',
  CLOSE_BLOCK_PARAMS: "'|' (Jinja filters are not supported; use helpers)",
  NUMBER: 'number (use x.[0] for list items)',
  CLOSE: "'}}'",
  OPEN: "'{{'",
};

type Mode = 'show' | 'capture';
const MAX_CACHE = 5000;
const cache = { show: new Map<string, Handlebars.TemplateDelegate>(), capture: new Map<string, Handlebars.TemplateDelegate>() };

/** Parses, with syntax errors as TemplateSyntaxError carrying 1-based line and col. */
export function parseTemplate(text: string): Program {
  try {
    return hb.parseWithoutProcessing(text);
  } catch (err) {
    const e = err as Error & { lineNumber?: number; column?: number };
    const first = (e.message.split('\n')[0] ?? e.message).replace(/ - \d+:\d+$/, '');
    if (typeof e.lineNumber === 'number') throw new TemplateSyntaxError(first, e.lineNumber, (e.column ?? 0) + 1);
    const lexer = (Handlebars as unknown as { Parser: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser.lexer;
    const at = lexer?.yylloc;
    const got = (e.message.match(/got '([^']+)'/) ?? [])[1];
    const detail = got ? `: unexpected ${TOKEN_NAMES[got] ?? `'${got}'`}` : /Lexical/.test(e.message) ? ': unrecognized text' : '';
    throw new TemplateSyntaxError(`template syntax error${detail}`, at?.first_line, at ? at.first_column + 1 : undefined);
  }
}

function compiled(text: string, mode: Mode): Handlebars.TemplateDelegate {
  const hit = cache[mode].get(text);
  if (hit) return hit;
  const ast = rewrite(parseTemplate(text), mode);
  const fn = hb.compile(ast, { noEscape: true, strict: false });
  if (cache[mode].size >= MAX_CACHE) cache[mode].clear();
  cache[mode].set(text, fn);
  return fn;
}

/** Renders a .hbs file's text. Throws RenderError naming `where` on syntax errors, undefined variables and limits. */
export function renderHandlebars(text: string, vars: Vars, where: string): string {
  return showOne(text, vars, where, newBudget());
}

function showOne(text: string, vars: Vars, where: string, budget: RenderBudget): string {
  if (!text.includes('{{')) return text;
  return guard(where, () => {
    return compiled(text, 'show')(vars, { data: { budget } });
  });
}

function guard<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof RenderError) throw err;
    if (err instanceof BrokenVar) throw new VarRefError(err.message, where);
    if (err instanceof TemplateSyntaxError) {
      const at = err.line !== undefined ? ` (template line ${err.line}, col ${err.col})` : '';
      throw new RenderError(`${err.message}${at}`, where);
    }
    if (err instanceof UndefinedVar || err instanceof HelperError || err instanceof RenderLimitError) throw new RenderError(err.message, where);
    if (err instanceof RangeError) throw new RenderError(`template too deeply nested to render (${err.message})`, where);
    const msg = (err as Error).message ?? String(err);
    throw new RenderError(`template error: ${msg.replace(/^Missing helper: "(.*)"$/, "unknown helper '$1'")}`, where);
  }
}

// ---------- AST rewrite ----------

const locOf = (n: { loc?: Loc }): Loc => n.loc ?? { source: '', start: { line: 1, column: 0 }, end: { line: 1, column: 0 } };

function pathNode(name: string, loc: Loc): Path {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc } as Path;
}

function sub(helper: string, params: Expr[], loc: Loc, hash?: hbs.AST.Hash): hbs.AST.SubExpression {
  return { type: 'SubExpression', path: pathNode(helper, loc), params, hash: hash as hbs.AST.Hash, loc } as hbs.AST.SubExpression;
}

function lit(value: string | number, loc: Loc): Expr {
  return typeof value === 'string'
    ? ({ type: 'StringLiteral', value, original: value, loc } as hbs.AST.StringLiteral)
    : ({ type: 'NumberLiteral', value, original: value, loc } as hbs.AST.NumberLiteral);
}

function strict(p: Path): Expr {
  const loc = locOf(p);
  return sub('__strict', [p, lit(p.original, loc), lit(loc.start.line, loc), lit(loc.start.column + 1, loc)], loc);
}

function unknownHelper(name: string, loc: Loc): never {
  throw new TemplateSyntaxError(`unknown helper '${name}'`, loc.start.line, loc.start.column + 1);
}

function tooDeep(loc: Loc): never {
  throw new TemplateSyntaxError(`blocks or helper calls nested more than ${MAX_TEMPLATE_NESTING} deep`, loc.start.line, loc.start.column + 1);
}

function wrapParams(helper: string, params: Expr[], depth = 0): Expr[] {
  return params.map((p, i) => (i === 0 && LENIENT_FIRST_ARG.has(helper) && p.type === 'PathExpression' ? p : wrapExpr(p, depth)));
}

function wrapHash(hash: hbs.AST.Hash | undefined, depth = 0): hbs.AST.Hash | undefined {
  if (!hash) return hash;
  return { ...hash, pairs: hash.pairs.map((pair) => ({ ...pair, value: wrapExpr(pair.value, depth) })) };
}

function wrapExpr(e: Expr, depth: number): Expr {
  if (e.type === 'PathExpression') return strict(e as Path);
  if (e.type === 'SubExpression') {
    const s = e as hbs.AST.SubExpression;
    if (depth >= MAX_TEMPLATE_NESTING) tooDeep(locOf(s));
    const name = s.path.original;
    if (!isHelperName(name)) unknownHelper(name, locOf(s));
    const out: hbs.AST.SubExpression = { ...s, params: wrapParams(name, s.params, depth + 1), hash: wrapHash(s.hash, depth + 1) as hbs.AST.Hash };
    return out;
  }
  return e; // literals
}

/** The value a mustache stands for: a checked variable, or a helper call. */
function mustacheValue(m: hbs.AST.MustacheStatement): Expr {
  const loc = locOf(m);
  if (m.path.type !== 'PathExpression') return m.path as Expr;
  const p = m.path as Path;
  const hasArgs = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
  if (!p.data && p.parts.length === 1 && p.depth === 0 && isHelperName(p.original)) {
    return { ...sub(p.original, wrapParams(p.original, m.params), loc, wrapHash(m.hash)) };
  }
  if (hasArgs) unknownHelper(p.original, loc);
  return strict(p);
}

/** Rewrites in place a freshly parsed program. Exported for templateRoots' unknown-helper check. */
export function rewrite(program: Program, mode: Mode, depth = 0): Program {
  if (depth > MAX_TEMPLATE_NESTING) tooDeep(locOf(program));
  for (const st of program.body) {
    if (st.type === 'MustacheStatement') {
      const m = st as hbs.AST.MustacheStatement;
      const value = mustacheValue(m);
      m.path = pathNode(mode === 'capture' ? '__capture' : '__show', locOf(m));
      m.params = [value];
      m.hash = undefined as unknown as hbs.AST.Hash;
    } else if (st.type === 'BlockStatement') {
      const b = st as hbs.AST.BlockStatement;
      const name = b.path.original;
      if (isHelperName(name) && !BLOCK_HELPERS.has(name)) {
        throw new TemplateSyntaxError(`'${name}' is not a block helper; use it as {{${name} ...}}`, locOf(b).start.line, locOf(b).start.column + 1);
      }
      if (BLOCK_HELPERS.has(name) && !b.path.data) {
        b.params = wrapParams(name, b.params);
        b.hash = wrapHash(b.hash) as hbs.AST.Hash;
      } else if (b.params.length === 0 && !b.hash) {
        b.params = [strict(b.path)];
        b.path = pathNode('__section', locOf(b));
      } else unknownHelper(name, locOf(b));
      if (b.program) rewrite(b.program, 'show', depth + 1);
      if (b.inverse) rewrite(b.inverse, 'show', depth + 1);
    } else if (st.type === 'PartialStatement' || st.type === 'PartialBlockStatement' || st.type.startsWith('Decorator')) {
      const l = locOf(st as { loc?: Loc });
      throw new TemplateSyntaxError('partials and decorators are not supported', l.start.line, l.start.column + 1);
    }
  }
  return program;
}
