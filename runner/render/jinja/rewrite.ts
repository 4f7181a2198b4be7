// Token rewrites that let @huggingface/jinja's parser read Jinja it does not know: tests with
// arguments (`x is version('2', '>=')`, `x is divisibleby 3`) and dotted filter or test names
// (`x | ansible.builtin.to_json`). A test becomes a filter named TEST_PREFIX + name.
import { TEST_PREFIX, type Pos, type Tok } from './tokens.js';

const NOT_TEST_ARG = new Set(['and', 'or', 'else', 'if', 'is', 'not', 'in']);

/** In-place: tests to filter form, dotted filter/test names to one identifier. Only tokens from `first`. */
export function rewriteTests(tokens: Tok[], pos: Pos[], first: number): void {
  const out: Tok[] = [];
  const outPos: Pos[] = [];
  const src = tokens.splice(first);
  const sp = pos.splice(first);
  const dotted = (k: number): [string, number] => {
    let name = src[k]!.value;
    while (src[k + 1]?.type === 'Dot' && src[k + 2]?.type === 'Identifier') {
      name += '.' + src[k + 2]!.value;
      k += 2;
    }
    return [name, k];
  };
  for (let k = 0; k < src.length; k++) {
    const t = src[k]!;
    const prev = out.at(-1);
    if (t.type === 'Identifier' && prev?.type === 'Pipe' && src[k + 1]?.type === 'Dot') {
      const [name, last] = dotted(k);
      out.push({ value: name, type: 'Identifier' }), outPos.push(sp[k]!);
      k = last;
      continue;
    }
    if (t.type === 'Identifier' && t.value === 'is' && prev && prev.type !== 'Dot') {
      let m = k + 1;
      const negated = src[m]?.type === 'Identifier' && src[m]!.value === 'not' && src[m + 1]?.type === 'Identifier';
      if (negated) m++;
      if (src[m]?.type !== 'Identifier') { out.push(t), outPos.push(sp[k]!); continue; } // the parser reports it
      const [name, last] = dotted(m);
      out.push({ value: '|', type: 'Pipe' }, { value: `${TEST_PREFIX}${negated ? 'not' : ''}:${name}`, type: 'Identifier' });
      outPos.push(sp[k]!, sp[m]!);
      k = last;
      const next = src[k + 1];
      const arg = next && (next.type === 'StringLiteral' || next.type === 'NumericLiteral' || (next.type === 'Identifier' && !NOT_TEST_ARG.has(next.value)));
      if (arg) {
        // `x is sameas true`, `x is divisibleby 3`: one argument without parentheses
        let e = k + 1;
        if (next.type === 'Identifier') while (src[e + 1]?.type === 'Dot' && src[e + 2]?.type === 'Identifier') e += 2;
        out.push({ value: '(', type: 'OpenParen' }, ...src.slice(k + 1, e + 1), { value: ')', type: 'CloseParen' });
        outPos.push(sp[k + 1]!, ...sp.slice(k + 1, e + 1), sp[e]!);
        k = e;
      }
      continue;
    }
    out.push(t), outPos.push(sp[k]!);
  }
  tokens.push(...out);
  pos.push(...outPos);
}
