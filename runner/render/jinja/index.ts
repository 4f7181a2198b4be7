// Ansible's Jinja2 as play's expression language: YAML values, conditions and .j2 files.
// Safety model: @huggingface/jinja parses (an AST; no code is generated, nothing is eval'd) and
// our evaluator walks it over plain values. Only the text written in the playbook is parsed:
// what variables hold, host data included, is inserted as it is and never parsed again.
import { RenderError } from '../../errors.js';
import type { Vars } from '../../types.js';
import { RenderLimitError, newBudget, type RenderBudget } from '../limits.js';
import { VarRefError } from '../var-errors.js';
import { type Ctx, EvalError, Scope, UndefinedError, need } from './context.js';
import { evalExpr } from './expr.js';
import { evalConcat } from './literal.js';
import { OMIT, makeGlobals } from './globals.js';
import { JinjaSyntaxError, type LexOptions } from './lexer.js';
import { type Parsed, parseTemplate } from './parse.js';
import { templateRootsOf } from './roots.js';
import { SoftUndef } from './py.js';
import { renderBody, show } from './stmt.js';

export { OMIT };

/** Ansible's environment: trim_blocks on, lstrip_blocks off; in YAML values string literals keep backslashes. */
export const VALUE_OPTIONS: LexOptions = { trimBlocks: true, lstripBlocks: false, rawStrings: true };
export const FILE_OPTIONS: LexOptions = { trimBlocks: true, lstripBlocks: false };

/** Ansible's is_template: the text has a Jinja delimiter. */
export function isTemplate(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || s.includes('{#');
}

export type TemplateCheck = { ok: true; roots: string[] } | { ok: false; message: string; line?: number; col?: number };

/** Load-time check: syntax (with line/col), unknown filters/tests, and the root variables read. */
export function checkTemplate(text: string, opts: LexOptions = VALUE_OPTIONS): TemplateCheck {
  if (!isTemplate(text)) return { ok: true, roots: [] };
  try {
    const p = parseTemplate(stripFinalNewline(text), opts);
    const r = templateRootsOf(p.body);
    if (r.problems.length) return { ok: false, message: r.problems[0]!, ...positionOfProblem(p, r.problems[0]!) };
    return { ok: true, roots: r.roots };
  } catch (err) {
    if (err instanceof JinjaSyntaxError) return { ok: false, message: `template syntax error: ${err.message}`, line: err.line, col: err.col };
    throw err;
  }
}

/**
 * Literal text size and how often each name is read, for the load-time expansion estimate
 * (vars/check.ts). Undefined when the text does not parse (reported elsewhere).
 */
export function templateRefs(text: string): { literal: number; refs: Map<string, number> } | undefined {
  let p: Parsed;
  try {
    p = parseTemplate(stripFinalNewline(text), VALUE_OPTIONS);
  } catch {
    return undefined;
  }
  const refs = new Map<string, number>();
  let literal = 0;
  p.tokens.forEach((t, k) => {
    const prev = p.tokens[k - 1]?.type;
    if (t.type === 'Text') literal += t.value.length;
    else if (t.type === 'Identifier' && prev !== 'Dot' && prev !== 'Pipe' && p.tokens[k + 1]?.type !== 'Equals') refs.set(t.value, (refs.get(t.value) ?? 0) + 1);
  });
  return { literal, refs };
}

function positionOfProblem(p: Parsed, problem: string): { line?: number; col?: number } {
  const name = /'([^']+)'/.exec(problem)?.[1];
  const k = name === undefined ? -1 : p.tokens.findIndex((t) => t.type === 'Identifier' && (t.value === name || t.value.endsWith(`:${name}`)));
  return k >= 0 ? { line: p.pos[k]!.line, col: p.pos[k]!.col } : {};
}

/** Jinja drops one final newline (keep_trailing_newline is off); Ansible adds missing ones back. */
function stripFinalNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function trailingNewlines(s: string): number {
  const m = /\n*$/.exec(s);
  return m ? m[0].length : 0;
}

function newCtx(vars: Vars, budget: RenderBudget): Ctx {
  const c: Ctx = { scope: new Scope(undefined, vars as Record<string, unknown>), vars, budget, depth: 0, globals: {} };
  c.globals = makeGlobals(c);
  return c;
}

function where1(p: Parsed, name: string): string {
  const root = name.split(/[.[]/)[0];
  const k = p.tokens.findIndex((t, i) => t.type === 'Identifier' && t.value === root && p.tokens[i - 1]?.type !== 'Dot');
  if (k < 0) return '';
  const at = p.pos[k]!;
  return ` (line ${at.line}, col ${at.col})`;
}

function guard<T>(where: string, text: string, opts: LexOptions, run: (p: Parsed) => T): T {
  let p: Parsed | undefined;
  try {
    p = parseTemplate(text, opts);
    return run(p);
  } catch (err) {
    if (err instanceof RenderError && !(err instanceof VarRefError)) throw err;
    if (err instanceof VarRefError) throw new VarRefError(err.reason, where);
    if (err instanceof JinjaSyntaxError) throw new RenderError(`template syntax error: ${err.message} (line ${err.line}, col ${err.col})`, where);
    if (err instanceof UndefinedError) throw new RenderError(`${err.message}${p ? where1(p, err.undef.name) : ''}`, where);
    if (err instanceof EvalError || err instanceof RenderLimitError) throw new RenderError(err.message, where);
    if (err instanceof RangeError) throw new RenderError(`template too deeply nested to render (${err.message})`, where);
    throw new RenderError(`template error: ${(err as Error).message ?? String(err)}`, where);
  }
}

function isLone(p: Parsed): boolean {
  return p.body.length === 1 && p.tokens[0]?.type === 'OpenExpression' && p.tokens.at(-1)?.type === 'CloseExpression' && p.tokens.filter((t) => t.type === 'OpenExpression').length === 1;
}

function renderText(text: string, vars: Vars, where: string, budget: RenderBudget, opts: LexOptions): string {
  const src = stripFinalNewline(text);
  const out = guard(where, src, opts, (p) => renderBody(p.body, newCtx(vars, budget)));
  const missing = trailingNewlines(text) - trailingNewlines(out);
  return missing > 0 ? out + '\n'.repeat(missing) : out;
}

/** Renders text (a YAML value's string form). Throws RenderError naming `where`. */
export function renderString(text: string, vars: Vars, where: string): string {
  if (!isTemplate(text)) return text;
  return renderText(text, vars, where, newBudget(), VALUE_OPTIONS);
}

/** Renders a .j2 file as Ansible's template module does (trim_blocks, trailing newlines kept, `#jinja2:` overrides). */
export function renderTemplateFile(text: string, vars: Vars, where: string, extra: Vars = {}): string {
  const opts = { ...FILE_OPTIONS };
  let body = text;
  const m = /^#jinja2:(.*)\n/.exec(text);
  if (m) {
    body = text.slice(m[0].length);
    for (const pair of m[1]!.split(',')) {
      const [k, v] = pair.split(':').map((x) => x.trim());
      if (k === 'trim_blocks') opts.trimBlocks = v === 'True' || v === 'true';
      if (k === 'lstrip_blocks') opts.lstripBlocks = v === 'True' || v === 'true';
    }
  }
  const scope = { ansible_managed: 'Ansible managed', ...extra };
  return renderText(body, { ...vars, ...scope }, where, newBudget(), opts);
}

/**
 * Deep render of a YAML value. A string that is one `{{ expr }}` keeps the value's type (list,
 * dict, number, bool, None); any other template string renders to text, which becomes a list,
 * dict or bool when it is that Python literal (Ansible's ansible_eval_concat). Keys of dicts are not
 * rendered. A dict entry rendered to `omit` is left out, as Ansible does for module args.
 */
export function renderValue(value: unknown, vars: Vars, where: string): unknown {
  return deep(value, vars, where, newBudget());
}

function deep(value: unknown, vars: Vars, where: string, budget: RenderBudget): unknown {
  if (typeof value === 'string') {
    if (!isTemplate(value)) return value;
    const lone = guard(where, value, VALUE_OPTIONS, (p) => (isLone(p) ? { v: loneValue(p, vars, budget) } : undefined));
    return lone ? lone.v : concatValue(value, vars, where, budget);
  }
  if (Array.isArray(value)) return value.map((v) => deep(v, vars, where, budget));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = deep(v, vars, where, budget);
      if (r !== OMIT) out[k] = r;
    }
    return out;
  }
  return value;
}

/**
 * Filters whose text Ansible 2.14 marks as native text (its STRING_TYPE_FILTERS): when one is the only
 * output of a template, its JSON or YAML stays a string instead of being read back as a literal.
 */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

function isStringFilterOutput(p: Parsed): boolean {
  const n = p.body.length === 1 ? p.body[0]! : undefined;
  if (n?.type !== 'FilterExpression') return false;
  const f = n.filter.type === 'CallExpression' ? n.filter.callee : n.filter;
  return f.type === 'Identifier' && STRING_TYPE_FILTERS.has(f.value);
}

/**
 * Ansible's order: Jinja drops one final newline, the text is read as a literal when it looks like one
 * (ansible_eval_concat), and the lost newlines come back only on what is still a string
 * ("{{ d }}\n" is the dict; "{{ d | to_nice_json }}\n" is that JSON and its newline).
 */
function concatValue(value: string, vars: Vars, where: string, budget: RenderBudget): unknown {
  const src = stripFinalNewline(value);
  const { out, native } = guard(where, src, VALUE_OPTIONS, (p) => ({ out: renderBody(p.body, newCtx(vars, budget)), native: isStringFilterOutput(p) }));
  const v = native ? out : evalConcat(out);
  if (typeof v !== 'string') return v;
  const missing = trailingNewlines(value) - trailingNewlines(v);
  return missing > 0 ? v + '\n'.repeat(missing) : v;
}

function loneValue(p: Parsed, vars: Vars, budget: RenderBudget): unknown {
  const c = newCtx(vars, budget);
  const v = evalExpr(p.body[0]!, c);
  return v instanceof SoftUndef ? '' : need(v, c);
}

export { show };
