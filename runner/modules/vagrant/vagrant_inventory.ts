// vagrant_inventory: records a host (usually a Vagrant VM) in an Ansible YAML inventory file on
// the controller, editing it in place (comments and key order kept), and hands the host to the
// running play through the decision's addHosts (and result.add_host) so later plays can target it.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { unifiedDiff as createTwoFilesPatch } from '../unified-diff.js';
import { defineModule, type Decision } from '../types.js';
import { editInventory, type InventoryVarValue } from './inventory-edit.js';

export interface VagrantInventoryArgs {
  inventory: string;
  group: string;
  host: string;
  vars?: Record<string, InventoryVarValue>;
}

export type VagrantInventoryProbe =
  | { kind: 'file'; path: string; text: string; mode: number }
  | { kind: 'missing'; path: string }
  | { kind: 'error'; msg: string };

/** The written `group:` value(s) of a task, for the compiler's run-time groups. */
export function groupsOf(raw: unknown, ...keys: string[]): string[] {
  const a = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return keys.flatMap((k) => (Array.isArray(a[k]) ? a[k] : [a[k]])).filter((g): g is string => typeof g === 'string');
}

const NAME = '^[A-Za-z0-9_][A-Za-z0-9_.-]*$';

/** Ports arrive as text from templates; an inventory wants a number. */
export function normalizeVars(vars: Record<string, InventoryVarValue>): Record<string, InventoryVarValue> {
  const out: Record<string, InventoryVarValue> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = k === 'ansible_port' && typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return out;
}

/** Writes through a temp file + rename in the same directory, keeping the file's mode. */
async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.writeFile(tmp, text, { mode });
  await fs.rename(tmp, path);
}

/** Pure decision from the file's text. */
export function decideVagrantInventory(args: VagrantInventoryArgs, probe: VagrantInventoryProbe, wantDiff: boolean): Decision {
  if (probe.kind === 'error') return { kind: 'fail', msg: probe.msg };
  if (args.inventory.includes('{{')) {
    return { kind: 'fail', msg: `inventory path ${JSON.stringify(args.inventory)} still holds a template: set vagrant_inventory_file to the inventory's path` };
  }
  const vars = normalizeVars(args.vars ?? {});
  const addHost = { name: args.host, groups: [args.group], vars };
  const before = probe.kind === 'file' ? probe.text : '';
  const edit = editInventory(before, { group: args.group, host: args.host, vars });
  if (!edit.ok) return { kind: 'fail', msg: `${probe.path}: ${edit.error}` };
  if (!edit.changed) {
    return { kind: 'noop', reason: `host ${args.host} is already in group ${args.group} of ${probe.path} with these vars`, result: { add_host: addHost, inventory: probe.path }, addHosts: [addHost] };
  }
  const mode = probe.kind === 'file' ? probe.mode : 0o644;
  return {
    kind: 'change',
    summary: `${probe.kind === 'missing' ? 'create' : 'update'} ${probe.path}: ${edit.changes.join('; ')}`,
    steps: [{ kind: 'call', describe: `write ${probe.path}`, run: () => writeAtomic(probe.path, edit.text, mode) }],
    diff: wantDiff ? createTwoFilesPatch(probe.path, probe.path, before, edit.text, 'before', 'after') : undefined,
    result: { add_host: addHost, inventory: probe.path },
    addHosts: [addHost],
  };
}

export const vagrantInventoryModule = defineModule<VagrantInventoryArgs, VagrantInventoryProbe>({
  name: 'vagrant_inventory',
  controllerOnly: true,
  addsToGroups: (raw) => groupsOf(raw, 'group'),
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['inventory', 'group', 'host'],
    properties: {
      inventory: { type: 'string', minLength: 1 },
      group: { type: 'string', pattern: NAME },
      host: { type: 'string', pattern: NAME },
      vars: {
        type: 'object',
        propertyNames: { pattern: NAME },
        additionalProperties: { type: ['string', 'number', 'boolean'] },
        properties: {
          ansible_host: { type: 'string', minLength: 1 },
          ansible_port: { anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'string', pattern: '^[0-9]+$' }] },
          ansible_user: { type: 'string', minLength: 1 },
          ansible_ssh_private_key_file: { type: 'string', minLength: 1 },
        },
      },
    },
  },
  async probe(args) {
    const path = resolve(args.inventory);
    try {
      const [text, st] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
      return { kind: 'file', path, text, mode: st.mode & 0o7777 };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing', path };
      return { kind: 'error', msg: `cannot read inventory ${path}: ${(e as Error).message}` };
    }
  },
  decide(args, probe, ctx) {
    return decideVagrantInventory(args, probe, ctx.diff);
  },
});
