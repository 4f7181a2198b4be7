// Static checks on a play's tasks: condition syntax, undefined variables, template syntax, notify targets.
import { assertNever } from '../errors.js';
import type { Diagnostic, SourcePos } from '../types.js';
import type { RawItem, RawTask } from '../load/types.js';
import { asObj, condList, strList } from '../load/util.js';
import { loopControlOf, loopOf, loopVarsOf } from '../load/loop-keys.js';
import { didYouMean } from '../load/suggest.js';
import type { CompileDeps } from './types.js';
import { displayName } from './build.js';

/** Variables that always exist at run time. */
export const MAGIC_VARS = [
  'inventory_hostname', 'inventory_hostname_short', 'groups', 'hostvars', 'group_names', 'play_hosts',
  'role_path', 'role_name', 'playbook_dir', 'inventory_file', 'inventory_dir', 'omit', 'this',
];

export interface CheckEnv {
  deps: CompileDeps;
  /** Variables known for the whole play. */
  known: Set<string>;
  /** Handler names and listen topics of the play. */
  handlerTopics: Set<string>;
  diags: Diagnostic[];
  /** Inherited conditions already checked (reported once, at the first task using them). */
  seenInherited: Set<string>;
  /** True when loading left out an include: any variable may be defined, none is reported. */
  anyDefined?: boolean;
}

export function isKnownVar(env: CheckEnv, local: Set<string>, root: string): boolean {
  return env.anyDefined === true || env.known.has(root) || local.has(root) || root.startsWith('ansible_') || root.startsWith('@') || MAGIC_VARS.includes(root);
}

export function checkItems(env: CheckEnv, items: RawItem[], local: Set<string>): void {
  for (const it of items) checkItem(env, it, local);
}

function checkItem(env: CheckEnv, item: RawItem, outer: Set<string>): void {
  const local = new Set([...outer, ...Object.keys(item.inheritedVars), ...Object.keys(asObj(item.kw.vars))]);
  const what = `${item.kind === 'block' ? 'block' : 'task'} '${displayName(item)}' (${item.file}:${item.src.line})`;
  const undef = (root: string, at: SourcePos, where = what) =>
    env.diags.push({ ...at, message: `undefined variable '${root}' in ${where}${didYouMean(root, [...env.known, ...local])}` });
  const strings = (v: unknown, at: SourcePos) => {
    walkStrings(v, (s) => {
      if (!s.includes('{{') && !s.includes('{%') && !s.includes('{#')) return;
      const r = env.deps.templateRoots(s);
      const inside = !r.ok && r.col !== undefined ? ` (${r.line !== undefined && r.line > 1 ? `line ${r.line}, ` : ''}col ${r.col} of the value)` : '';
      if (!r.ok) env.diags.push({ ...at, message: `template syntax error in ${what}: ${r.message.replace(/^template syntax error:?\s*/, '')}${inside}` });
      else for (const root of r.roots) if (!isKnownVar(env, local, root)) undef(root, at);
    });
  };
  const cond = (text: string, at: SourcePos, roots: boolean) => {
    const r = env.deps.parseCondition(text);
    if (!r.ok) {
      const col = r.col !== undefined ? ` at ${r.line !== undefined ? `line ${r.line}, ` : ''}column ${r.col}` : '';
      env.diags.push({ ...at, message: `invalid condition ${JSON.stringify(text)} in ${what}: ${r.message}${col}` });
      return;
    }
    if (roots) for (const root of env.deps.conditionRoots(r.expr)) if (!isKnownVar(env, local, root)) undef(root, at);
  };

  // What a condition that holds proves defined (`x is defined and ...`) may be used after it: by the
  // later conditions of the list, the loop (Ansible evaluates when first if the loop is undefined),
  // the arguments and, for a block or include, everything inside it.
  const guard = (text: string) => {
    const r = env.deps.conditionGuards ? env.deps.parseCondition(text) : undefined;
    if (r?.ok) for (const g of env.deps.conditionGuards!(r.expr)) local.add(g);
  };
  for (const text of item.inheritedWhen) {
    const k = `${item.file}\0${text}`;
    if (!env.seenInherited.has(k)) {
      env.seenInherited.add(k);
      cond(text, item.src, true);
    }
    guard(text);
  }
  if (item.kind === 'task' || item.include) for (const v of loopVarsOf(item.kw as Record<string, unknown>)) local.add(v);
  for (const text of condList(item.kw.when)) {
    cond(text, item.pos['when'] ?? item.src, true);
    guard(text);
  }
  strings(item.kw.vars, item.pos['vars'] ?? item.src);
  strings(item.kw.environment, item.pos['environment'] ?? item.src);

  switch (item.kind) {
    case 'block': {
      const loop = item.include ? loopOf(item.kw as Record<string, unknown>) : undefined;
      if (loop) {
        for (const v of loopVarsOf(item.kw as Record<string, unknown>)) local.add(v);
        if (loop.form !== 'first_found') strings(loop.value, item.pos[loop.key] ?? item.src);
      }
      if (item.include?.templated) strings(item.include.file, item.src);
      checkItems(env, [...item.block, ...item.rescue, ...item.always], local);
      return;
    }
    case 'task': {
      const loop = loopOf(item.kw as Record<string, unknown>);
      if (loop) {
        for (const v of loopVarsOf(item.kw as Record<string, unknown>)) local.add(v);
        // with_first_found skips names it cannot render, as Ansible does: they are not checked.
        if (loop.form !== 'first_found') strings(loop.value, item.pos[loop.key] ?? item.src);
        const label = loopControlOf(item.kw as Record<string, unknown>)?.label;
        if (label !== undefined) strings(label, item.pos['loop_control'] ?? item.src);
      }
      for (const key of ['changed_when', 'failed_when', 'until'] as const) {
        for (const text of condList(item.kw[key])) cond(text, item.pos[key] ?? item.src, false);
      }
      // assert's that: (a module's conditionsOf) is parsed now, as when: is, not first on a host
      for (const text of env.deps.getModule(item.module)?.conditionsOf?.(item.args) ?? []) cond(text, item.argsPos, true);
      strings(item.args, item.argsPos);
      checkTemplateFile(env, item, local, what);
      for (const n of strList(item.kw.notify)) {
        if (env.handlerTopics.has(n)) continue;
        // a templated name is rendered on each host (Ansible's notify is templated): its variables are checked
        if (n.includes('{{') || n.includes('{%')) { strings(n, item.pos['notify'] ?? item.src); continue; }
        env.diags.push({
          ...(item.pos['notify'] ?? item.src),
          message: `${what} notifies '${n}', but no handler has that name or listens to it${didYouMean(n, env.handlerTopics)}`,
        });
      }
      return;
    }
    default:
      assertNever(item, 'raw item');
  }
}

function checkTemplateFile(env: CheckEnv, task: RawTask, local: Set<string>, what: string): void {
  const cf = task.controllerFile;
  if (!cf || cf.text === undefined) return;
  const r = env.deps.templateFileRoots(cf.text, cf.path);
  if (!r.ok) {
    env.diags.push({ file: cf.display, line: r.line ?? 1, col: r.col ?? 1, message: `template syntax error: ${r.message.replace(/^template syntax error:?\s*/, '')} (used by ${what})` });
    return;
  }
  const lines = cf.text.split('\n');
  for (const root of r.roots) {
    if (isKnownVar(env, local, root)) continue;
    const re = new RegExp(`\\{[{%][^}]*\\b${root.replace(/[.*+?^${}()|[\]\\@]/g, '\\$&')}\\b`);
    const idx = lines.findIndex((l) => re.test(l));
    env.diags.push({
      file: cf.display,
      line: idx >= 0 ? idx + 1 : 1,
      col: 1,
      message: `undefined variable '${root}' in template ${cf.display} used by ${what}${didYouMean(root, [...env.known, ...local])}`,
    });
  }
}

export function walkStrings(v: unknown, fn: (s: string) => void): void {
  if (typeof v === 'string') fn(v);
  else if (Array.isArray(v)) v.forEach((x) => walkStrings(x, fn));
  else if (v !== null && typeof v === 'object') Object.values(v).forEach((x) => walkStrings(x, fn));
}

/** Names a task makes known for later tasks: its register name and what its module defines (set_fact keys). */
export function definedBy(item: RawItem, deps: Pick<CompileDeps, 'getModule'>): string[] {
  const out: string[] = [];
  if (item.kind === 'block') {
    for (const x of [...item.block, ...item.rescue, ...item.always]) out.push(...definedBy(x, deps));
    return out;
  }
  if (item.kw.register) out.push(item.kw.register);
  if (item.defines) out.push(...item.defines);
  out.push(...(deps.getModule(item.module)?.definesVars?.(item.args) ?? []));
  return out;
}

/**
 * Groups a task's module fills at run time (add_host, vagrant_inventory): hosts in them appear
 * then. A name is literal, or a lone `{{var}}` looked up in the play-level `vars` given.
 */
export function dynamicGroups(item: RawItem, vars: Record<string, unknown>, deps: Pick<CompileDeps, 'getModule'>): string[] {
  if (item.kind === 'block') return [...item.block, ...item.rescue, ...item.always].flatMap((x) => dynamicGroups(x, vars, deps));
  const written = deps.getModule(item.module)?.addsToGroups?.(item.args) ?? [];
  const resolve = (g: string): string => {
    const m = /^\s*\{\{\s*([A-Za-z_]\w*)\s*\}\}\s*$/.exec(g);
    const v = m ? vars[m[1]!] : undefined;
    return m ? (typeof v === 'string' ? v : '') : g;
  };
  return written
    .map(resolve)
    .flatMap((g) => g.split(','))
    .map((g) => g.trim())
    .filter((g) => g && !g.includes('{{'));
}
