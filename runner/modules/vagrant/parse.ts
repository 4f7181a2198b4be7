// Pure parsers for Vagrant's outputs: `vagrant status --machine-readable` and `vagrant ssh-config`.

/** One machine's state from `vagrant status --machine-readable`. */
export interface MachineStatus {
  machine: string;
  /** Vagrant's short state: running, not_created, shutoff, poweroff, saved, paused, ... */
  state: string;
  provider?: string;
}

/** The parts of `vagrant ssh-config` an inventory needs. */
export interface SshConfig {
  Host: string;
  HostName: string;
  Port: number;
  User: string;
  IdentityFile: string;
}

/** Splits one machine-readable line: timestamp,target,type,data... (commas in data are %!(VAGRANT_COMMA)). */
function fields(line: string): string[] {
  return line.split(',').map((f) => f.replace(/%!\(VAGRANT_COMMA\)/g, ',').replace(/\\n/g, '\n'));
}

/**
 * Parses `vagrant status [name] --machine-readable`. Returns every machine with a `state` line,
 * in output order; `provider-name` lines fill in the provider.
 */
export function parseMachineStatus(text: string): MachineStatus[] {
  const byName = new Map<string, MachineStatus>();
  for (const line of text.split('\n')) {
    const f = fields(line.trim());
    if (f.length < 4 || !f[1]) continue;
    const [, target, type, value] = f as [string, string, string, string];
    const m = byName.get(target) ?? { machine: target, state: '' };
    if (type === 'state') m.state = value;
    else if (type === 'provider-name') m.provider = value;
    else continue;
    byName.set(target, m);
  }
  return [...byName.values()].filter((m) => m.state !== '');
}

/** The state of one machine, or undefined when the output does not mention it. */
export function machineState(text: string, machine: string): MachineStatus | undefined {
  return parseMachineStatus(text).find((m) => m.machine === machine);
}

/**
 * Parses `vagrant ssh-config [name]` (OpenSSH client config). Takes the block of `machine`
 * (or the first block) and requires HostName, Port, User and IdentityFile.
 */
export function parseSshConfig(text: string, machine?: string): SshConfig | { error: string } {
  const blocks: Array<Record<string, string>> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!;
    const value = m[2]!.replace(/^"(.*)"$/, '$1');
    if (key.toLowerCase() === 'host') blocks.push({ Host: value });
    else if (blocks.length > 0 && !(key in blocks[blocks.length - 1]!)) blocks[blocks.length - 1]![key] = value;
  }
  const block = machine ? blocks.find((b) => b.Host === machine) : blocks[0];
  if (!block) return { error: machine ? `no "Host ${machine}" block in vagrant ssh-config output` : 'empty vagrant ssh-config output' };
  const missing = ['HostName', 'Port', 'User', 'IdentityFile'].filter((k) => !block[k]);
  if (missing.length) return { error: `vagrant ssh-config for ${block.Host} lacks ${missing.join(', ')}` };
  const port = Number(block.Port);
  if (!Number.isInteger(port) || port <= 0) return { error: `vagrant ssh-config for ${block.Host}: bad Port "${block.Port}"` };
  return { Host: block.Host!, HostName: block.HostName!, Port: port, User: block.User!, IdentityFile: block.IdentityFile! };
}
