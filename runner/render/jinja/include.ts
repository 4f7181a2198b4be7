// {% include %}, {% import %} and {% from ... import %} at render time (see tags.ts for the
// rewrite). Templates come from the render's loader (the template module's search path, as
// Ansible's template action builds it). An included template shares the current scope; an
// imported one is rendered in a scope of its own (without context unless asked) and exports its
// macros and top-level {% set %} names, as Jinja2 does. Errors inside an included file name it.
import { MAX_TEMPLATE_NESTING } from '../limits.js';
import { type Ctx, EvalError, Scope, UndefinedError } from './context.js';
import { JinjaSyntaxError, type LexOptions } from './lexer.js';
import { type Parsed, parseTemplate } from './parse.js';
import { Callable, pyStr } from './py.js';
import { renderBody } from './stmt.js';
import { FROM_FN, IMPORT_FN, INCLUDE_FN } from './tags.js';

/** An error inside an included or imported template, already positioned in that file. */
export class NestedTemplateError extends EvalError {}

const FILE_LEX: LexOptions = { trimBlocks: true, lstripBlocks: false };

function load(c: Ctx, names: unknown, what: string): { path: string; display: string; text: string } | undefined {
  if (!c.loader) throw new EvalError(`${what} works in template files only (the template module), not in YAML values`);
  const list = Array.isArray(names) ? names : [names];
  for (const n of list) {
    if (typeof n !== 'string') throw new EvalError(`${what}: a template name must be a string, got ${pyStr(n)}`);
    const hit = c.loader.load(n);
    if (hit) return hit;
  }
  return undefined;
}

function notFound(c: Ctx, names: unknown, what: string): never {
  const list = (Array.isArray(names) ? names : [names]).map((n) => `'${pyStr(n)}'`).join(', ');
  throw new EvalError(`${what}: template ${list} not found; looked in ${c.loader?.searched().join(', ') ?? '(nowhere)'}`);
}

function where(p: NonNullable<Ctx['file']>['parsed'], name: string): string {
  const root = name.split(/[.[]/)[0];
  const k = p ? p.tokens.findIndex((t, i) => t.type === 'Identifier' && t.value === root && p.tokens[i - 1]?.type !== 'Dot') : -1;
  return k >= 0 ? `:${p!.pos[k]!.line}:${p!.pos[k]!.col}` : '';
}

/** Renders (or runs) a loaded template's body; its errors become NestedTemplateError naming the file. */
function inFile<T>(c: Ctx, file: { display: string; text: string }, run: (p: Parsed) => T): T {
  if (c.depth >= MAX_TEMPLATE_NESTING) throw new EvalError(`templates included more than ${MAX_TEMPLATE_NESTING} deep`);
  const saved = c.file;
  const here: NonNullable<Ctx['file']> = { display: file.display };
  c.depth++;
  try {
    // keep_trailing_newline is off: an included template loses one final newline
    const p = parseTemplate(file.text.endsWith('\n') ? file.text.slice(0, -1) : file.text, c.lexOptions ?? FILE_LEX);
    here.parsed = p;
    c.file = here;
    return run(p);
  } catch (err) {
    throw nestedError(here, err);
  } finally {
    c.depth--;
    c.file = saved;
  }
}

/** An error raised while rendering text of `file` (a template or a macro defined there), positioned in it. */
export function nestedError(file: NonNullable<Ctx['file']>, err: unknown): unknown {
  if (err instanceof NestedTemplateError) return err;
  if (err instanceof JinjaSyntaxError) return new NestedTemplateError(`${file.display}:${err.line}:${err.col}: template syntax error: ${err.message}`);
  if (err instanceof UndefinedError) return new NestedTemplateError(`${file.display}${where(file.parsed, err.undef.name)}: ${err.message}`);
  if (err instanceof EvalError) return new NestedTemplateError(`${file.display}: ${err.message}`);
  return err;
}

function withScope<T>(c: Ctx, scope: Scope, run: () => T): T {
  const saved = c.scope;
  c.scope = scope;
  try {
    return run();
  } finally {
    c.scope = saved;
  }
}

function freshScope(c: Ctx, withContext: boolean): Scope {
  return withContext ? new Scope(c.scope) : new Scope(undefined, {});
}

function importModule(c: Ctx, name: unknown, withContext: boolean, what: string): Record<string, unknown> {
  const file = load(c, name, what) ?? notFound(c, name, what);
  const scope = freshScope(c, withContext);
  inFile(c, file, (p) => withScope(c, scope, () => renderBody(p.body, c)));
  const mod: Record<string, unknown> = {};
  for (const [k, v] of scope.own) if (!k.startsWith('_')) mod[k] = v;
  return mod;
}

/** The engine functions the rewritten statements call. */
export function includeGlobals(c: Ctx): Record<string, Callable> {
  return {
    [INCLUDE_FN]: new Callable('include', ([names, ignore, withContext]) => {
      const file = load(c, names, '{% include %}');
      if (!file) return ignore === true ? '' : notFound(c, names, '{% include %}');
      const scope = freshScope(c, withContext !== false);
      return inFile(c, file, (p) => withScope(c, scope, () => renderBody(p.body, c)));
    }),
    [IMPORT_FN]: new Callable('import', ([name, withContext]) => importModule(c, name, withContext === true, '{% import %}')),
    [FROM_FN]: new Callable('from', ([name, wanted, withContext]) => {
      const mod = importModule(c, name, withContext === true, '{% from %}');
      const names = wanted as string[];
      const out = names.map((n) => {
        if (!Object.hasOwn(mod, n)) throw new EvalError(`the template '${pyStr(name)}' does not export the requested name '${n}'`);
        return mod[n];
      });
      return out.length === 1 ? out[0] : out;
    }),
  };
}
