// from_yaml with PyYAML SafeLoader results (YAML 1.1): the `yaml` package parses with the failsafe
// schema (every scalar a string), then plain scalars are resolved with PyYAML's own regexes, so
// yes/no/on/off are booleans, 0755 is octal, 12:30 is sexagesimal and 'y' stays a string.
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node as YNode } from 'yaml';
import { FilterError, isDict, pyStr, typeName } from './py.js';
import { resolvesToStr } from './yaml-scalar.js';

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

function sexagesimal(v: string): number {
  return v.split(':').reduce((acc, d) => acc * 60 + Number(d), 0);
}

function constructInt(raw: string): number {
  let v = raw.replace(/_/g, '');
  let sign = 1;
  if (v[0] === '-' || v[0] === '+') {
    if (v[0] === '-') sign = -1;
    v = v.slice(1);
  }
  if (v === '0') return 0;
  if (v.startsWith('0b')) return sign * parseInt(v.slice(2), 2);
  if (v.startsWith('0x')) return sign * parseInt(v.slice(2), 16);
  if (v.startsWith('0')) return sign * parseInt(v, 8);
  if (v.includes(':')) return sign * sexagesimal(v);
  return sign * Number(v);
}

function constructFloat(raw: string): number {
  let v = raw.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (v[0] === '-' || v[0] === '+') {
    if (v[0] === '-') sign = -1;
    v = v.slice(1);
  }
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  if (v.includes(':')) return sign * v.split(':').reduce((acc, d) => acc * 60 + Number(d), 0);
  return sign * Number(v);
}

/** What PyYAML's resolver and SafeConstructor make of a plain scalar. */
function resolvePlain(v: string): unknown {
  if (resolvesToStr(v)) return v;
  if (NULL.test(v)) return null;
  if (BOOL.test(v)) return ['yes', 'true', 'on'].includes(v.toLowerCase());
  if (INT.test(v)) return constructInt(v);
  if (FLOAT.test(v)) return constructFloat(v);
  return v; // timestamps stay text here (PyYAML builds date objects)
}

const TAG = 'tag:yaml.org,2002:';

function scalarByTag(tag: string, v: string): unknown {
  switch (tag.startsWith(TAG) ? tag.slice(TAG.length) : tag) {
    case 'str':
      return v;
    case 'int':
      if (!INT.test(v)) throw new FilterError(`from_yaml: invalid !!int value '${v}'`);
      return constructInt(v);
    case 'float':
      return constructFloat(v);
    case 'bool':
      return ['yes', 'true', 'on'].includes(v.toLowerCase());
    case 'null':
      return null;
    default:
      throw new FilterError(`from_yaml: could not determine a constructor for the tag '${tag}'`);
  }
}

function convert(node: YNode | null | undefined, doc: Document, depth: number): unknown {
  if (depth > 200) throw new FilterError('from_yaml: the document nests too deeply');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convert(node.resolve(doc) as YNode | undefined, doc, depth + 1);
  if (isScalar(node)) {
    const text = node.value === null || node.value === undefined ? '' : String(node.value);
    if (node.tag && node.tag !== '!') return scalarByTag(node.tag, text);
    return node.type === 'PLAIN' || node.type === undefined ? resolvePlain(text) : text;
  }
  if (node.tag && ![`${TAG}map`, `${TAG}seq`].includes(node.tag)) throw new FilterError(`from_yaml: could not determine a constructor for the tag '${node.tag}'`);
  if (isSeq(node)) return node.items.map((x) => convert(x as YNode, doc, depth + 1));
  if (isMap(node)) {
    // PyYAML puts merged pairs (last source first) before the mapping's own pairs, later wins.
    const merged: Array<[string, unknown]> = [];
    const own: Array<[string, unknown]> = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YNode | null;
      const isMerge = isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<' && !keyNode.tag;
      const value = convert(pair.value as YNode | null, doc, depth + 1);
      if (isMerge) {
        const sources = Array.isArray(value) ? value : [value];
        for (const src of sources.slice().reverse()) {
          if (!isDict(src)) throw new FilterError('from_yaml: a merge key (<<) expects a mapping or a list of mappings');
          merged.push(...Object.entries(src));
        }
        continue;
      }
      const key = convert(keyNode, doc, depth + 1);
      if (Array.isArray(key) || isDict(key)) throw new FilterError(`from_yaml: found unhashable key of type ${typeName(key)}`);
      own.push([typeof key === 'string' ? key : pyStr(key), value]);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of [...merged, ...own]) out[k] = v;
    return out;
  }
  throw new FilterError('from_yaml: unsupported YAML node');
}

export function loadYaml(text: string): unknown {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, merge: false, prettyErrors: false });
  if (doc.errors.length) throw new FilterError(`from_yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  return convert(doc.contents as YNode | null, doc, 0);
}

/** from_yaml_all: one value per document. */
export function loadYamlAll(text: string): unknown[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, merge: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) if (d.errors.length) throw new FilterError(`from_yaml_all: ${d.errors[0]!.message.split('\n')[0]}`);
  return list.map((d) => convert(d.contents as YNode | null, d, 0));
}
