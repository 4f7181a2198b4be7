// compilePlan: loaded project + inventory -> Plan, or every diagnostic. Pure: no fs, no network.
import type { Diagnostic, Inventory, PlanItem, PlanPlay, PlanTask, Vars } from '../types.js';
import type { LoadedProject, RawItem, RawPlay, RawTask, RoleInclude } from '../load/types.js';
import { sortDiagnostics } from '../load/project.js';
import { didYouMean } from '../load/suggest.js';
import { strList } from '../load/util.js';
import { buildItem, IdAllocator, inheritFromRole, type Inherit } from './build.js';
import { checkItems, definedBy, dynamicGroups, isKnownVar, type CheckEnv } from './checks.js';
import { checkRoleSchemas } from './role-schemas.js';
import { filterItems, tagSelected } from './tags.js';
import type { CompileDeps, CompileOptions, CompileResult } from './types.js';

export function compilePlan(project: LoadedProject, inventory: Inventory, opts: CompileOptions, deps: CompileDeps): CompileResult {
  const diags: Diagnostic[] = [];
  const top = { file: project.playbook, line: 1, col: 1 };
  if (opts.role !== undefined && !project.plays.some((p) => p.roles.some((r) => r.name === opts.role))) {
    const used = project.plays.flatMap((p) => p.roles.map((r) => r.name));
    diags.push({ ...top, message: `--role ${opts.role}: no play uses role '${opts.role}'${didYouMean(opts.role, used)}` });
  }
  // set_fact / register names persist per host across plays, so names from every play count.
  const defined = project.plays.flatMap((p) => allItems(project, p).flatMap((i) => definedBy(i, deps)));
  const dynamic = new Set<string>();
  // One allocator for the whole playbook: a same-named task in two plays gets its own id (and record).
  const ids = new IdAllocator();
  const plays: PlanPlay[] = [];
  for (const play of project.plays) {
    const compiled = compilePlay(project, play, inventory, opts, deps, { defined, dynamic, ids }, diags);
    const l = roleLayers(project, play);
    const playVars = { ...l.roleDefaults, ...play.vars, ...play.varsFromFiles, ...l.roleVars, ...opts.extraVars };
    allItems(project, play).flatMap((i) => dynamicGroups(i, playVars, deps)).forEach((g) => dynamic.add(g));
    if (!compiled) continue;
    if (opts.role !== undefined && !play.roles.some((r) => r.name === opts.role)) continue;
    plays.push(compiled);
  }
  if (diags.length) return { ok: false, diagnostics: sortDiagnostics(diags) };
  return { ok: true, plan: { playbook: project.playbook, playbookDir: project.baseDir, plays, inventory, extraVars: opts.extraVars } };
}

/** Role defaults, then role vars and params, merged in role order; then the roles tasks import or include. */
function roleLayers(project: LoadedProject, play: RawPlay): { roleDefaults: Vars; roleVars: Vars } {
  let roleDefaults: Vars = {};
  let roleVars: Vars = {};
  for (const use of play.roles) {
    const role = project.roles.get(use.name);
    roleDefaults = { ...roleDefaults, ...role?.defaults };
    roleVars = { ...roleVars, ...role?.vars, ...use.params };
  }
  for (const ri of taskRoles(allItems(project, play))) {
    const role = project.roles.get(ri.name);
    roleDefaults = { ...roleDefaults, ...(ri.defaults ?? role?.defaults) };
    roleVars = { ...roleVars, ...(ri.vars ?? role?.vars) };
  }
  return { roleDefaults, roleVars };
}

/** The import_role / include_role uses inside these items, in order. */
function taskRoles(items: RawItem[]): RoleInclude[] {
  return items.flatMap((i) => (i.kind === 'block' ? [...taskRoles([...i.block, ...i.rescue, ...i.always]), ...(i.roleInclude ? [i.roleInclude] : [])] : []));
}

/** Handlers of the roles a play's tasks import or include, each role once, unless the play lists the role. */
function taskRoleHandlers(project: LoadedProject, play: RawPlay): RawTask[] {
  const listed = new Set(play.roles.map((r) => r.name));
  const names = [...new Set(taskRoles(allItems(project, play)).map((r) => r.name))].filter((n) => !listed.has(n));
  return names.flatMap((n) => project.roles.get(n)?.handlers ?? []);
}

/** Every raw task and handler of a play, roles included. */
function allItems(project: LoadedProject, play: RawPlay): RawItem[] {
  const roleItems = play.roles.flatMap((u) => {
    const r = project.roles.get(u.name);
    return r ? [...r.tasks, ...r.handlers] : [];
  });
  return [...play.preTasks, ...roleItems, ...play.tasks, ...play.postTasks, ...play.handlers];
}

/**
 * Hosts of a play; [] for a group that add_host fills at run time or that --limit leaves empty. A
 * pattern that matches no host skips the play with a warning, as in Ansible (noMatch says why).
 */
function selectPlayHosts(
  play: RawPlay, inv: Inventory, opts: CompileOptions, deps: CompileDeps, dynamic: Set<string>, diags: Diagnostic[],
  warn: (msg: string) => void,
): string[] | undefined {
  const runtime = play.pattern.split(/[:,&!]+/).some((g) => dynamic.has(g.trim()));
  const all = deps.selectHosts(inv, play.pattern);
  if (!all.ok || all.hosts.length === 0) {
    if (runtime) return [];
    const why = all.ok ? `matches no host in ${inv.file}` : all.message;
    const implicit = [...inv.hosts.values()].some((h) => h.implicit) && /(^|[,:&!])\s*(all|\*)\s*($|[,:])/.test(play.pattern);
    warn(`${play.hostsPos.file}:${play.hostsPos.line}: hosts: ${why}${implicit ? "; the implicit localhost does not match 'all' (name it: hosts: localhost)" : ''}; skipping the play`);
    return [];
  }
  if (opts.limit === undefined) return all.hosts;
  const limited = deps.selectHosts(inv, play.pattern, opts.limit);
  if (limited.ok) return limited.hosts;
  // A valid --limit that leaves this play empty skips the play, as in Ansible.
  const alone = deps.selectHosts(inv, opts.limit);
  if (alone.ok && alone.hosts.length) return [];
  diags.push({ ...play.hostsPos, message: `--limit ${opts.limit}: ${alone.ok ? 'matches no host' : alone.message}` });
  return undefined;
}

function compilePlay(
  project: LoadedProject, play: RawPlay, inv: Inventory, opts: CompileOptions, deps: CompileDeps,
  shared: { defined: string[]; dynamic: Set<string>; ids: IdAllocator }, diags: Diagnostic[],
): PlanPlay | undefined {
  let noMatch: string | undefined;
  const hosts = selectPlayHosts(play, inv, opts, deps, shared.dynamic, diags, (m) => { noMatch = m; });
  const { roleDefaults, roleVars } = roleLayers(project, play);

  // Variables known to every task of the play.
  const known = new Set<string>([
    ...Object.keys(play.vars), ...Object.keys(play.varsFromFiles), ...Object.keys(roleDefaults),
    ...Object.keys(roleVars), ...Object.keys(opts.extraVars), ...shared.defined,
    ...(play.varsPrompt ?? []).map((p) => p.name),
  ]);
  const inventoryHosts = hosts && hosts.length ? hosts : [...inv.hosts.keys()];
  for (const h of inventoryHosts) for (const k of Object.keys(inv.hosts.get(h)?.vars ?? {})) known.add(k);
  if (!hosts || hosts.length === 0) for (const g of inv.groups.values()) for (const k of Object.keys(g.vars)) known.add(k);

  const rawHandlers = [...play.roles.flatMap((u) => project.roles.get(u.name)?.handlers ?? []), ...taskRoleHandlers(project, play), ...play.handlers];
  // a name that is not a string was reported by the schema; it names no topic
  const topics = new Set<string>(rawHandlers.flatMap((h) => [...(typeof h.kw.name === 'string' && h.kw.name !== '' ? [h.kw.name] : []), ...strList(h.kw.listen)]));
  // what the items that did not load may define or be notified as is not reported missing
  for (const n of project.lost?.names ?? []) known.add(n);
  for (const n of project.lost?.topics ?? []) topics.add(n);
  const env: CheckEnv = { deps, known, handlerTopics: topics, diags, seenInherited: new Set(), anyDefined: project.lost?.any === true };
  for (const use of play.roles) {
    for (const text of use.when) {
      const at = `role '${use.name}' (${use.src.file}:${use.src.line})`;
      const r = deps.parseCondition(text);
      if (!r.ok) diags.push({ ...use.src, message: `invalid condition ${JSON.stringify(text)} on ${at}: ${r.message}` });
      else for (const root of deps.conditionRoots(r.expr)) {
        if (!isKnownVar(env, new Set(), root)) diags.push({ ...use.src, message: `undefined variable '${root}' in when of ${at}` });
      }
    }
  }
  checkItems(env, allItems(project, play), new Set());
  if (hosts) diags.push(...checkRoleSchemas(play, hosts, project.roles, inv, { roleDefaults, roleVars, extraVars: opts.extraVars }));

  const ids = shared.ids;
  const build = (items: RawItem[], inh: Inherit): PlanItem[] => items.map((i) => buildItem(i, inh, ids));
  const playInh = inheritFromRole(play.tags, undefined);
  let tasks: PlanItem[] = [
    ...build(play.preTasks, playInh),
    ...play.roles.flatMap((u) => build(project.roles.get(u.name)?.tasks ?? [], inheritFromRole(play.tags, u))),
    ...build(play.tasks, playInh),
    ...build(play.postTasks, playInh),
  ];
  const buildHandlers = (hs: RawTask[], inh: Inherit) => hs.map((h) => buildItem(h, inh, ids) as PlanTask);
  let handlers: PlanTask[] = [
    ...play.roles.flatMap((u) => buildHandlers(project.roles.get(u.name)?.handlers ?? [], inheritFromRole(play.tags, u))),
    ...buildHandlers(taskRoleHandlers(project, play), playInh),
    ...buildHandlers(play.handlers, playInh),
  ];
  tasks = filterItems(tasks, (t) => tagSelected(t.tags, opts));
  if (opts.role !== undefined) {
    tasks = filterItems(tasks, (t) => t.role === opts.role);
    handlers = handlers.filter((h) => h.role === opts.role);
  }
  if (!hosts) return undefined;
  const out: PlanPlay = {
    name: play.name,
    src: play.src,
    pattern: play.pattern,
    hosts,
    vars: { ...play.vars, ...play.varsFromFiles },
    roleDefaults,
    roleVars,
    gatherFacts: play.gatherFacts,
    tasks,
    handlers,
    roles: play.roles.map((r) => r.name),
  };
  if (play.become !== undefined) out.become = play.become;
  if (play.becomeUser !== undefined) out.becomeUser = play.becomeUser;
  if (play.serial !== undefined) out.serial = play.serial;
  if (play.keywords !== undefined) out.keywords = play.keywords;
  if (play.maxFailPercentage !== undefined) out.maxFailPercentage = play.maxFailPercentage;
  if (play.varsPrompt !== undefined) out.varsPrompt = play.varsPrompt;
  if (play.order !== undefined) out.order = play.order;
  if (noMatch !== undefined) out.noMatch = noMatch;
  return out;
}
