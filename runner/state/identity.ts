// Which records belong to a host. A record applies only to the same machine under the same inventory name:
// the identity hashes the host's machine-id, the SSH host key the transport verified, and the inventory name.
// A cloned VM keeps the machine-id (and often the host key), so a clone under another name never matches;
// two hosts in one run that present the same machine are both run in full, without records.
import { createHash } from 'node:crypto';

export interface HostClaim {
  /** Inventory name. */
  name: string;
  /** /etc/machine-id (or the hostname where there is none); '' when the host gave neither. */
  machineId: string;
  /** sha256 of the host key the SSH transport verified; undefined for a local connection. */
  hostKey?: string;
  /** address:port, the last resort when the host gave no machine-id and no hostname. */
  address: string;
}

/** The identity records are keyed by: a hash, so no key from a host is ever a raw map key. */
export function hostIdentity(c: HostClaim): string {
  return createHash('sha256').update(JSON.stringify(['play-host-v2', c.name, machineOf(c), c.hostKey ?? 'local'])).digest('hex');
}

function machineOf(c: HostClaim): string {
  return c.machineId || c.address;
}

/** The machine part alone: what two inventory names share when they are one machine, or clones of one. */
function machineKey(c: HostClaim): string {
  return JSON.stringify([machineOf(c), c.hostKey ?? 'local']);
}

export type ClaimResult =
  | { kind: 'unique'; identity: string }
  /** Other inventory names present the same machine: this host and they run without records. */
  | { kind: 'shared'; with: string[]; warnings: Array<{ host: string; msg: string }> };

/** The hosts of one run and the machines they presented. */
export class IdentityClaims {
  readonly #byMachine = new Map<string, Set<string>>();
  readonly #warned = new Set<string>();

  claim(c: HostClaim): ClaimResult {
    const key = machineKey(c);
    const names = this.#byMachine.get(key) ?? new Set<string>();
    names.add(c.name);
    this.#byMachine.set(key, names);
    if (names.size === 1) return { kind: 'unique', identity: hostIdentity(c) };
    const warnings = [...names].filter((n) => !this.#warned.has(n)).map((n) => {
      this.#warned.add(n);
      return { host: n, msg: sharedWarning(n, [...names].filter((o) => o !== n)) };
    });
    return { kind: 'shared', with: [...names].filter((n) => n !== c.name), warnings };
  }
}

function sharedWarning(name: string, others: string[]): string {
  return `${name} presents the same machine (machine-id and SSH host key) as ${others.join(', ')}: a clone, or one host under ` +
    `two names. Recorded work is neither used nor written for these hosts in this run; every task runs in full.`;
}
