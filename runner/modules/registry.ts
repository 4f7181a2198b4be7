// Every module the runner knows, by Ansible's short name.
import type { ModuleDef } from './types.js';

const modules = new Map<string, ModuleDef>();

export function registerModule(def: ModuleDef): void {
  modules.set(def.name, def);
}

const PREFIXES = ['ansible.builtin.', 'ansible.legacy.', 'ansible.posix.', 'community.general.', 'community.mysql.'];

/** Resolves "copy", "ansible.builtin.copy" and the like to a module. */
export function getModule(name: string): ModuleDef | undefined {
  const short = PREFIXES.reduce((n, p) => (n.startsWith(p) ? n.slice(p.length) : n), name);
  return modules.get(short);
}

export function moduleNames(): string[] {
  return [...modules.keys()].sort();
}
