// Global functions and names: range (filters' GLOBALS), namespace(), dict(), lookup/query
// (lookups.ts), the include/import functions (include.ts) and omit.
import { GLOBALS } from '../filters/index.js';
import type { Ctx } from './context.js';
import { NAMESPACES } from './stmt.js';
import { includeGlobals } from './include.js';
import { FROM_FN, IMPORT_FN, INCLUDE_FN } from './tags.js';
import { Callable, isDict } from './py.js';
import { lookupPlugin } from './lookups.js';

/** Ansible's omit placeholder: a module argument rendered to exactly this is left out. */
export const OMIT = '__omit_place_holder__play';

/** Names that are never variables (for load-time undefined-variable checks). */
export const GLOBAL_NAMES = new Set([INCLUDE_FN, IMPORT_FN, FROM_FN, 'range', 'namespace', 'dict', 'lookup', 'query', 'q', 'omit', 'lipsum', 'cycler', 'joiner', ...Object.keys(GLOBALS)]);

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

