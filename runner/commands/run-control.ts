// --start-at-task and --list-tags over a compiled Plan: pure functions, no host involved.
import type { Plan, PlanItem, PlanTask } from '../types.js';

/** Python's fnmatch, as Ansible matches --start-at-task: `*`, `?`, `[seq]`, `[!seq]`. */
export function fnmatch(name: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(name);
}

/** Ansible compares both the task's name and `role : name`. */
export function taskMatches(t: PlanTask, pattern: string): boolean {
  const full = t.role ? `${t.role} : ${t.name}` : t.name;
  return t.name === pattern || full === pattern || fnmatch(t.name, pattern) || fnmatch(full, pattern);
}

export type StartAt = { ok: true; plan: Plan } | { ok: false; message: string };

/**
 * Drops every task before the first one matching `pattern` (across plays, in order). Plays before it keep
 * their header, fact gathering and handlers but no tasks, as ansible-playbook --start-at-task runs them.
 * Inside a block, the earlier items go; its rescue and always stay.
 */
export function startAtTask(plan: Plan, pattern: string): StartAt {
  let found = false;
  const cut = (items: readonly PlanItem[]): PlanItem[] => {
    const out: PlanItem[] = [];
    for (const item of items) {
      if (found) out.push(item);
      else if (item.kind === 'task') {
        if (taskMatches(item, pattern)) {
          found = true;
          out.push(item);
        }
      } else {
        const block = cut(item.block);
        if (found) out.push({ ...item, block });
      }
    }
    return out;
  };
  const plays = plan.plays.map((p) => ({ ...p, tasks: cut(p.tasks) }));
  if (!found) return { ok: false, message: `--start-at-task: no task matches '${pattern}'` };
  return { ok: true, plan: { ...plan, plays } };
}

/** ansible-playbook --list-tags: each play's tags and the union of its tasks' tags. */
export function listTags(plan: Plan): string[] {
  const lines = [`playbook: ${plan.playbook}`, ''];
  plan.plays.forEach((p, i) => {
    const tags = new Set<string>();
    const walk = (items: readonly PlanItem[]) => {
      for (const t of items) {
        t.tags.forEach((x) => tags.add(x));
        if (t.kind === 'block') walk([...t.block, ...t.rescue, ...t.always]);
      }
    };
    walk(p.tasks);
    lines.push(`  play #${i + 1} (${p.pattern}): ${p.name}`, `      TASK TAGS: [${[...tags].sort().join(', ')}]`, '');
  });
  return lines;
}
