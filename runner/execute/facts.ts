// Facts: one exec per host gathers a small set; the parser is pure and tested on recorded output.
import type { Vars } from '../types.js';

/** One shell script, run once per host. Prints KEY=VALUE lines. */
export const FACTS_SCRIPT = [
  '. /etc/os-release 2>/dev/null',
  'echo "os_id=${ID:-unknown}"',
  'echo "os_version=${VERSION_ID:-unknown}"',
  'echo "os_like=${ID_LIKE:-}"',
  'echo "os_codename=${VERSION_CODENAME:-}"',
  'echo "hostname=$(hostname 2>/dev/null || cat /etc/hostname)"',
  'echo "architecture=$(uname -m)"',
  'if [ -d /run/systemd/system ]; then echo init_system=systemd; else echo init_system=sysv; fi',
  'if command -v python3 >/dev/null 2>&1; then echo "python=$(command -v python3)"; else echo python=; fi',
  'echo "machine_id=$(cat /etc/machine-id 2>/dev/null)"',
  'echo "user_id=$(id -un)"',
].join('\n');

export interface HostFacts {
  os_id: string;
  os_version: string;
  os_family: string;
  os_codename: string;
  hostname: string;
  architecture: string;
  init_system: 'systemd' | 'sysv';
  python: string | null;
  machine_id: string;
  user_id: string;
}

const FAMILIES: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', raspbian: 'Debian', linuxmint: 'Debian',
  rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat',
  alpine: 'Alpine', arch: 'Archlinux', opensuse: 'Suse', sles: 'Suse',
};

export function parseFacts(stdout: string): HostFacts {
  const kv = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const id = kv.get('os_id') ?? 'unknown';
  const like = (kv.get('os_like') ?? '').split(/\s+/);
  const family = FAMILIES[id] ?? like.map((l) => FAMILIES[l]).find(Boolean) ?? id;
  return {
    os_id: id,
    os_version: kv.get('os_version') ?? 'unknown',
    os_family: family,
    os_codename: kv.get('os_codename') ?? '',
    hostname: kv.get('hostname') ?? '',
    architecture: kv.get('architecture') ?? '',
    init_system: kv.get('init_system') === 'systemd' ? 'systemd' : 'sysv',
    python: kv.get('python') || null,
    machine_id: kv.get('machine_id') ?? '',
    user_id: kv.get('user_id') ?? '',
  };
}

/** Facts as variables: `ansible_facts.x` plus Ansible's flat `ansible_x` names. */
export function factsToVars(f: HostFacts): Vars {
  const ansible_facts: Vars = { ...f, distribution: capitalize(f.os_id), distribution_version: f.os_version, os_family: f.os_family };
  return {
    ansible_facts,
    ansible_os_family: f.os_family,
    ansible_distribution: capitalize(f.os_id),
    ansible_distribution_version: f.os_version,
    ansible_distribution_release: f.os_codename,
    ansible_hostname: f.hostname,
    ansible_architecture: f.architecture,
    ansible_service_mgr: f.init_system,
    ansible_python_interpreter: f.python ?? undefined,
  };
}

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
