// Inventory YAML plus group_vars/ and host_vars/ next to it, schema-checked, host positions kept.
import * as path from 'node:path';
import { readdir } from 'node:fs/promises';
import type { RawInventory, SourcePos, Vars } from '../types.js';
import { makeLoadCtx, type LoadCtx } from './context.js';
import { throwIfAny } from './project.js';
import { isMap, isScalar } from 'yaml';
import { positionOf, type YamlFile } from './yaml.js';
import { asObj, isObj } from './util.js';
import type { VaultContext } from '../secrets/vault.js';
import { checkVarGraph } from '../vars/check.js';

const NO_MODULES = { getModule: () => undefined, moduleNames: () => [] };

/** `vault` opens encrypted group_vars/host_vars files. */
export async function loadInventoryFile(file: string, cwd = process.cwd(), vault?: VaultContext): Promise<RawInventory> {
  const abs = path.resolve(cwd, file);
  const dir = path.dirname(abs);
  const ctx = makeLoadCtx(dir, NO_MODULES, cwd, vault);
  const y = await ctx.readYaml(abs, 'inventory.schema.json');
  const hostPos: Record<string, SourcePos> = {};
  const groupPos: Record<string, SourcePos> = {};
  if (y && isObj(y.data)) {
    for (const [g, body] of Object.entries(y.data)) collectHosts(y, [g], body, hostPos);
    collectGroups(y, groupPos);
  }
  const groupVars = await readVarsDir(ctx, path.join(dir, 'group_vars'));
  const hostVars = await readVarsDir(ctx, path.join(dir, 'host_vars'));
  throwIfAny(ctx.diags);
  return { file: ctx.display(abs), data: y?.data ?? {}, groupVars, hostVars, hostPos, groupPos };
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

/** `<dir>/<name>.yml|.yaml`, or `<dir>/<name>/*.yml` merged in name order. */
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
      const files = (await readdir(abs)).filter((f) => /\.ya?ml$/.test(f)).sort();
      for (const f of files) {
        const y = await ctx.readYaml(path.join(abs, f), schema);
        if (y) out[e] = { ...out[e], ...checked(ctx, y) };
      }
    } else if (kind === 'file' && /\.ya?ml$/.test(e)) {
      const name = e.replace(/\.ya?ml$/, '');
      const y = await ctx.readYaml(abs, schema);
      if (y) out[name] = { ...out[name], ...checked(ctx, y) };
    }
  }
  return out;
}
