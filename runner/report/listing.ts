// --list-hosts and --list-tasks: pure text from the Plan.
import type { Plan, PlanItem } from '../types.js';

export function listHosts(plan: Plan): string[] {
  return plan.plays.flatMap((p) => [`play '${p.name}' (${p.pattern}): ${p.hosts.length} host(s)`, ...p.hosts.map((h) => `  ${h}`), ...(p.noMatch ? [`  [WARNING] ${p.noMatch}`] : [])]);
}

export function listTasks(plan: Plan): string[] {
  return plan.plays.flatMap((p) => [`play '${p.name}' (${p.pattern})`, ...taskLines(p.tasks, '  '), ...(p.handlers.length ? ['  handlers:', ...taskLines(p.handlers, '    ')] : [])]);
}

function taskLines(items: readonly PlanItem[], indent: string): string[] {
  return items.flatMap((t) => {
    const tags = t.tags.length ? `  TAGS: [${t.tags.join(', ')}]` : '';
    const head = `${indent}${t.role ? t.role + ' : ' : ''}${t.name}${tags}`;
    return t.kind === 'block' ? [head, ...taskLines([...t.block, ...t.rescue, ...t.always], indent + '  ')] : [head];
  });
}
