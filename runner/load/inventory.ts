// Inventory sources (-i, repeatable) -> RawInventory documents, in the order Ansible merges them:
// `a,b,` host lists, directories (every file, sorted, recursively; hidden files, group_vars/, host_vars/
// and Ansible's ignored extensions skipped), executable dynamic inventories (`--list`, `--host`),
// YAML (.yml/.yaml/.json, or any file holding a YAML mapping) and INI. group_vars/ and host_vars/
// are read next to each source (for a directory: inside it), and next to the playbook (loadAdjacentVars).
import * as path from 'node:path';
import { statSync } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import type { RawInventory, SourcePos, Vars, VarsLayer } from '../types.js';
import { makeLoadCtx, type LoadCtx } from './context.js';
import { throwIfAny } from './project.js';
import { parseYaml, positionOf, type YamlFile } from './yaml.js';
import { asObj, isObj } from './util.js';
import { isMap, isScalar } from 'yaml';
import { checkVarGraph } from '../vars/check.js';
import { openMaybeVault, registerLeaves, type VaultContext } from '../secrets/vault.js';
import { parseIniInventory } from '../inventory/ini.js';
import { runDynamicInventory } from './inventory-script.js';

const NO_MODULES = { getModule: () => undefined, moduleNames: () => [] };
/** Ansible's INVENTORY_IGNORE_EXTS and always-ignored names, for files inside an inventory directory. */
const IGNORED_EXT = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
const IGNORED_NAME = /^(\.|host_vars$|group_vars$|vars_plugins$)/;
const YAML_EXT = /\.(ya?ml|json)$/;


/** Every source, in order; a source that cannot be read is a diagnostic, and nothing runs. */
export async function loadInventorySources(sources: readonly string[], cwd = process.cwd(), vault?: VaultContext): Promise<RawInventory[]> {
  const ctx = makeLoadCtx(cwd, NO_MODULES, cwd, vault);
  const out: RawInventory[] = [];
  for (const source of sources) {
    const abs = path.resolve(cwd, source);
    const kind = await ctx.exists(abs);
    if (!kind && source.includes(',')) out.push(hostList(source));
    else if (!kind) ctx.diags.push({ file: ctx.display(abs), line: 1, col: 1, message: `inventory source ${source} not found (a host list needs a comma: '${source},')` });
    else if (kind === 'dir') {
      for (const f of await dirFiles(abs)) {
        const raw = await loadFile(ctx, f, vault);
        if (raw) out.push(raw);
      }
      out.push({ file: ctx.display(abs), data: {}, ...(await loadVarsLayer(ctx, abs)), hostPos: {} });
    } else {
      const raw = await loadFile(ctx, abs, vault);
      if (raw) out.push({ ...raw, ...(await loadVarsLayer(ctx, path.dirname(abs))) });
    }
  }
  throwIfAny(ctx.diags);
  return out;
}

/** The directory each source's group_vars/ and host_vars/ are read from (none for a host list). */
export function sourceDirs(sources: readonly string[], cwd: string): string[] {
  return sources.flatMap((s) => {
    const abs = path.resolve(cwd, s);
    try {
      return [statSync(abs).isDirectory() ? abs : path.dirname(abs)];
    } catch {
      return [];
    }
  });
}

/** One inventory file with group_vars/ and host_vars/ next to it (the single-file form). */
export async function loadInventoryFile(file: string, cwd = process.cwd(), vault?: VaultContext): Promise<RawInventory> {
  const [raw] = await loadInventorySources([file], cwd, vault);
  return raw!;
}

/** group_vars/ and host_vars/ next to the playbook: they outrank the inventory's own (Ansible's order). */
export async function loadAdjacentVars(dir: string, cwd = process.cwd(), vault?: VaultContext): Promise<VarsLayer> {
  const ctx = makeLoadCtx(dir, NO_MODULES, cwd, vault);
  const layer = await loadVarsLayer(ctx, dir);
  throwIfAny(ctx.diags);
  return layer;
}

function hostList(source: string): RawInventory {
  const hosts: Record<string, Vars | null> = {};
  for (const item of source.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^:\s]+):(\d+)$/.exec(item);
    if (m) hosts[m[1]!] = { ansible_port: Number(m[2]) };
    else hosts[item] ??= null;
  }
  return { file: `(host list '${source}')`, data: { ungrouped: { hosts } }, groupVars: {}, hostVars: {}, hostPos: {} };
}

async function dirFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir)).sort()) {
    if (IGNORED_NAME.test(e) || IGNORED_EXT.some((x) => e.endsWith(x))) continue;
    const abs = path.join(dir, e);
    const s = await stat(abs).catch(() => undefined);
    if (s?.isDirectory()) out.push(...(await dirFiles(abs)));
    else if (s?.isFile()) out.push(abs);
  }
  return out;
}

async function loadFile(ctx: LoadCtx, abs: string, vault: VaultContext | undefined): Promise<RawInventory | undefined> {
  const display = ctx.display(abs);
  const empty = { groupVars: {}, hostVars: {} };
  const s = await stat(abs);
  // as Ansible's script plugin: executable and starting with #!; an executable INI or YAML file stays data
  if (!YAML_EXT.test(abs) && (s.mode & 0o111) !== 0 && (await startsWithShebang(abs))) {
    const r = await runDynamicInventory(abs, display);
    if (!r.ok) {
      ctx.diags.push(...r.diagnostics);
      return undefined;
    }
    ctx.files.push(abs);
    return { file: display, data: r.data, hostPos: {}, ...empty };
  }
  if (YAML_EXT.test(abs)) {
    const y = await ctx.readYaml(abs, 'inventory.schema.json');
    return y ? fromYaml(display, y) : undefined;
  }
  // No YAML extension: a YAML mapping stays YAML (play always read these), anything else is INI.
  const read = await readText(ctx, abs, vault);
  if (read === undefined) return undefined;
  const asYaml = parseYaml(display, read.text);
  if (asYaml.ok && isObj(asYaml.value.data)) {
    const y = await ctx.readYaml(abs, 'inventory.schema.json');
    return y ? fromYaml(display, y) : undefined;
  }
  const ini = parseIniInventory(display, read.text);
  ctx.diags.push(...ini.diagnostics);
  if (read.encrypted && vault) registerLeaves(ini.data, vault.redactor);
  return { file: display, data: ini.data, hostPos: ini.hostPos, ...empty };
}

async function startsWithShebang(abs: string): Promise<boolean> {
  const fh = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(2);
    await fh.read(buf, 0, 2, 0);
    return buf.toString('latin1') === '#!';
  } finally {
    await fh.close();
  }
}

async function readText(ctx: LoadCtx, abs: string, vault: VaultContext | undefined): Promise<{ text: string; encrypted: boolean } | undefined> {
  const opened = openMaybeVault(await readFile(abs), vault);
  if (!opened.ok) {
    ctx.diags.push({ file: ctx.display(abs), line: 1, col: 1, message: opened.message });
    return undefined;
  }
  ctx.files.push(abs);
  return { text: opened.content.toString(), encrypted: opened.encrypted };
}

function fromYaml(file: string, y: YamlFile): RawInventory {
  const hostPos: Record<string, SourcePos> = {};
  const groupPos: Record<string, SourcePos> = {};
  if (isObj(y.data)) {
    for (const [g, body] of Object.entries(y.data)) collectHosts(y, [g], body, hostPos);
    collectGroups(y, groupPos);
  }
  return { file, data: y.data ?? {}, groupVars: {}, hostVars: {}, hostPos, groupPos };
}

function collectHosts(y: YamlFile, at: string[], group: unknown, out: Record<string, SourcePos>): void {
  if (!isObj(group)) return;
  for (const h of Object.keys(asObj(group['hosts']))) {
    out[h] ??= positionOf(y, [...at, 'hosts', h], 'key');
  }
  for (const [c, body] of Object.entries(asObj(group['children']))) collectHosts(y, [...at, 'children', c], body, out);
}

/** Where each group name under a `children:` key first appears; one pass over the nodes (inventories can be large). */
function collectGroups(y: YamlFile, out: Record<string, SourcePos>): void {
  const todo: unknown[] = [y.doc.contents];
  while (todo.length) {
    const node = todo.pop();
    if (!isMap(node)) continue;
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.value === 'children' && isMap(pair.value)) {
        for (const child of pair.value.items) {
          if (!isScalar(child.key)) continue;
          const name = String(child.key.value);
          if (!Object.hasOwn(out, name)) {
            const p = y.lineCounter.linePos(child.key.range?.[0] ?? 0);
            out[name] = { file: y.file, line: p.line, col: p.col };
          }
        }
      }
      todo.push(pair.value);
    }
  }
}

/** A vars file's data, after the load-time check of its variables (cycles, chains, expansion). */
function checked(ctx: LoadCtx, y: YamlFile): Vars {
  const vars = asObj(y.data);
  ctx.diags.push(...checkVarGraph(vars, (k) => positionOf(y, [k], 'key')));
  return vars;
}

async function loadVarsLayer(ctx: LoadCtx, dir: string): Promise<VarsLayer> {
  return { groupVars: await readVarsDir(ctx, path.join(dir, 'group_vars')), hostVars: await readVarsDir(ctx, path.join(dir, 'host_vars')) };
}

/** `<dir>/<name>.yml|.yaml|.json`, or `<dir>/<name>/*` merged in name order. */
async function readVarsDir(ctx: LoadCtx, dir: string): Promise<Record<string, Vars>> {
  const out: Record<string, Vars> = {};
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch {
    return out;
  }
  const schema = 'inventory.schema.json#/definitions/hostVars' as const;
  for (const e of entries) {
    const abs = path.join(dir, e);
    const kind = await ctx.exists(abs);
    if (kind === 'dir') {
      const files = (await readdir(abs)).filter((f) => YAML_EXT.test(f)).sort();
      for (const f of files) {
        const y = await ctx.readYaml(path.join(abs, f), schema);
        if (y) out[e] = { ...out[e], ...checked(ctx, y) };
      }
    } else if (kind === 'file' && YAML_EXT.test(e)) {
      const name = e.replace(YAML_EXT, '');
      const y = await ctx.readYaml(abs, schema);
      if (y) out[name] = { ...out[name], ...checked(ctx, y) };
    }
  }
  return out;
}

