// lookup()/query(): Ansible's lookup plugins. vars, items, list, dict and indexed_items need no
// I/O; file, template, env, first_found, fileglob, lines and pipe read the controller through
// the render's LookupHost (Ansible runs lookups on the controller too). A lookup's result is data:
// it is never parsed as a template again. `password` is not offered: it writes a secret to disk.
import { type Ctx, EvalError, Scope, type LookupHost } from './context.js';
import { JinjaSyntaxError } from './lexer.js';
import { parseTemplate } from './parse.js';
import { isDict, pyStr, pyType } from './py.js';
import { renderBody } from './stmt.js';

const CONTROLLER = new Set(['file', 'template', 'env', 'first_found', 'fileglob', 'lines', 'pipe']);

function host(c: Ctx, plugin: string): LookupHost {
  if (!c.lookups) throw new EvalError(`lookup('${plugin}') reads the controller, which this template cannot do here`);
  return c.lookups;
}

const str = (plugin: string, t: unknown): string => {
  if (typeof t !== 'string') throw new EvalError(`lookup('${plugin}') expects strings, got ${pyType(t)} ${pyStr(t)}`);
  return t;
};

/** Python str.split on ',' and ';' (and ':' for paths), as first_found splits its files/paths. */
const splitOn = (v: unknown, seps: RegExp): string[] =>
  (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(seps) : [])).map((x) => x.trim()).filter(Boolean);

function firstFound(c: Ctx, terms: unknown[], kwargs: Record<string, unknown>): unknown[] {
  const h = host(c, 'first_found');
  let skip = kwargs['skip'] === true;
  const candidates: string[] = [];
  const add = (files: string[], paths: string[]) => {
    for (const f of files) {
      if (!paths.length) candidates.push(f);
      else for (const p of paths) candidates.push(`${p.replace(/\/$/, '')}/${f}`);
    }
  };
  const kwFiles = kwargs['files'] !== undefined ? splitOn(kwargs['files'], /[,;]/) : [];
  const kwPaths = kwargs['paths'] !== undefined ? splitOn(kwargs['paths'], /[,;:]/) : [];
  for (const t of terms.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
    if (isDict(t)) {
      if (t['skip'] === true) skip = true;
      add(splitOn(t['files'] ?? [], /[,;]/), splitOn(t['paths'] ?? [], /[,;:]/));
    } else add([str('first_found', t)], kwPaths);
  }
  if (kwFiles.length) add(kwFiles, kwPaths);
  for (const cand of candidates) {
    const found = h.find(cand, 'files');
    if (found) return [found];
  }
  if (skip) return [];
  throw new EvalError('No file was found when using first_found.');
}

/** fnmatch of one path component: * ? [seq] [!seq]. */
function fnmatch(pattern: string): RegExp {
  let re = '';
  for (let k = 0; k < pattern.length; k++) {
    const ch = pattern[k]!;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[' && pattern.indexOf(']', k + 2) > 0) {
      const end = pattern.indexOf(']', k + 2);
      let set = pattern.slice(k + 1, end);
      if (set.startsWith('!')) set = '^' + set.slice(1);
      re += `[${set.replace(/\\/g, '\\\\')}]`;
      k = end;
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function fileglob(c: Ctx, terms: unknown[]): string[] {
  const h = host(c, 'fileglob');
  const out: string[] = [];
  for (const t of terms) {
    const term = str('fileglob', t);
    const slash = term.lastIndexOf('/');
    const dirPart = slash < 0 ? '' : term.slice(0, slash) || '/';
    const base = term.slice(slash + 1);
    const dir = dirPart === '' ? h.findDir('.', 'files') : dirPart.startsWith('/') ? dirPart : h.findDir(dirPart, 'files');
    if (!dir) continue;
    let names: string[];
    try {
      names = h.listFiles(dir);
    } catch {
      continue;
    }
    const re = fnmatch(base);
    // glob(3) leaves out dot files unless the pattern starts with a dot
    for (const n of names.sort()) if (re.test(n) && (base.startsWith('.') || !n.startsWith('.'))) out.push(`${dir.replace(/\/$/, '')}/${n}`);
  }
  return out;
}

function templateLookup(c: Ctx, terms: unknown[], kwargs: Record<string, unknown>): string[] {
  const h = host(c, 'template');
  const extra = isDict(kwargs['template_vars']) ? kwargs['template_vars'] : {};
  return terms.map((t) => {
    const name = str('template', t);
    const file = h.find(name, 'templates');
    if (!file) throw new EvalError(`the template file ${name} could not be found for the lookup`);
    const text = h.readText(file);
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    let p;
    try {
      p = parseTemplate(body, c.lexOptions ?? { trimBlocks: true, lstripBlocks: false });
    } catch (err) {
      if (err instanceof JinjaSyntaxError) throw new EvalError(`${file}:${err.line}:${err.col}: template syntax error: ${err.message}`);
      throw err;
    }
    // the task's variables (not the calling template's locals), plus template_vars
    const saved = c.scope;
    const savedLoader = c.loader;
    c.scope = new Scope(new Scope(undefined, c.vars as Record<string, unknown>), extra);
    c.loader = h.loader(file);
    try {
      const out = renderBody(p.body, c);
      const want = /\n*$/.exec(text)![0].length;
      const have = /\n*$/.exec(out)![0].length;
      return want > have ? out + '\n'.repeat(want - have) : out;
    } finally {
      c.scope = saved;
      c.loader = savedLoader;
    }
  });
}

function controller(c: Ctx, plugin: string, terms: unknown[], kwargs: Record<string, unknown>): unknown[] {
  switch (plugin) {
    case 'file': {
      const h = host(c, plugin);
      return terms.map((t) => {
        const name = str(plugin, t);
        const found = h.find(name, 'files');
        if (!found) throw new EvalError(`could not locate file in lookup: ${name}`);
        let text = h.readText(found);
        if (kwargs['lstrip'] === true) text = text.replace(/^\s+/, '');
        if (kwargs['rstrip'] !== false) text = text.replace(/\s+$/, '');
        return text;
      });
    }
    case 'env':
      return terms.map((t) => host(c, plugin).env(str(plugin, t)) ?? (kwargs['default'] !== undefined ? kwargs['default'] : ''));
    case 'template':
      return templateLookup(c, terms, kwargs);
    case 'first_found':
      return firstFound(c, terms, kwargs);
    case 'fileglob':
      return fileglob(c, terms);
    case 'pipe':
    case 'lines':
      return terms.flatMap((t) => {
        const cmd = str(plugin, t);
        const r = host(c, plugin).run(cmd);
        if (plugin === 'pipe' && r.code !== 0) throw new EvalError(`lookup_plugin.pipe(${cmd}) returned ${r.code}`);
        if (plugin === 'lines' && r.code !== 0) throw new EvalError(`lookup_plugin.lines(${cmd}) returned ${r.code}`);
        return plugin === 'pipe' ? [r.stdout.replace(/\s+$/, '')] : r.stdout.split(/\r?\n/).filter((l, k, a) => k < a.length - 1 || l !== '');
      });
    default:
      return [];
  }
}

export function lookupPlugin(c: Ctx, wantList: boolean, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const [raw, ...terms] = args;
  const plugin = typeof raw === 'string' ? raw.replace(/^ansible\.builtin\./, '') : raw;
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
    case 'password':
      throw new EvalError(`lookup plugin 'password' is not supported: it writes a secret to a file on the controller; use a vault variable`);
    default:
      if (typeof plugin !== 'string' || !CONTROLLER.has(plugin)) throw new EvalError(`lookup plugin '${String(plugin)}' is not supported`);
      try {
        out = controller(c, plugin, plugin === 'first_found' ? terms : flat, kwargs);
      } catch (err) {
        if (err instanceof EvalError && (kwargs['errors'] === 'ignore' || kwargs['errors'] === 'warn')) return wantList || kwargs['wantlist'] === true ? [] : null;
        throw err;
      }
  }
  if (wantList || kwargs['wantlist'] === true || out.length === 0) return out;
  // Ansible: strings are joined with ',', one other value is returned as itself
  if (out.every((x) => typeof x === 'string')) return out.join(',');
  return out.length === 1 ? out[0] : out;
}
