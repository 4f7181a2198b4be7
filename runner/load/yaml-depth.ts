// Nesting depth of a parsed YAML document, walked without recursion: deeper documents are refused
// at load time (everything after loading walks values recursively).
import { isAlias, isMap, isPair, isSeq, type Document, type Node } from 'yaml';

/** Mappings and sequences may nest this deep (docs/templating.md, "Limits"). */
export const MAX_YAML_DEPTH = 200;

/** Offset of the first node nested deeper than MAX_YAML_DEPTH, if any. */
export function tooDeepAt(doc: Document): number | undefined {
  const todo: Array<[unknown, number]> = [[doc.contents, 0]];
  while (todo.length) {
    const [node, depth] = todo.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_YAML_DEPTH) return (node as Node).range?.[0] ?? 0;
    for (const item of node.items) {
      if (isPair(item)) {
        if (item.value && !isAlias(item.value)) todo.push([item.value, depth + 1]);
      } else if (!isAlias(item)) todo.push([item, depth + 1]);
    }
  }
  return undefined;
}
