// to_yaml / to_nice_yaml output exactly as Ansible produces it: PyYAML's SafeRepresenter and
// resolver feeding libyaml's emitter (CSafeDumper). Ported: scalar analysis, style choice, plain /
// single / double quoted writers with line folding at `width`, block and flow collections.
import { FilterError, floatRepr, isDict, isPyInt, pyCmp, typeName } from './py.js';

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

// PyYAML's implicit resolvers (YAML 1.1), keyed on the first character like the Resolver does.
const RESOLVERS: Array<[string, RegExp]> = [
  ['yYnNtTfFoO', /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/],
  ['-+0123456789.', /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/],
  ['-+0123456789', /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/],
  ['<', /^(?:<<)$/],
  ['~nN', /^(?:~|null|Null|NULL|)$/],
  ['0123456789', /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/],
  ['=', /^(?:=)$/],
  ['!&*', /^(?:!|&|\*)$/],
];

/** True when a plain scalar with this text would load back as a string. */
export function resolvesToStr(v: string): boolean {
  // Python's `$` also matches before one trailing newline.
  const body = v.endsWith('\n') ? v.slice(0, -1) : v;
  if (v === '') return false; // the null resolver's '' key
  return !RESOLVERS.some(([first, re]) => first.includes(v[0]!) && (re.test(v) || re.test(body)));
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

const BREAKS = '\r\n\x85\u2028\u2029';
const isBreak = (c: string | undefined) => c !== undefined && BREAKS.includes(c);
const isBlankZ = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);

/** libyaml's IS_PRINTABLE with allow_unicode: astral characters are not printable. */
function printable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface Analysis { multiline: boolean; flowPlain: boolean; blockPlain: boolean; single: boolean }

function analyze(s: string): Analysis {
  const cs = Array.from(s);
  if (!cs.length) return { multiline: false, flowPlain: false, blockPlain: true, single: true };
  let blockInd = false, flowInd = false, lineBreaks = false, special = false;
  let leadSpace = false, leadBreak = false, trailSpace = false, trailBreak = false, breakSpace = false, spaceBreak = false;
  let prevSpace = false, prevBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) blockInd = flowInd = true;
  let precededByWs = true;
  let followedByWs = isBlankZ(cs[1]);
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowInd = blockInd = true;
      if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      if (c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (!printable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    const last = i === cs.length - 1;
    if (c === ' ') {
      if (i === 0) leadSpace = true;
      if (last) trailSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadBreak = true;
      if (last) trailBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else prevSpace = prevBreak = false;
    precededByWs = isBlankZ(c);
    followedByWs = isBlankZ(cs[i + 2]);
  }
  let flowPlain = true, blockPlain = true, single = true;
  if (leadSpace || leadBreak || trailSpace || trailBreak) flowPlain = blockPlain = false;
  if (breakSpace) flowPlain = blockPlain = single = false;
  if (spaceBreak || special) flowPlain = blockPlain = single = false;
  if (lineBreaks) flowPlain = blockPlain = false;
  if (flowInd) flowPlain = false;
  if (blockInd) blockPlain = false;
  return { multiline: lineBreaks, flowPlain, blockPlain, single };
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
