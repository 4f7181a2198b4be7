// Ansible's ansible_eval_concat: a YAML value rendered from several parts whose text looks like
// a list, a dict or a boolean ("[{{ a }}, {{ b }}]", "{{ x }}{{ y }}" giving "True") becomes that
// value when it is a Python literal. Only literals are read (strings, numbers, True/False/None,
// JSON's true/false/null, lists, tuples, dicts): nothing is looked up or called.
import { JinjaSyntaxError } from './lexer.js';
import { type Node, parseExpression } from './parse.js';

const NOT = Symbol('not a literal');
const NAMES: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, null: null };

function literal(n: Node): unknown {
  switch (n.type) {
    case 'StringLiteral':
    case 'IntegerLiteral':
    case 'FloatLiteral':
      return n.value;
    case 'Identifier':
      return Object.hasOwn(NAMES, n.value) ? NAMES[n.value] : NOT;
    case 'UnaryExpression': {
      const v = literal(n.argument);
      return typeof v === 'number' && (n.operator.value === '-' || n.operator.value === '+') ? (n.operator.value === '-' ? -v : v) : NOT;
    }
    case 'ArrayLiteral':
    case 'TupleLiteral': {
      const out = n.value.map(literal);
      return out.includes(NOT) ? NOT : out;
    }
    case 'ObjectLiteral': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of n.value) {
        const key = literal(k);
        const value = literal(v);
        if (key === NOT || value === NOT || (typeof key !== 'string' && typeof key !== 'number')) return NOT;
        out[String(key)] = value;
      }
      return out;
    }
    default:
      return NOT;
  }
}

/** The value `text` stands for when Ansible would literal_eval it; otherwise the text itself. */
export function evalConcat(text: string): unknown {
  if (!(text.startsWith('[') || text.startsWith('{') || text === 'True' || text === 'False')) return text;
  if (text.length > 1_000_000) return text;
  try {
    const p = parseExpression(text);
    const v = literal(p.body[0]!);
    return v === NOT ? text : v;
  } catch (err) {
    if (err instanceof JinjaSyntaxError) return text;
    throw err;
  }
}
