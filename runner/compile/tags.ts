// --tags / --skip-tags, following Ansible: `always` runs unless skipped by name, `never` only when asked.
import type { PlanItem } from '../types.js';

export interface TagSelection {
  tags?: string[];
  skipTags?: string[];
}

export function tagSelected(taskTags: string[], sel: TagSelection): boolean {
  const skip = sel.skipTags ?? [];
  const only = sel.tags && sel.tags.length ? sel.tags : ['all'];
  const has = (list: string[]) => taskTags.some((t) => list.includes(t));
  if (has(skip)) return false;
  if (skip.includes('tagged') && taskTags.length > 0) return false;
  if (skip.includes('untagged') && taskTags.length === 0) return false;
  if (taskTags.includes('always')) return true;
  if (taskTags.includes('never')) return has(only);
  if (only.includes('all')) return true;
  if (only.includes('tagged') && taskTags.length > 0) return true;
  if (only.includes('untagged') && taskTags.length === 0) return true;
  return has(only);
}

/** Keeps the items `keep` accepts; a block stays while any of its parts has something left. */
export function filterItems(items: PlanItem[], keep: (t: PlanItem) => boolean): PlanItem[] {
  const out: PlanItem[] = [];
  for (const it of items) {
    if (it.kind === 'task') {
      if (keep(it)) out.push(it);
      continue;
    }
    // a dynamic include is itself selected or not by its own tags, as in Ansible
    if (it.include && !keep(it)) continue;
    const block = filterItems(it.block, keep);
    const rescue = filterItems(it.rescue, keep);
    const always = filterItems(it.always, keep);
    // a candidate of a templated include stays, even empty: a host that picks it must find it
    if (block.length || rescue.length || always.length || it.includeFile !== undefined) out.push({ ...it, block, rescue, always });
  }
  return out;
}
