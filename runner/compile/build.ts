// Raw tasks -> plan items: stable ids, inherited tags and conditions, normalized keywords.
import { assertNever } from '../errors.js';
import type { PlanBlock, PlanItem, PlanTask, TaskCommon, Vars } from '../types.js';
import type { RawItem, RawTask, RoleUse } from '../load/types.js';
import { asObj, condList, strList } from '../load/util.js';
import { execKeywords } from '../load/exec-keywords.js';
import { loopControlOf, loopOf } from '../load/loop-keys.js';

/** `<prefix>/<name>`, then `#2`, `#3` for repeats within one playbook. */
export class IdAllocator {
  private readonly seen = new Map<string, number>();
  next(prefix: string, name: string): string {
    const base = `${prefix}/${name}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }
}

/** What a task inherits from its play, role entry and enclosing blocks. */
export interface Inherit {
  tags: string[];
  when: string[];
  vars: Vars;
}

/** Plan items carry their task/block `vars:` here until the shared contract has a field for it. */
export type WithVars<T> = T & { vars?: Vars };

export function inheritFromRole(playTags: string[], use: RoleUse | undefined): Inherit {
  return { tags: [...playTags, ...(use?.tags ?? [])], when: [...(use?.when ?? [])], vars: {} };
}

export function displayName(item: RawItem): string {
  if (item.kw.name) return item.kw.name;
  switch (item.kind) {
    case 'task':
      return item.module;
    case 'block':
      return 'block';
    default:
      return assertNever(item, 'raw item');
  }
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

export function buildItem(item: RawItem, inh: Inherit, ids: IdAllocator): WithVars<PlanItem> {
  const kw = item.kw;
  const tags = uniq([...inh.tags, ...item.inheritedTags, ...strList(kw.tags)]);
  const vars = { ...inh.vars, ...item.inheritedVars, ...asObj(kw.vars) };
  const name = displayName(item);
  const common: TaskCommon = clean({
    id: ids.next(item.idPrefix, name),
    name,
    src: item.src,
    role: item.role,
    baseDir: item.baseDir,
    when: [...inh.when, ...item.inheritedWhen, ...condList(kw.when)],
    tags,
    become: kw.become,
    becomeUser: kw.become_user,
    environment: kw.environment,
    noLog: kw.no_log === true,
    ignoreErrors: kw.ignore_errors === true,
    cache: kw.cache !== false,
    keywords: execKeywords(kw as Record<string, unknown>),
  });
  const withVars = Object.keys(vars).length ? { vars } : {};
  switch (item.kind) {
    case 'task':
      return { ...buildTask(item, common), ...withVars };
    case 'block': {
      // An include's own tags select the include; its tasks get the outer tags and apply's.
      const inc = item.include;
      const childTags = inc ? uniq([...inh.tags, ...item.inheritedTags, ...inc.applyTags]) : tags;
      const child: Inherit = { tags: childTags, when: [], vars };
      const sub = (xs: RawItem[]) => xs.map((x) => buildItem(x, child, ids));
      const block: PlanBlock = { ...common, kind: 'block', block: sub(item.block), rescue: sub(item.rescue), always: sub(item.always) };
      if (inc) {
        const loop = loopOf(kw as Record<string, unknown>);
        block.include = clean({
          action: inc.action, file: inc.file, templated: inc.templated, dirs: inc.dirs,
          loop: loop?.value, loopWith: loop && loop.form !== 'loop' ? loop.form : undefined,
          loopControl: loop ? loopControlOf(kw as Record<string, unknown>) : undefined,
        });
      }
      if (item.includeFile !== undefined) block.includeFile = item.includeFile;
      if (item.includeErrors?.length) block.includeErrors = item.includeErrors;
      return { ...block, ...withVars };
    }
    default:
      return assertNever(item, 'raw item');
  }
}

function buildTask(t: RawTask, common: TaskCommon): PlanTask {
  const kw = t.kw;
  const opt = (v: unknown) => (v === undefined ? undefined : condList(v));
  const loop = loopOf(kw as Record<string, unknown>);
  return clean({
    ...common,
    kind: 'task' as const,
    module: t.module,
    args: t.args,
    loop: loop?.value,
    loopWith: loop && loop.form !== 'loop' ? loop.form : undefined,
    loopControl: loop ? loopControlOf(kw as Record<string, unknown>) : undefined,
    register: kw.register,
    notify: strList(kw.notify),
    changedWhen: opt(kw.changed_when),
    failedWhen: opt(kw.failed_when),
    timeoutSec: kw.timeout,
    retries: kw.retries,
    until: opt(kw.until),
    delaySec: kw.delay,
    listen: kw.listen === undefined ? undefined : strList(kw.listen),
  });
}
