// to_yaml / to_nice_yaml output exactly as Ansible produces it: PyYAML's SafeRepresenter and
// resolver feeding libyaml's emitter (CSafeDumper). Ported: scalar analysis, style choice, plain /
// single / double quoted writers with line folding at `width`, block and flow collections.
import { FilterError, floatRepr, isDict, isPyInt, pyCmp, typeName } from './py.js';
import { analyze, isBreak, printable, resolvesToStr } from './yaml-scalar.js';

type Node =
  | { kind: 'scalar'; value: string; plainImplicit: boolean }
  | { kind: 'seq'; items: Node[]; flow: boolean }
  | { kind: 'map'; pairs: Array<[Node, Node]>; flow: boolean };

export interface DumpOptions {
  indent: number;
  width: number;
  defaultFlowStyle: boolean | null;
  sortKeys: boolean;
  explicitStart: boolean;
}

function represent(v: unknown, o: DumpOptions): Node {
  if (v === null || v === undefined) return { kind: 'scalar', value: 'null', plainImplicit: true };
  if (typeof v === 'boolean') return { kind: 'scalar', value: v ? 'true' : 'false', plainImplicit: true };
  if (typeof v === 'number') {
    let s: string;
    if (Number.isNaN(v)) s = '.nan';
    else if (!Number.isFinite(v)) s = v > 0 ? '.inf' : '-.inf';
    else if (isPyInt(v)) s = String(v);
    else {
      s = floatRepr(v).toLowerCase();
      if (!s.includes('.') && s.includes('e')) s = s.replace('e', '.0e');
    }
    return { kind: 'scalar', value: s, plainImplicit: true };
  }
  if (typeof v === 'string') return { kind: 'scalar', value: v, plainImplicit: resolvesToStr(v) };
  const flowOf = (nodes: Node[]) => o.defaultFlowStyle ?? nodes.every((n) => n.kind === 'scalar');
  if (Array.isArray(v)) {
    const items = v.map((x) => represent(x, o));
    return { kind: 'seq', items, flow: flowOf(items) };
  }
  if (isDict(v)) {
    const entries = Object.entries(v);
    if (o.sortKeys) entries.sort((a, b) => pyCmp(a[0], b[0]));
    const pairs = entries.map(([k, x]) => [represent(k, o), represent(x, o)] as [Node, Node]);
    return { kind: 'map', pairs, flow: flowOf(pairs.flat()) };
  }
  throw new FilterError(`cannot represent an object of type ${typeName(v)} as YAML`);
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\x0b': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P',
};

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;
  indents: number[] = [];
  flowLevel = 0;
  simpleKey = false;
  mappingCtx = false;

  constructor(private readonly bestIndent: number, private readonly bestWidth: number) {}

  put(s: string): void {
    this.out += s;
    this.column += Array.from(s).length;
  }
  putBreak(c = '\n'): void {
    this.out += c;
    this.column = 0;
  }
  indicator(ind: string, needWs: boolean, isWs: boolean, isIndention: boolean): void {
    if (needWs && !this.whitespace) this.put(' ');
    this.put(ind);
    this.whitespace = isWs;
    this.indention = this.indention && isIndention;
  }
  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }
  increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }
  popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  node(n: Node, ctx: { mapping?: boolean; simpleKey?: boolean } = {}): void {
    this.mappingCtx = !!ctx.mapping;
    this.simpleKey = !!ctx.simpleKey;
    if (n.kind === 'scalar') {
      this.increaseIndent(true, false);
      this.scalar(n);
      this.popIndent();
    } else if (n.kind === 'seq') {
      if (this.flowLevel || n.flow || !n.items.length) this.flowSeq(n.items);
      else this.blockSeq(n.items);
    } else if (this.flowLevel || n.flow || !n.pairs.length) this.flowMap(n.pairs);
    else this.blockMap(n.pairs);
  }

  simple(n: Node): boolean {
    if (n.kind === 'scalar') return !analyze(n.value).multiline && Buffer.byteLength(n.value) <= 128;
    return n.kind === 'seq' ? !n.items.length : !n.pairs.length;
  }

  flowSeq(items: Node[]): void {
    this.indicator('[', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    items.forEach((item, i) => {
      if (i) this.indicator(',', false, false, false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item);
    });
    this.flowLevel--;
    this.popIndent();
    this.indicator(']', false, false, false);
  }

  flowMap(pairs: Array<[Node, Node]>): void {
    this.indicator('{', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    pairs.forEach(([k, v], i) => {
      if (i) this.indicator(',', false, false, false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.simple(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.indicator(':', false, false, false);
      } else {
        this.indicator('?', true, false, false);
        this.node(k, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.indicator(':', true, false, false);
      }
      this.node(v, { mapping: true });
    });
    this.flowLevel--;
    this.popIndent();
    this.indicator('}', false, false, false);
  }

  blockSeq(items: Node[]): void {
    this.increaseIndent(false, this.mappingCtx && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.indicator('-', true, false, true);
      this.node(item);
    }
    this.popIndent();
  }

  blockMap(pairs: Array<[Node, Node]>): void {
    this.increaseIndent(false, false);
    for (const [k, v] of pairs) {
      this.writeIndent();
      if (this.simple(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.indicator(':', false, false, false);
      } else {
        this.indicator('?', true, false, true);
        this.node(k, { mapping: true });
        this.writeIndent();
        this.indicator(':', true, false, true);
      }
      this.node(v, { mapping: true });
    }
    this.popIndent();
  }

  scalar(n: { value: string; plainImplicit: boolean }): void {
    const a = analyze(n.value);
    let style: 'plain' | 'single' | 'double' = 'plain';
    if (this.simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel && !a.flowPlain) || (!this.flowLevel && !a.blockPlain)) style = 'single';
      if (!n.value && (this.flowLevel || this.simpleKey)) style = 'single';
      if (!n.plainImplicit) style = 'single';
    }
    if (style === 'single' && !a.single) style = 'double';
    const breaks = !this.simpleKey;
    if (style === 'plain') this.plain(n.value, breaks);
    else if (style === 'single') this.single(n.value, breaks);
    else this.double(n.value, breaks);
  }

  plain(s: string, allowBreaks: boolean): void {
    const cs = Array.from(s);
    if (!this.whitespace && (cs.length || this.flowLevel)) this.put(' ');
    let spaces = false;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && cs[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  single(s: string, allowBreaks: boolean): void {
    const cs = Array.from(s);
    this.indicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== cs.length - 1 && cs[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.putBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c === "'" ? "''" : c);
        this.indention = false;
        spaces = breaks = false;
      }
    }
    if (breaks) this.writeIndent();
    this.indicator("'", false, false, false);
  }

  double(s: string, allowBreaks: boolean): void {
    const cs = Array.from(s);
    this.indicator('"', true, false, false);
    let spaces = false;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      if (!printable(c) || c === '\ufeff' || isBreak(c) || c === '"' || c === '\\') {
        const cp = c.codePointAt(0)!;
        const hex = cp.toString(16).toUpperCase();
        this.put('\\' + (ESCAPES[c] ?? (cp <= 0xff ? 'x' + hex.padStart(2, '0') : cp <= 0xffff ? 'u' + hex.padStart(4, '0') : 'U' + hex.padStart(8, '0'))));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== cs.length - 1) {
          this.writeIndent();
          if (cs[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.indicator('"', false, false, false);
  }
}

/** yaml.dump(value, Dumper=AnsibleDumper, allow_unicode=True, ...) */
export function dumpYaml(value: unknown, o: DumpOptions): string {
  const root = represent(value, o);
  const indent = o.indent >= 2 && o.indent <= 9 ? o.indent : 2;
  const width = o.width > indent * 2 ? o.width : o.width < 0 ? Number.MAX_SAFE_INTEGER : 80;
  const e = new Emitter(indent, width);
  if (o.explicitStart) {
    e.writeIndent();
    e.indicator('---', true, false, false);
  }
  e.node(root);
  e.writeIndent();
  return e.out;
}
