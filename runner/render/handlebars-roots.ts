// Load-time look at a .hbs template: syntax errors with line/col, and the root variables it reads
// from the outer context. Conservative: names inside {{#each}}/{{#with}} bodies refer to the
// item unless written ../x; block params, @data, `this`, helper names and the first argument of
// `default`/`defined` (which may be undefined) are not reported.
import { BLOCK_HELPERS, LENIENT_FIRST_ARG, isHelperName } from './helpers.js';
import { TemplateSyntaxError, parseTemplate, rewrite } from './handlebars.js';

export type TemplateRoots = { ok: true; roots: string[] } | { ok: false; message: string; line?: number; col?: number };

interface Scope {
  /** Context-changing blocks entered ({{#each}}, {{#with}}). */
  level: number;
  /** Inside a block whose context we cannot know ({{#section}}). */
  uncertain: boolean;
  blockParams: Set<string>;
}

export function handlebarsRoots(text: string): TemplateRoots {
  if (!text.includes('{{')) return { ok: true, roots: [] };
  let program: hbs.AST.Program;
  try {
    program = parseTemplate(text);
    rewrite(parseTemplate(text), 'show'); // unknown helpers, partials, misused blocks
  } catch (err) {
    if (err instanceof TemplateSyntaxError) {
      const r: TemplateRoots = { ok: false, message: err.message };
      if (err.line !== undefined) r.line = err.line;
      if (err.col !== undefined) r.col = err.col;
      return r;
    }
    throw err;
  }
  const roots: string[] = [];
  const add = (name: string) => {
    if (!roots.includes(name)) roots.push(name);
  };
  visitProgram(program, { level: 0, uncertain: false, blockParams: new Set() }, add);
  return { ok: true, roots };
}

function visitProgram(p: hbs.AST.Program, scope: Scope, add: (n: string) => void): void {
  for (const st of p.body) {
    if (st.type === 'MustacheStatement') {
      const m = st as hbs.AST.MustacheStatement;
      if (m.path.type !== 'PathExpression') continue;
      const path = m.path as hbs.AST.PathExpression;
      if (isCall(path)) visitArgs(path.original, m.params, m.hash, scope, add);
      else visitExpr(path, scope, add);
    } else if (st.type === 'BlockStatement') {
      const b = st as hbs.AST.BlockStatement;
      const name = b.path.original;
      const known = BLOCK_HELPERS.has(name);
      if (known) visitArgs(name, b.params, b.hash, scope, add);
      else visitExpr(b.path, scope, add);
      const changes = name === 'each' || name === 'with';
      const inner: Scope = {
        level: scope.level + (changes ? 1 : 0),
        uncertain: scope.uncertain || !known,
        blockParams: new Set([...scope.blockParams, ...(b.program?.blockParams ?? [])]),
      };
      if (b.program) visitProgram(b.program, inner, add);
      if (b.inverse) visitProgram(b.inverse, scope, add);
    }
  }
}

function isCall(p: hbs.AST.PathExpression): boolean {
  return !p.data && p.depth === 0 && p.parts.length === 1 && isHelperName(p.original);
}

function visitArgs(helper: string, params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, scope: Scope, add: (n: string) => void): void {
  params.forEach((e, i) => {
    if (!(i === 0 && LENIENT_FIRST_ARG.has(helper))) visitExpr(e, scope, add);
  });
  for (const pair of hash?.pairs ?? []) visitExpr(pair.value, scope, add);
}

function visitExpr(e: hbs.AST.Expression, scope: Scope, add: (n: string) => void): void {
  if (e.type === 'SubExpression') {
    const s = e as hbs.AST.SubExpression;
    visitArgs(s.path.original, s.params, s.hash, scope, add);
    return;
  }
  if (e.type !== 'PathExpression') return;
  const p = e as hbs.AST.PathExpression;
  if (p.data) {
    if (p.parts[0] === 'root' && p.parts.length > 1) add(p.parts[1]!);
    return;
  }
  const head = p.parts[0];
  if (head === undefined || scope.uncertain || p.depth !== scope.level) return;
  const scoped = /^(\.|this\b)/.test(p.original);
  if (p.depth === 0 && !scoped && scope.blockParams.has(head)) return;
  add(head);
}
