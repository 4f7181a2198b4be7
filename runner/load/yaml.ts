// YAML parsing that keeps source positions, with scalars resolved as Ansible (PyYAML, YAML 1.1)
// resolves them: see yaml11.ts. Duplicate keys, tabs, binary input, oversized files, alias bombs
// and modes written as decimal numbers are diagnostics, never crashes. Inline `!vault` values open here.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Diagnostic, SourcePos } from '../types.js';
import { decimalModeLiterals, decimalModeMessage, pyyamlTags } from './yaml11.js';
import { openInlineVault, type VaultContext } from '../secrets/vault.js';
import { MAX_YAML_DEPTH, deepLineOf, tooDeepAt } from './yaml-depth.js';

export const MAX_YAML_BYTES = 8 * 1024 * 1024;

export interface YamlFile {
  file: string;
  data: unknown;
  doc: Document;
  lineCounter: LineCounter;
}

export type YamlParse = { ok: true; value: YamlFile } | { ok: false; diagnostics: Diagnostic[] };

/** Ansible's inline vault scalar (`ansible-vault encrypt_string`); opened after parsing, see openInlineVaults. */
const VAULT_TAG = { tag: '!vault', resolve: (s: string) => s };

/** `vault` opens inline `!vault` scalars (their plaintext becomes a secret); without a password they are errors. */
export function parseYaml(file: string, content: string | Buffer, vault?: VaultContext): YamlParse {
  const at = (line = 1, col = 1) => ({ file, line, col });
  const deepAt = (text: string) => ({ file, ...deepLineOf(text) });
  if (content.length > MAX_YAML_BYTES) {
    return fail({ ...at(), message: `file is ${content.length} bytes; YAML input is limited to ${MAX_YAML_BYTES} bytes` });
  }
  const buf = typeof content === 'string' ? Buffer.from(content) : content;
  if (buf.includes(0)) return fail({ ...at(), message: 'expected a YAML text file, found binary data (NUL byte)' });
  const text = buf.toString('utf8');
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, version: '1.1', merge: true, customTags: (tags) => [...pyyamlTags(tags), VAULT_TAG] });
  } catch (err) {
    if (err instanceof RangeError) return fail({ ...deepAt(text), message: `YAML nested too deeply to parse; mappings and lists may nest ${MAX_YAML_DEPTH} levels` });
    throw err;
  }
  const diagnostics: Diagnostic[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { ...at(pos.line, pos.col), message: yamlMessage(e.code, e.message) };
  });
  const deep = tooDeepAt(doc); // first: the walks below recurse
  if (deep !== undefined) {
    const pos = lineCounter.linePos(deep);
    return fail({ ...at(pos.line, pos.col), message: `YAML nested more than ${MAX_YAML_DEPTH} levels deep` });
  }
  for (const m of decimalModeLiterals(doc)) {
    const pos = lineCounter.linePos(m.node.range?.[0] ?? 0);
    diagnostics.push({ ...at(pos.line, pos.col), message: decimalModeMessage(m) });
  }
  diagnostics.push(...openInlineVaults(doc, (n) => nodePos({ file, data: undefined, doc, lineCounter }, n), vault));
  diagnostics.push(...collectionKeys(doc, (n) => nodePos({ file, data: undefined, doc, lineCounter }, n)));
  if (diagnostics.length) return { ok: false, diagnostics };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return fail({ ...at(), message: `YAML could not be expanded: ${(err as Error).message}` });
  }
  return { ok: true, value: { file, data, doc, lineCounter } };
}

/** A list or mapping used as a key: PyYAML refuses it ("unhashable"), and as data it would become a string. */
function collectionKeys(doc: Document, pos: (n: Node) => SourcePos): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Pair(_key, pair) {
      const k = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (isMap(k) || isSeq(k)) out.push({ ...pos(pair.key as Node), message: `a mapping key must be a plain value, not a ${isMap(k) ? 'mapping' : 'list'} (PyYAML rejects it as unhashable)` });
      return undefined;
    },
  });
  return out;
}

/** Replaces each `!vault` scalar by its plaintext, in place, before the document becomes data. */
function openInlineVaults(doc: Document, pos: (n: Node) => SourcePos, vault: VaultContext | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Node(_key, node) {
      if (node.tag !== '!vault') return undefined;
      if (!isScalar(node) || typeof node.value !== 'string') {
        out.push({ ...pos(node), message: '!vault must tag a string (the block ansible-vault encrypt_string prints)' });
        return undefined;
      }
      const r = openInlineVault(node.value, vault);
      if (r.ok) {
        node.value = r.plaintext;
        node.tag = undefined;
      } else out.push({ ...pos(node), message: r.message });
      return undefined;
    },
  });
  return out;
}

function fail(d: Diagnostic): YamlParse {
  return { ok: false, diagnostics: [d] };
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  if (code === 'DUPLICATE_KEY') return `duplicate key: ${first.replace(/^Map keys must be unique;?\s*/, '') || 'a key appears twice in one mapping'}`;
  if (/Maximum call stack size exceeded/.test(message)) return `YAML nested too deeply to parse; mappings and lists may nest ${MAX_YAML_DEPTH} levels`;
  if (code === 'TAB_AS_INDENT') return 'tab character used for indentation; YAML indents with spaces';
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Position of the node at `path` (keys and indexes). With which='key', the position of the
 * mapping key itself, which is where "unknown key" errors belong. Falls back to the nearest parent.
 */
export function positionOf(y: YamlFile, path: ReadonlyArray<string | number>, which: 'key' | 'value' = 'value'): SourcePos {
  let node: unknown = y.doc.contents;
  let best: Node | null = (node as Node) ?? null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && which === 'key' && pair.key) return nodePos(y, pair.key as Node);
      node = pair.value;
      if (node) best = node as Node;
      else if (pair.key) best = pair.key as Node;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!item) break;
      node = item;
      best = item as Node;
    } else break;
  }
  return best ? nodePos(y, best) : { file: y.file, line: 1, col: 1 };
}

function nodePos(y: YamlFile, node: Node): SourcePos {
  const offset = node.range?.[0] ?? 0;
  const p = y.lineCounter.linePos(offset);
  return { file: y.file, line: p.line, col: p.col };
}
