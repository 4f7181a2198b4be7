// ajv errors -> `file:line:col: message` diagnostics, with "did you mean" for unknown keys.
// Built-in schemas run as validators precompiled at build time (precompile.ts) when the build made
// them; anything else (role variable schemas, or a run from source) is compiled here, once.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic, SourcePos } from '../types.js';
import { positionOf, type YamlFile } from './yaml.js';
import { didYouMean, didYouMeanValue } from './suggest.js';
import { requireDependency } from '../dependencies.js';
import playbookSchema from './schemas/playbook.schema.json' with { type: 'json' };
import tasksSchema from './schemas/tasks.schema.json' with { type: 'json' };
import roleVarsSchema from './schemas/role-vars.schema.json' with { type: 'json' };
import roleMetaSchema from './schemas/role-meta.schema.json' with { type: 'json' };
import inventorySchema from './schemas/inventory.schema.json' with { type: 'json' };

export const SCHEMA_NAMES = [
  'playbook.schema.json',
  'tasks.schema.json',
  'role-vars.schema.json',
  'role-meta.schema.json',
  'inventory.schema.json',
  'inventory.schema.json#/definitions/hostVars',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

type Path = Array<string | number>;
type PosFn = (path: Path, which: 'key' | 'value') => SourcePos;

/** Where precompile.ts writes (CommonJS), next to this file. */
export const GENERATED_FILE = './validators.generated.cjs';

export interface Precompiled {
  fileValidators: Record<string, ValidateFunction>;
  looseValidators: Record<string, ValidateFunction>;
}
/** undefined: not looked for yet; null: the build made none (a run from source). */
let precompiled: Precompiled | null | undefined;

/** Hands over validators loaded by other means (the start-up snapshot bundles them). */
export function usePrecompiled(validators: Precompiled): void {
  precompiled = validators;
}

function precompiledValidators(): Precompiled | null {
  if (precompiled === undefined) {
    try {
      precompiled = createRequire(import.meta.url)(GENERATED_FILE) as Precompiled;
    } catch {
      precompiled = null;
    }
  }
  return precompiled;
}

/** ajv is loaded only when something must be compiled now. */
export function makeAjv(strict: boolean, forCode = false): Ajv {
  const { Ajv: AjvClass } = requireDependency<{ Ajv: new (o: object) => Ajv }>('ajv');
  return new AjvClass({ strict, allErrors: true, verbose: true, allowUnionTypes: true, ...(forCode ? { code: { source: true, esm: true } } : {}) });
}

export function registerFileSchemas(ajv: Ajv): void {
  ajv.addSchema(tasksSchema, 'tasks.schema.json');
  ajv.addSchema(playbookSchema, 'playbook.schema.json');
  ajv.addSchema(roleVarsSchema, 'role-vars.schema.json');
  ajv.addSchema(roleMetaSchema, 'role-meta.schema.json');
  ajv.addSchema(inventorySchema, 'inventory.schema.json');
}

let shared: Ajv | undefined;

function fileValidator(schema: SchemaName): ValidateFunction {
  const pre = precompiledValidators()?.fileValidators[schema];
  if (pre) return pre;
  if (!shared) {
    shared = makeAjv(true);
    registerFileSchemas(shared);
  }
  const v = shared.getSchema(schema);
  if (!v) throw new Error(`schema ${schema} is not registered`);
  return v;
}

/** Schema-checks a parsed YAML file against one of the published schemas. */
export function validateFile(y: YamlFile, schema: SchemaName): Diagnostic[] {
  const validate = fileValidator(schema);
  if (validate(y.data)) return [];
  return errorsToDiagnostics(validate.errors ?? [], y.data, (p, w) => positionOf(y, p, w), {});
}

/** The name a schema's precompiled validator goes by: a hash of its JSON. */
export function looseKey(schema: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(schema)).digest('hex').slice(0, 16);
}

/** Module schemas and role variable schemas come from other authors: compile them non-strict, cached. */
let loose: Ajv | undefined;
const looseCache = new WeakMap<object, ValidateFunction | Error>();

export function compileLoose(schema: Record<string, unknown>): ValidateFunction | Error {
  let v = looseCache.get(schema);
  if (!v) {
    v = precompiledValidators()?.looseValidators[looseKey(schema)];
    if (!v) {
      try {
        v = (loose ??= makeAjv(false)).compile(schema);
      } catch (err) {
        v = err as Error;
      }
    }
    looseCache.set(schema, v);
  }
  return v;
}

export interface MessageOpts {
  /** Drop errors at or under a "{{ ... }}" string (its value is only known at run time). */
  dropTemplated?: boolean;
  /** What the checked object is, for messages: "module copy", "role nginx". */
  subject?: string;
  /** Word for unknown/missing keys: "key" (default), "argument", "variable". */
  keyWord?: string;
}

export function isTemplate(v: unknown): v is string {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%'));
}

export function splitPointer(ptr: string): string[] {
  if (!ptr) return [];
  return ptr.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(data: unknown, path: string[]): unknown[] {
  const chain: unknown[] = [data];
  let cur = data;
  for (const seg of path) {
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    chain.push(cur);
  }
  return chain;
}

export function errorsToDiagnostics(errors: ErrorObject[], data: unknown, pos: PosFn, opts: MessageOpts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue; // the then/else branch's own errors say what is wrong
    const path = splitPointer(e.instancePath);
    const keepAlways = e.keyword === 'required' || e.keyword === 'additionalProperties';
    if (opts.dropTemplated && !keepAlways && valueAt(data, path).some(isTemplate)) continue;
    const d = toDiagnostic(e, path, pos, opts);
    const k = `${d.line}:${d.col}:${d.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  }
  return out;
}

function toDiagnostic(e: ErrorObject, path: string[], pos: PosFn, opts: MessageOpts): Diagnostic {
  const keyWord = opts.keyWord ?? 'key';
  const title = (e.parentSchema as { title?: string } | undefined)?.title;
  const where = opts.subject ?? title ?? nameOf(path, undefined);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { ...pos([...path, key], 'key'), message: `unknown ${keyWord} '${key}' in ${where}${didYouMean(key, allowed)}` };
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      return { ...pos(path, 'value'), message: `missing required ${keyWord} '${key}' in ${where}` };
    }
    case 'type': {
      const t = (e.params as { type: string | string[] }).type;
      const types = (Array.isArray(t) ? t : String(t).split(',')).filter((x) => x !== 'null' || t === 'null');
      const expected = types.map(typeWord).join(' or ');
      return { ...pos(path, 'value'), message: `expected ${expected} for ${nameOf(path, title)}, got ${describe(e.data)}${suffix(opts)}` };
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v));
      const hint = didYouMeanValue(e.data, (e.params as { allowedValues: unknown[] }).allowedValues ?? []);
      return { ...pos(path, 'value'), message: `expected one of ${allowed.join(', ')} for ${nameOf(path, title)}, got ${describe(e.data)}${suffix(opts)}${hint}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const p = e.params as { comparison: string; limit: number };
      return { ...pos(path, 'value'), message: `${nameOf(path, title)} must be ${p.comparison} ${p.limit}, got ${describe(e.data)}${suffix(opts)}` };
    }
    default:
      return { ...pos(path, 'value'), message: `${nameOf(path, title)} ${e.message ?? 'is invalid'}${suffix(opts)}` };
  }
}

function suffix(opts: MessageOpts): string {
  return opts.subject ? ` (${opts.subject})` : '';
}

function nameOf(path: string[], title: string | undefined): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i]!;
    if (!/^\d+$/.test(seg)) return i === path.length - 1 ? seg : `item ${Number(path[i + 1]) + 1} of ${seg}`;
  }
  return title ?? 'the document';
}

function typeWord(t: string): string {
  const words: Record<string, string> = {
    integer: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'a boolean (true/false)',
    array: 'a list',
    object: 'a mapping',
    null: 'null',
  };
  return words[t] ?? t;
}

/** `string "abc"`, `integer 5`, `a list`, `null`. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return `${Number.isInteger(v) ? 'integer' : 'number'} ${v}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}
