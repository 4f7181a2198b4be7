// A task's loop: `loop:` or one of Ansible's `with_<lookup>:` forms, and how its value becomes the
// items (ansible/plugins/lookup/*.py). The executor renders and expands it per host through
// expandLoop, which is pure: the controller files that with_fileglob / with_first_found look at come
// in as a LoopFs, and the search path is the one Ansible's find_file_in_search_path uses.
import * as path from 'node:path';
import type { LoopControl, LoopWith, PlanTask } from '../types.js';
import { parseKv } from './kv-args.js';

/** `loop:` and the with_* lookups play expands. */
export const LOOP_FORMS: readonly LoopWith[] = [
  'loop', 'items', 'list', 'dict', 'fileglob', 'first_found', 'together', 'sequence', 'nested', 'indexed_items', 'subelements',
];

/** `with_items` -> 'items'; `loop` -> 'loop'; anything else undefined. */
export function loopFormOf(key: string): LoopWith | undefined {
  if (key === 'loop') return 'loop';
  const form = key.startsWith('with_') ? key.slice(5) : '';
  return form !== 'loop' && LOOP_FORMS.includes(form as LoopWith) ? (form as LoopWith) : undefined;
}

/** What the executor needs to know of the controller's files. */
export interface LoopFs {
  isFile(abs: string): boolean;
  /** Names in `dir` (not recursive); [] when it is no directory. */
  list(dir: string): string[];
}

export class LoopError extends Error {}

type Render = (v: unknown) => unknown;
type LoopTask = Pick<PlanTask, 'loop' | 'loopWith' | 'module' | 'baseDir'> & { playbookDir: string };

/**
 * The items of a task's loop on one host. `render` renders a value with the host's variables (it
 * throws on an undefined variable); with_first_found renders each name itself and skips the ones
 * it cannot, as Ansible does.
 */
export function expandLoop(task: LoopTask, render: Render, fs: LoopFs): unknown[] {
  const form = task.loopWith ?? 'loop';
  if (form === 'first_found') return firstFound(task.loop, render, searchDirs(task, subdirFor(task.module)), fs);
  const value = render(task.loop);
  switch (form) {
    case 'loop':
      if (Array.isArray(value)) return value;
      if (isMap(value)) return Object.entries(value).map(([key, v]) => ({ key, value: v }));
      throw new LoopError(`loop: expected a list, got ${describe(value)}`);
    case 'items':
      return list(value, form).flatMap((x) => (Array.isArray(x) ? x : [x]));
    case 'list':
      return list(value, form);
    case 'indexed_items':
      return list(value, form).flatMap((x) => (Array.isArray(x) ? x : [x])).map((x, i) => [i, x]);
    case 'dict': {
      const m = Array.isArray(value) && value.length === 1 ? value[0] : value;
      if (!isMap(m)) throw new LoopError(`with_dict expects a dict, got ${describe(m)}`);
      return Object.entries(m).map(([key, v]) => ({ key, value: v }));
    }
    case 'together': {
      const lists = list(value, form).map((x) => (Array.isArray(x) ? x : [x]));
      const n = Math.max(0, ...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
    }
    case 'nested': {
      const lists = list(value, form).map((x) => (Array.isArray(x) ? x : [x]));
      return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]).filter(() => lists.length > 0);
    }
    case 'sequence':
      return list(value, form).flatMap((t) => sequence(String(t)));
    case 'subelements':
      return subelements(value);
    case 'fileglob':
      return list(value, form).flatMap((t) => fileglob(String(t), searchDirs(task, 'files'), fs));
    default:
      return assertNeverForm(form);
  }
}

function assertNeverForm(x: never): never {
  throw new LoopError(`unknown loop form ${String(x)}`);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null || v === undefined ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

/** A with_* value: a list, or one term (Ansible's listify: `with_items: "{{ x }}"` rendering to a string is one item). */
function list(v: unknown, form: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) throw new LoopError(`with_${form}: expected a list, got null`);
  return [v];
}

/** Ansible's subdir for a lookup of this action: templates, vars or files (task_executor.py). */
export function subdirFor(module: string): string {
  for (const s of ['template', 'var', 'file']) if (module.includes(s)) return `${s}s`;
  return 'files';
}

/** find_file_in_search_path: the role (or playbook) dir, with and without the subdir, then the playbook's. */
export function searchDirs(task: Pick<LoopTask, 'baseDir' | 'playbookDir'>, subdir: string): string[] {
  const dirs = [path.join(task.baseDir, subdir), task.baseDir, path.join(task.playbookDir, subdir), task.playbookDir];
  return [...new Set(dirs)];
}

function findIn(dirs: string[], name: string, fs: LoopFs): string | undefined {
  if (path.isAbsolute(name)) return fs.isFile(name) ? name : undefined;
  for (const d of dirs) {
    const abs = path.resolve(d, name);
    if (fs.isFile(abs)) return abs;
  }
  return undefined;
}

const splitOn = (v: unknown, seps: RegExp): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).flatMap((x) => String(x).split(seps)).map((s) => s.trim()).filter(Boolean);

/** lookup/first_found.py: names (or {files, paths, skip} terms), each rendered alone; the first that exists. */
function firstFound(terms: unknown, render: Render, dirs: string[], fs: LoopFs): unknown[] {
  const names: string[] = [];
  let skip = false;
  const walk = (t: unknown): void => {
    if (typeof t === 'string') names.push(t);
    else if (Array.isArray(t)) t.forEach(walk);
    else if (isMap(t)) {
      const files = splitOn(t['files'], /[,;]/);
      const paths = splitOn(t['paths'], /[,:;]/);
      skip = t['skip'] === true || t['skip'] === 'yes' || t['skip'] === 'true';
      if (paths.length) for (const p of paths) for (const f of files) names.push(path.join(p, f));
      else names.push(...files);
    } else throw new LoopError(`with_first_found: can handle a string, a mapping or a list of them, got ${describe(t)}`);
  };
  // The list itself may be a template (`with_first_found: "{{ candidates }}"`).
  walk(typeof terms === 'string' && terms.includes('{{') ? safeRender(render, terms) ?? [] : terms);
  for (const raw of names) {
    const name = raw.includes('{{') ? safeRender(render, raw) : raw;
    if (typeof name !== 'string') continue;
    const found = findIn(dirs, name, fs);
    if (found) return [found];
  }
  if (skip) return [];
  throw new LoopError(`No file was found when using first_found (looked for ${names.join(', ')} in ${dirs.join(', ')})`);
}

function safeRender(render: Render, v: unknown): unknown {
  try {
    return render(v);
  } catch {
    return undefined;
  }
}

/** lookup/fileglob.py: files (not directories) matching the pattern's last part, in the first dir holding its dirname. */
function fileglob(term: string, dirs: string[], fs: LoopFs): string[] {
  const dirPart = path.dirname(term);
  const base = path.basename(term);
  const re = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.').replace(/\[!/g, '[^')}$`);
  const candidates = path.isAbsolute(term) ? [dirPart] : dirs.map((d) => path.resolve(d, dirPart));
  for (const d of candidates) {
    const names = fs.list(d);
    if (!names.length) continue;
    // as Python's glob: a dot file matches only a pattern that starts with a dot
    const hidden = (n: string) => n.startsWith('.') && !base.startsWith('.');
    return names.filter((n) => re.test(n) && !hidden(n)).map((n) => path.join(d, n)).filter((p) => fs.isFile(p)).sort();
  }
  return [];
}

/** lookup/sequence.py: `start=1 end=5 stride=1 format=%d`, `count=3`, or the shortcut `[start-]end[/stride][:format]`. */
export function sequence(term: string): string[] {
  let start = 1, end: number | undefined, stride = 1, count: number | undefined, format = '%d';
  const kv = parseKv(term);
  if (kv.ok && Object.keys(kv.args).length) {
    const a = kv.args as Record<string, string>;
    const num = (k: string): number | undefined => {
      if (a[k] === undefined) return undefined;
      const n = Number(a[k]);
      if (!Number.isInteger(n)) throw new LoopError(`with_sequence: can't parse ${k}=${a[k]} as an integer`);
      return n;
    };
    start = num('start') ?? 1;
    end = num('end');
    stride = num('stride') ?? 1;
    count = num('count');
    if (a['format'] !== undefined) format = a['format'];
  } else {
    const m = /^(?:(-?\d+)-)?(-?\d+)(?:\/(-?\d+))?(?::(.+))?$/.exec(term.trim());
    if (!m) throw new LoopError(`with_sequence: can't parse arguments '${term}'`);
    if (m[1] !== undefined) start = Number(m[1]);
    end = Number(m[2]);
    if (m[3] !== undefined) stride = Number(m[3]);
    if (m[4] !== undefined) format = m[4];
  }
  if (count !== undefined) {
    if (end !== undefined) throw new LoopError('with_sequence: can\'t specify both count and end');
    end = count === 0 ? start - stride : start + (count - 1) * stride;
  }
  if (end === undefined) throw new LoopError('with_sequence: must specify count or end');
  if (stride === 0) return [];
  if ((stride > 0 && end < start) || (stride < 0 && end > start)) {
    if (count === 0) return [];
    throw new LoopError(`with_sequence: to count ${stride > 0 ? 'backwards' : 'forwards'} make stride ${stride > 0 ? 'negative' : 'positive'}`);
  }
  const out: string[] = [];
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(printf(format, i));
  return out;
}

/** The one conversion sequence formats use: %d, %i, %x, %o, %s, with an optional zero-padded width. */
function printf(format: string, n: number): string {
  return format.replace(/%(0?)(\d*)([dixXos%])/g, (_m, zero: string, width: string, conv: string) => {
    if (conv === '%') return '%';
    const s = conv === 'x' ? n.toString(16) : conv === 'X' ? n.toString(16).toUpperCase() : conv === 'o' ? n.toString(8) : String(n);
    return width ? s.padStart(Number(width), zero ? '0' : ' ') : s;
  });
}

/** lookup/subelements.py: [list of dicts, 'key'(, {skip_missing})] -> [dict, sub] pairs. */
function subelements(v: unknown): unknown[] {
  if (!Array.isArray(v) || v.length < 2 || typeof v[1] !== 'string') throw new LoopError('with_subelements expects a list of two or three items: a list, a key and optional flags');
  const items = Array.isArray(v[0]) ? v[0] : isMap(v[0]) ? Object.values(v[0]) : [];
  const skipMissing = isMap(v[2]) && v[2]['skip_missing'] === true;
  const keys = v[1].split('.');
  const out: unknown[] = [];
  for (const it of items) {
    let sub: unknown = it;
    for (const k of keys) sub = isMap(sub) ? sub[k] : undefined;
    if (sub === undefined) {
      if (skipMissing) continue;
      throw new LoopError(`with_subelements: could not find '${v[1]}' key in an item`);
    }
    if (!Array.isArray(sub)) throw new LoopError(`with_subelements: the key '${v[1]}' should point to a list`);
    // as Ansible: the element is given without the subelements' key
    const parent = keys.length === 1 && isMap(it) ? Object.fromEntries(Object.entries(it).filter(([k]) => k !== keys[0])) : it;
    for (const s of sub) out.push([parent, s]);
  }
  return out;
}

/**
 * The variables one item adds (task_executor.py): the loop var (default item), index_var, and
 * ansible_loop ({index, index0}; with extended: also revindex, first, last, length, previtem,
 * nextitem, allitems).
 */
export function loopItemVars(lc: LoopControl | undefined, items: readonly unknown[], index: number): Record<string, unknown> {
  const loopVar = lc?.loopVar ?? 'item';
  const out: Record<string, unknown> = { [loopVar]: items[index], ansible_loop_var: loopVar };
  if (lc?.indexVar) Object.assign(out, { [lc.indexVar]: index, ansible_index_var: lc.indexVar });
  const n = items.length;
  const loop: Record<string, unknown> = { index: index + 1, index0: index };
  if (lc?.extended) {
    Object.assign(loop, { revindex: n - index, revindex0: n - index - 1, first: index === 0, last: index === n - 1, length: n });
    if (lc.extendedAllitems !== false) loop['allitems'] = items;
    if (index > 0) loop['previtem'] = items[index - 1];
    if (index < n - 1) loop['nextitem'] = items[index + 1];
  }
  out['ansible_loop'] = loop;
  return out;
}

/** What an item's result carries besides the module's: its item (under the loop var) and label. */
export function itemResultKeys(lc: LoopControl | undefined, items: readonly unknown[], index: number, label?: string): Record<string, unknown> {
  const loopVar = lc?.loopVar ?? 'item';
  const out: Record<string, unknown> = { [loopVar]: items[index], ansible_loop_var: loopVar };
  if (lc?.indexVar) Object.assign(out, { [lc.indexVar]: index, ansible_index_var: lc.indexVar });
  if (label !== undefined) out['_ansible_item_label'] = label;
  return out;
}
