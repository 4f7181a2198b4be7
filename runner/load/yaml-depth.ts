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

/**
 * Where a text that the parser could not take (its stack overflowed) first nests past the limit:
 * indentation levels, `- ` entries and open flow brackets, counted line by line. An estimate for
 * the message only; quotes and block scalars are not parsed.
 */
export function deepLineOf(text: string): { line: number; col: number } {
  const indents: number[] = [];
  let flow = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let lead = line.length - trimmed.length;
    if (flow === 0) {
      while (indents.length && indents.at(-1)! >= lead) indents.pop();
      indents.push(lead);
      for (let rest = trimmed; rest.startsWith('- '); rest = rest.slice(2)) indents.push((lead += 2));
    }
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (ch === '[' || ch === '{') flow++;
      else if (ch === ']' || ch === '}') flow = Math.max(0, flow - 1);
      if (indents.length + flow > MAX_YAML_DEPTH) return { line: i + 1, col: c + 1 };
    }
  }
  return { line: 1, col: 1 };
}
