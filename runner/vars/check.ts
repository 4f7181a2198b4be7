// Load-time checks of declared variables that refer to each other: reference cycles, chains past
// MAX_VAR_CHAIN, and expansions past MAX_RENDER_CHARS (estimated from the references, without
// rendering). Pure; iterative, so a long chain cannot overflow the stack.
import { MAX_RENDER_CHARS, MAX_VAR_CHAIN, mib } from '../render/limits.js';
import { templateRefs } from '../render/jinja/index.js';
import type { Diagnostic, SourcePos, Vars } from '../types.js';

interface Node {
  /** Literal size of the value's strings, in characters. */
  own: number;
  /** Declared variables it refers to, with how many times. */
  refs: Map<string, number>;
}

/** Diagnostics for `vars` (one scope: what one play or role declares); `posOf` places a key. */
export function checkVarGraph(vars: Vars, posOf: (key: string) => SourcePos): Diagnostic[] {
  const nodes = new Map<string, Node>();
  for (const key of Object.keys(vars)) nodes.set(key, scan(vars[key]));
  for (const n of nodes.values()) for (const r of [...n.refs.keys()]) if (!nodes.has(r)) n.refs.delete(r);
  const diags: Diagnostic[] = [];
  const order = topoOrder(nodes);
  for (const cycle of order.cycles) {
    diags.push({ ...posOf(cycle[0]!), message: `variable '${cycle[0]}' refers to itself: ${[...cycle, cycle[0]].join(' -> ')}` });
  }
  const inCycle = new Set(order.cycles.flat());
  const size = new Map<string, number>();
  const chain = new Map<string, number>();
  for (const key of order.sorted) {
    if (inCycle.has(key)) continue;
    const n = nodes.get(key)!;
    let total = n.own;
    let longest = 0;
    let refOver = false;
    for (const [r, count] of n.refs) {
      if (inCycle.has(r)) continue;
      const s = size.get(r) ?? 0;
      if (s > MAX_RENDER_CHARS) refOver = true;
      total += count * s;
      longest = Math.max(longest, (chain.get(r) ?? 0) + 1);
    }
    size.set(key, total);
    chain.set(key, longest);
    if (total > MAX_RENDER_CHARS && !refOver) {
      diags.push({ ...posOf(key), message: `variable '${key}' expands to about ${approx(total)} characters, past the limit of ${mib(MAX_RENDER_CHARS)}` });
    }
    if (longest === MAX_VAR_CHAIN + 1) {
      diags.push({ ...posOf(key), message: `variable '${key}' refers through a chain of more than ${MAX_VAR_CHAIN} variables (limit ${MAX_VAR_CHAIN})` });
    }
  }
  return diags;
}

function approx(n: number): string {
  if (!Number.isFinite(n)) return 'infinitely many';
  const exp = Math.floor(Math.log2(n));
  return exp >= 30 ? `2^${exp}` : `${Math.round(n / (1024 * 1024))} Mi`;
}

/** Literal size and references of a value; a string that is not a valid template counts as literal (reported elsewhere). */
function scan(value: unknown): Node {
  const node: Node = { own: 0, refs: new Map() };
  const todo: unknown[] = [value];
  while (todo.length) {
    const v = todo.pop();
    if (typeof v === 'string') node.own += /\{[{%#]/.test(v) ? countRefs(v, node.refs) : v.length;
    else if (Array.isArray(v)) todo.push(...v);
    else if (v !== null && typeof v === 'object') todo.push(...Object.values(v));
  }
  return node;
}

/** Counts each name a template reads (every occurrence; loop bodies once); returns its literal text size. */
function countRefs(text: string, refs: Map<string, number>): number {
  const r = templateRefs(text);
  if (!r) return text.length;
  for (const [name, n] of r.refs) refs.set(name, (refs.get(name) ?? 0) + n);
  return r.literal;
}

/** Keys in dependency order (references first), and the cycles found (each once, as a path). */
function topoOrder(nodes: Map<string, Node>): { sorted: string[]; cycles: string[][] } {
  const state = new Map<string, 'open' | 'done'>();
  const sorted: string[] = [];
  const cycles: string[][] = [];
  for (const start of nodes.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ key: string; refs: string[] }> = [{ key: start, refs: [...nodes.get(start)!.refs.keys()] }];
    state.set(start, 'open');
    while (stack.length) {
      const top = stack.at(-1)!;
      const next = top.refs.pop();
      if (next === undefined) {
        state.set(top.key, 'done');
        sorted.push(top.key);
        stack.pop();
        continue;
      }
      const s = state.get(next);
      if (s === 'open') {
        const from = stack.findIndex((f) => f.key === next);
        cycles.push(stack.slice(from).map((f) => f.key));
      } else if (s === undefined) {
        state.set(next, 'open');
        stack.push({ key: next, refs: [...nodes.get(next)!.refs.keys()] });
      }
    }
  }
  return { sorted, cycles };
}
