// Small stand-ins for the modules, host selection, conditions and templates the loader is given.
import type { ModuleDef } from '../../../runner/modules/types.js';
import { addHostModule } from '../../../runner/modules/add_host.js';
import { setFactModule } from '../../../runner/modules/set_fact.js';
import type { Inventory, InventoryGroup, InventoryHost, RawInventory, Vars } from '../../../runner/types.js';
import type { ModuleSource } from '../../../runner/load/types.js';
import type { CompileDeps } from '../../../runner/compile/types.js';

function fake(name: string, schema: Record<string, unknown>, normalize?: (raw: unknown) => unknown): ModuleDef {
  return {
    name,
    schema,
    ...(normalize ? { normalize } : {}),
    probe: async () => ({}),
    decide: () => ({ kind: 'noop', reason: 'fake' }),
  };
}

const str = { type: 'string' };
const FAKES: ModuleDef[] = [
  fake('copy', {
    type: 'object',
    properties: { src: str, dest: str, content: str, mode: { type: ['string', 'integer'] }, remote_src: { type: 'boolean' } },
    required: ['dest'],
    additionalProperties: false,
  }),
  fake('file', {
    type: 'object',
    properties: { path: str, state: { enum: ['file', 'directory', 'absent', 'touch'] }, mode: { type: ['string', 'integer'] } },
    required: ['path'],
    additionalProperties: false,
  }),
  fake('template', {
    type: 'object',
    properties: { src: str, dest: str, mode: { type: ['string', 'integer'] } },
    required: ['src', 'dest'],
    additionalProperties: false,
  }),
  fake('command', {
    type: 'object',
    properties: { cmd: str, chdir: str, creates: str },
    required: ['cmd'],
    additionalProperties: false,
  }, (raw) => (typeof raw === 'string' ? { cmd: raw } : raw)),
  fake('debug', { type: 'object', properties: { msg: {}, var: str }, additionalProperties: false }),
  fake('service', {
    type: 'object',
    properties: { name: str, state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] }, enabled: { type: 'boolean' } },
    required: ['name'],
    additionalProperties: false,
  }),
  // The real ones: the compiler reads their hooks (definesVars, addsToGroups).
  setFactModule,
  addHostModule,
];

export const fakeModules: ModuleSource = {
  getModule: (name) => FAKES.find((m) => m.name === name.replace(/^ansible\.builtin\./, '')),
  moduleNames: () => FAKES.map((m) => m.name).sort(),
};

/** Ansible-like group resolution, enough for tests: all < parent < child group vars < host vars. */
export function fakeInventory(raw: RawInventory): Inventory {
  const hosts = new Map<string, InventoryHost>();
  const groups = new Map<string, InventoryGroup>();
  const walk = (name: string, body: unknown, parents: string[], inherited: Vars): void => {
    const b = (body ?? {}) as { hosts?: Record<string, Vars | null>; children?: Record<string, unknown>; vars?: Vars };
    const vars = { ...inherited, ...raw.groupVars[name], ...b.vars };
    const g = groups.get(name) ?? { name, hosts: [], children: [], vars: { ...raw.groupVars[name], ...b.vars } };
    groups.set(name, g);
    for (const [h, hv] of Object.entries(b.hosts ?? {})) {
      const host = hosts.get(h) ?? { name: h, groups: ['all'], vars: {}, src: raw.hostPos[h]! };
      host.groups = [...new Set([...host.groups, ...parents, name])];
      host.vars = { ...host.vars, ...vars, ...hv, ...raw.hostVars[h] };
      hosts.set(h, host);
      g.hosts.push(h);
    }
    for (const [c, cb] of Object.entries(b.children ?? {})) {
      g.children.push(c);
      walk(c, cb, [...parents, name], vars);
    }
  };
  for (const [name, body] of Object.entries((raw.data ?? {}) as Record<string, unknown>)) walk(name, body, [], {});
  if (!groups.has('all')) groups.set('all', { name: 'all', hosts: [...hosts.keys()], children: [], vars: {} });
  return { file: raw.file, hosts, groups };
}

function groupHosts(inv: Inventory, name: string): string[] {
  const g = inv.groups.get(name);
  if (!g) return inv.hosts.has(name) ? [name] : [];
  if (name === 'all') return [...inv.hosts.keys()];
  return [...g.hosts, ...g.children.flatMap((c) => groupHosts(inv, c))];
}

export function fakeSelectHosts(inv: Inventory, pattern: string, limit?: string) {
  if (pattern.includes('[')) return { ok: false as const, message: 'ranges are not supported' };
  const pick = (p: string) => new Set(p.split(/[,:]/).map((t) => t.trim()).filter(Boolean).flatMap((t) => groupHosts(inv, t)));
  const sel = pick(pattern);
  const lim = limit === undefined ? undefined : pick(limit);
  return { ok: true as const, hosts: [...inv.hosts.keys()].filter((h) => sel.has(h) && (!lim || lim.has(h))) };
}

const WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'true', 'false', 'none', 'defined', 'undefined']);

/** Identifiers, literals, `==`/`!=`/`and`/`or`/`not`/`is`/`in` and parentheses. */
export function fakeParseCondition(text: string) {
  const re = /\s*(?:(==|!=|<=|>=|<|>)|(\()|(\))|('[^']*'|"[^"]*"|\d+)|([A-Za-z_][\w.]*)|(\S))/gy;
  const tokens: Array<{ kind: 'op' | 'open' | 'close' | 'lit' | 'id' | 'bad'; text: string; col: number }> = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[0].length) {
    const col = m.index + m[0].length - m[0].trimStart().length + 1;
    const kind = m[1] ? 'op' : m[2] ? 'open' : m[3] ? 'close' : m[4] ? 'lit' : m[5] ? 'id' : 'bad';
    tokens.push({ kind, text: m[0].trim(), col });
  }
  let expectOperand = true;
  let depth = 0;
  for (const t of tokens) {
    const binary = t.kind === 'op' || (t.kind === 'id' && ['and', 'or', 'in', 'is'].includes(t.text));
    if (t.kind === 'bad') return { ok: false as const, message: `unexpected '${t.text}'`, col: t.col };
    if (t.kind === 'open') { if (!expectOperand) return { ok: false as const, message: "unexpected '('", col: t.col }; depth++; continue; }
    if (t.kind === 'close') {
      if (expectOperand || depth === 0) return { ok: false as const, message: "unexpected ')'", col: t.col };
      depth--; continue;
    }
    if (t.text === 'not') continue;
    if (binary) { if (expectOperand) return { ok: false as const, message: `unexpected '${t.text}'`, col: t.col }; expectOperand = true; continue; }
    if (!expectOperand && !['defined', 'undefined'].includes(t.text)) return { ok: false as const, message: `unexpected '${t.text}'`, col: t.col };
    expectOperand = false;
  }
  if (expectOperand || depth) return { ok: false as const, message: 'unexpected end of condition', col: text.length + 1 };
  return { ok: true as const, expr: tokens };
}

export function fakeConditionRoots(expr: unknown): string[] {
  const tokens = expr as Array<{ kind: string; text: string }>;
  return tokens.filter((t) => t.kind === 'id' && !WORDS.has(t.text.toLowerCase())).map((t) => t.text.split('.')[0]!);
}

const HELPERS = new Set(['if', 'unless', 'each', 'with', 'else', 'quote', 'default', 'json']);

/** Handlebars-ish: `{{x.y}}`, `{{#if x}}…{{/if}}`, `{{quote x}}`; unbalanced blocks are errors. */
export function fakeTemplateRoots(text: string) {
  const roots = new Set<string>();
  const open: Array<{ name: string; line: number }> = [];
  const lineOf = (i: number) => text.slice(0, i).split('\n').length;
  const re = /\{\{(.*?)\}\}/gs;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const body = m[1]!.trim();
    const line = lineOf(m.index);
    if (body.startsWith('/')) {
      const top = open.pop();
      if (!top || top.name !== body.slice(1).trim()) return { ok: false as const, message: `unexpected {{${body}}}`, line };
      continue;
    }
    const words = body.replace(/^[#^]/, '').split(/\s+/).filter(Boolean);
    if (body.startsWith('#')) open.push({ name: words[0] ?? '', line });
    const args = HELPERS.has(words[0] ?? '') ? words.slice(1) : words;
    for (const w of args) if (/^[A-Za-z_@]/.test(w)) roots.add(w.split(/[.[]/)[0]!);
  }
  const rest = text.slice(text.lastIndexOf('}}') + 2);
  if (rest.includes('{{')) return { ok: false as const, message: 'unclosed {{', line: lineOf(text.lastIndexOf('{{')) };
  if (open.length) return { ok: false as const, message: `{{#${open[0]!.name}}} is never closed`, line: open[0]!.line };
  return { ok: true as const, roots: [...roots].filter((r) => r !== 'this') };
}

export const fakeDeps: CompileDeps = {
  selectHosts: fakeSelectHosts,
  parseCondition: fakeParseCondition,
  conditionRoots: fakeConditionRoots,
  templateRoots: fakeTemplateRoots,
  templateFileRoots: (text) => fakeTemplateRoots(text),
  getModule: fakeModules.getModule,
};
