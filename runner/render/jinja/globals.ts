// Global functions and names: range (filters' GLOBALS), namespace(), dict(), lookup/query for
// the lookups that need no I/O, and omit. A lookup that would read the controller (file, env,
// pipe, password...) is refused with a clear message rather than run.
import { GLOBALS } from '../filters/index.js';
import { EvalError, type Ctx } from './context.js';
import { NAMESPACES } from './stmt.js';
import { includeGlobals } from './include.js';
import { FROM_FN, IMPORT_FN, INCLUDE_FN } from './tags.js';
import { Callable, isDict, pyType } from './py.js';

/** Ansible's omit placeholder: a module argument rendered to exactly this is left out. */
export const OMIT = '__omit_place_holder__play';

/** Names that are never variables (for load-time undefined-variable checks). */
export const GLOBAL_NAMES = new Set([INCLUDE_FN, IMPORT_FN, FROM_FN, 'range', 'namespace', 'dict', 'lookup', 'query', 'q', 'omit', 'lipsum', 'cycler', 'joiner', ...Object.keys(GLOBALS)]);

function lookupPlugin(c: Ctx, wantList: boolean, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const [plugin, ...terms] = args;
  const flat = terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
  let out: unknown[];
  switch (plugin) {
    case 'vars':
      out = flat.map((name) => {
        const v = typeof name === 'string' ? c.scope.lookup(name) : undefined;
        if (v !== undefined) return v;
        if ('default' in kwargs) return kwargs['default'];
        throw new EvalError(`lookup('vars'): no variable named '${String(name)}'`);
      });
      break;
    case 'items':
    case 'list':
    case 'flattened':
      out = flat;
      break;
    case 'dict':
      out = terms.flatMap((d) => {
        if (!isDict(d)) throw new EvalError(`lookup('dict') expects a dict, got ${pyType(d)}`);
        return Object.entries(d).map(([key, value]) => ({ key, value }));
      });
      break;
    case 'indexed_items':
      out = flat.map((x, i) => [i, x]);
      break;
    default:
      throw new EvalError(`lookup plugin '${String(plugin)}' is not supported (play renders without reading the controller)`);
  }
  if (wantList || kwargs['wantlist'] === true) return out;
  // Ansible: strings are joined with ',', one other value is returned as itself
  if (out.every((x) => typeof x === 'string')) return out.join(',');
  return out.length === 1 ? out[0] : out;
}

export function makeGlobals(c: Ctx): Record<string, unknown> {
  const g: Record<string, unknown> = { omit: OMIT, ...includeGlobals(c) };
  for (const [name, fn] of Object.entries(GLOBALS)) g[name] = new Callable(name, (args) => fn(...args));
  g['namespace'] = new Callable('namespace', (args, kwargs) => {
    const ns: Record<string, unknown> = { ...(isDict(args[0]) ? args[0] : {}), ...kwargs };
    NAMESPACES.add(ns);
    return ns;
  });
  g['dict'] = new Callable('dict', (args, kwargs) => ({ ...(isDict(args[0]) ? args[0] : Array.isArray(args[0]) ? Object.fromEntries(args[0] as Array<[string, unknown]>) : {}), ...kwargs }));
  g['lookup'] = new Callable('lookup', (args, kwargs) => lookupPlugin(c, false, args, kwargs));
  g['query'] = g['q'] = new Callable('query', (args, kwargs) => lookupPlugin(c, true, args, kwargs));
  return g;
}

