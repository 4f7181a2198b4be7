// Pure edit of an Ansible YAML inventory: put one host (with vars) into one group, in place,
// through the `yaml` Document API so the user's comments, key order and quoting survive.
import { isMap, isScalar, parseDocument, stringify, YAMLMap, type Document, type Scalar } from 'yaml';

export type InventoryVarValue = string | number | boolean;

export interface InventoryEdit {
  group: string;
  host: string;
  vars: Record<string, InventoryVarValue>;
}

export type EditResult =
  | { ok: true; changed: boolean; text: string; changes: string[] }
  | { ok: false; error: string };

/** Where the group was found, or that it has to be made under all.children. */
function findGroup(doc: Document, name: string): YAMLMap | null | undefined {
  const seen = new Set<unknown>();
  const walk = (groups: unknown): YAMLMap | null | undefined => {
    if (!isMap(groups) || seen.has(groups)) return undefined;
    seen.add(groups);
    for (const pair of groups.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === name) return isMap(pair.value) ? pair.value : null;
      if (isMap(pair.value)) {
        const inner = walk(pair.value.get('children', true));
        if (inner !== undefined) return inner;
      }
    }
    return undefined;
  };
  return walk(doc.contents);
}

/** A map node at `key` of `parent`, created (block style) when missing or empty. */
function ensureMap(doc: Document, parent: YAMLMap, key: string): YAMLMap | { error: string } {
  const cur = parent.get(key, true);
  if (isMap(cur)) return cur;
  if (cur !== undefined && cur !== null && !(isScalar(cur) && (cur.value === null || cur.value === undefined))) {
    return { error: `"${key}" is not a mapping` };
  }
  const map = doc.createNode({}) as YAMLMap;
  parent.set(doc.createNode(key), map);
  return map;
}

function sameValue(node: unknown, want: InventoryVarValue): boolean {
  return isScalar(node) && node.value === want;
}

/**
 * Puts `host` into `group` with `vars`. The group is searched among the top-level groups and
 * their children (any depth); a missing group is added under all.children. Existing values
 * that already match are left untouched (same text), other host vars are kept.
 */
export function editInventory(text: string, edit: InventoryEdit): EditResult {
  const doc: Document = parseDocument(text);
  if (doc.errors.length) return { ok: false, error: `inventory is not valid YAML: ${doc.errors[0]!.message}` };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode({}) as YAMLMap;
  if (!isMap(doc.contents)) return { ok: false, error: 'inventory root is not a mapping' };
  const root = doc.contents;
  const changes: string[] = [];
  // Value updates are spliced into the original text (byte-exact elsewhere); adding a group, host
  // or key re-serialises the document (comments and key order kept, spacing may be normalised).
  const splices: Array<{ start: number; end: number; text: string }> = [];
  let structural = false;

  let group = findGroup(doc, edit.group);
  if (group === undefined || group === null) {
    structural = true;
    let parent: YAMLMap;
    if (group === null) {
      parent = findParentOfEmptyGroup(doc, edit.group)!;
    } else {
      const all = ensureMap(doc, root, 'all');
      if ('error' in all) return { ok: false, error: `all: ${all.error}` };
      const children = ensureMap(doc, all, 'children');
      if ('error' in children) return { ok: false, error: `all.children: ${children.error}` };
      parent = children;
      changes.push(`add group ${edit.group} under all.children`);
    }
    group = doc.createNode({}) as YAMLMap;
    parent.set(doc.createNode(edit.group), group);
  }
  if (!isMap(group.get('hosts', true))) structural = true;
  const hosts = ensureMap(doc, group, 'hosts');
  if ('error' in hosts) return { ok: false, error: `${edit.group}.hosts: ${hosts.error}` };
  let hostNode: unknown = hosts.get(edit.host, true);
  if (!isMap(hostNode)) {
    if (hostNode !== undefined && !(isScalar(hostNode) && hostNode.value === null)) {
      return { ok: false, error: `${edit.group}.hosts.${edit.host} is not a mapping` };
    }
    if (hostNode === undefined) changes.push(`add host ${edit.host} to group ${edit.group}`);
    structural = true;
    hostNode = doc.createNode({}) as YAMLMap;
    hosts.set(doc.createNode(edit.host), hostNode);
  }
  const hostMap = hostNode as YAMLMap;
  for (const [key, want] of Object.entries(edit.vars)) {
    const cur = hostMap.get(key, true);
    if (sameValue(cur, want)) continue;
    if (isScalar(cur) && cur.range) {
      changes.push(`${edit.host}.${key}: ${JSON.stringify(cur.value)} -> ${JSON.stringify(want)}`);
      splices.push({ start: cur.range[0], end: cur.range[1], text: scalarSource(want, cur.type) });
      cur.value = want; // keeps the node's comments
    } else {
      structural = true;
      changes.push(`${edit.host}.${key} = ${JSON.stringify(want)}`);
      hostMap.set(doc.createNode(key), doc.createNode(want));
    }
  }
  if (changes.length === 0) return { ok: true, changed: false, text, changes };
  if (structural) return { ok: true, changed: true, text: doc.toString({ lineWidth: 0 }), changes };
  let out = text;
  for (const sp of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, sp.start) + sp.text + out.slice(sp.end);
  return { ok: true, changed: true, text: out, changes };
}

/** YAML source for a scalar, in the replaced node's quoting style when it had one. */
export function scalarSource(v: InventoryVarValue, type?: Scalar.Type): string {
  if (typeof v !== 'string') return String(v);
  if (type === 'QUOTE_SINGLE') return `'${v.replace(/'/g, "''")}'`;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(v);
  const plain = stringify(v, { lineWidth: 0 }).replace(/\n$/, '');
  return plain.includes('\n') ? JSON.stringify(v) : plain;
}

/** The map holding a group key whose value is empty (`web:` with nothing under it). */
function findParentOfEmptyGroup(doc: Document, name: string): YAMLMap | undefined {
  const walk = (groups: unknown): YAMLMap | undefined => {
    if (!isMap(groups)) return undefined;
    for (const pair of groups.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === name) return groups;
      if (isMap(pair.value)) {
        const inner = walk(pair.value.get('children', true));
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return walk(doc.contents);
}
