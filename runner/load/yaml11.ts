// YAML scalars as Ansible reads them: YAML 1.1 with PyYAML's resolver, not the yaml library's own
// 1.1 schema, which differs in small ways (it takes y/n as booleans, 1e3 as a float, 09 as a number,
// and dates as timestamps). PyYAML's rules, from its resolver.py:
//   bool   yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
//   int    0b1010, 0644 (octal), 0x1f, 1_000, 190:20:30 (base 60)
//   float  a dot is required (1.5, 1.0e+3, .5, 190:20:30.15, .inf, .nan)
//   merge  <<
// Dates stay strings (PyYAML makes date objects, which Ansible templates back to the same text).
// Pure: tags for parseDocument, and a check on mode values written as decimal numbers.
import { isPair, isScalar, visit, type Document, type Node, type Scalar, type ScalarTag, type Tags } from 'yaml';

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function sexagesimal(s: string): number {
  return s.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

/** PyYAML's construct_yaml_int: sign, underscores, 0b / 0x / leading-0 octal, base 60. */
export function pyyamlInt(src: string): number {
  let s = src.replace(/_/g, '');
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s.startsWith('0b')) return sign * parseInt(s.slice(2), 2);
  if (s.startsWith('0x')) return sign * parseInt(s.slice(2), 16);
  if (s.startsWith('0')) return sign * parseInt(s, 8);
  if (s.includes(':')) return sign * sexagesimal(s);
  return sign * Number(s);
}

/** PyYAML's construct_yaml_float. */
export function pyyamlFloat(src: string): number {
  const s = src.replace(/_/g, '').toLowerCase();
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[-+]/, '');
  if (body === '.inf') return sign * Infinity;
  if (body === '.nan') return NaN;
  if (body.includes(':')) return sign * sexagesimal(body);
  return sign * Number(body);
}

const tag = (t: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag => ({
  tag: `tag:yaml.org,2002:${t}`, default: true, test, resolve: resolve as ScalarTag['resolve'],
});

const PYYAML_SCALARS: ScalarTag[] = [
  tag('bool', BOOL, (s) => /^(?:yes|true|on)$/i.test(s)),
  tag('int', INT, pyyamlInt),
  tag('float', FLOAT, pyyamlFloat),
];

/**
 * The tags for parseDocument({ version: '1.1', customTags }): the 1.1 schema's collections, null,
 * merge, binary and set stay; its bool, int, float and timestamp resolvers give way to PyYAML's.
 */
export function pyyamlTags(tags: Tags): Tags {
  const replaced = new Set(['bool', 'int', 'float', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`));
  const kept = tags.filter((t) => typeof t === 'string' || !replaced.has(t.tag) || !('test' in t && t.test));
  return [...PYYAML_SCALARS, ...kept];
}

/** `mode: 644` (a plain decimal of octal-looking digits) is almost always meant as 0644. */
const OCTAL_LOOKING_DECIMAL = /^[1-7][0-7]{2,3}$/;

export interface ModeLiteral {
  node: Node;
  key: string;
  text: string;
}

/**
 * Values of `mode` (or a `*_mode` variable) written as a plain decimal number such as 644. Ansible
 * takes an integer mode as the permission bits themselves, so 644 means 0o1204: never what its
 * author meant, and silently wrong. Reported at load time instead.
 */
export function decimalModeLiterals(doc: Document): ModeLiteral[] {
  const out: ModeLiteral[] = [];
  visit(doc, {
    Pair(_k, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !isScalar(pair.value)) return;
      const key = String(pair.key.value);
      if (key !== 'mode' && !key.endsWith('_mode')) return;
      const v = pair.value as Scalar;
      if (v.type !== 'PLAIN' || typeof v.value !== 'number') return;
      const text = v.source ?? String(v.value);
      if (OCTAL_LOOKING_DECIMAL.test(text)) out.push({ node: v, key, text });
    },
  });
  return out;
}

export function decimalModeMessage(m: ModeLiteral): string {
  const bits = Number(m.text);
  return `${m.key}: ${m.text} is the decimal number ${m.text}, i.e. mode 0o${bits.toString(8)}, not 0${m.text}; `
    + `write it as 0${m.text} or '0${m.text}' (Ansible reads an unquoted number as the permission bits)`;
}

