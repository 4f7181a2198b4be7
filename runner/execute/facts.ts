// Facts: one exec per host gathers what Ansible's setup module reports most often, under Ansible's
// names (ansible_facts.x and the flat ansible_x); the parser is pure and tested on recorded output.
import type { Vars } from '../types.js';

/** One POSIX shell script, run once per host. Prints KEY=VALUE lines (values on one line). */
export const FACTS_SCRIPT = [
  '. /etc/os-release 2>/dev/null',
  'echo "os_id=${ID:-unknown}"',
  'echo "os_version=${VERSION_ID:-unknown}"',
  'echo "os_version_text=${VERSION:-}"',
  'echo "os_like=${ID_LIKE:-}"',
  'echo "os_codename=${VERSION_CODENAME:-}"',
  'echo "debian_version=$(cat /etc/debian_version 2>/dev/null)"',
  'echo "hostname=$(hostname 2>/dev/null || cat /etc/hostname)"',
  'echo "nodename=$(uname -n)"',
  'echo "fqdn=$(hostname -f 2>/dev/null)"',
  'echo "system=$(uname -s)"',
  'echo "kernel=$(uname -r)"',
  'echo "kernel_version=$(uname -v)"',
  'echo "architecture=$(uname -m)"',
  'echo "userspace_bits=$(getconf LONG_BIT 2>/dev/null)"',
  'if [ -d /run/systemd/system ]; then echo init_system=systemd; else echo init_system=sysv; fi',
  // what Ansible's service_mgr fact looks at
  'echo "pid1=$(cat /proc/1/comm 2>/dev/null)"',
  'if [ -L /sbin/init ]; then echo "sbin_init=$(readlink /sbin/init)"; fi',
  'if command -v systemctl >/dev/null 2>&1; then echo systemctl=yes; fi',
  'if [ -d /run/systemd/system ] || [ -d /dev/.run/systemd ] || [ -d /dev/.systemd ]; then echo systemd_running=yes; fi',
  'if command -v initctl >/dev/null 2>&1 && [ -d /etc/init ]; then echo upstart=yes; fi',
  'if [ -e /sbin/openrc ]; then echo openrc=yes; fi',
  'if [ -d /etc/init.d ]; then echo initd=yes; fi',
  'if command -v python3 >/dev/null 2>&1; then echo "python=$(command -v python3)"; echo "python_version=$(python3 -c \'import sys; print(*sys.version_info)\' 2>/dev/null)"; else echo python=; fi',
  'echo "machine_id=$(cat /etc/machine-id 2>/dev/null)"',
  'echo "dbus_machine_id=$(cat /var/lib/dbus/machine-id 2>/dev/null)"',
  'echo "user_id=$(id -un)"',
  'echo "user_uid=$(id -u)"',
  'echo "user_gid=$(id -g)"',
  'echo "user_passwd=$(getent passwd "$(id -un)" 2>/dev/null)"',
  'for m in apt-get dnf yum apk pacman zypper; do if command -v $m >/dev/null 2>&1; then echo "pkg_mgr=$m"; break; fi; done',
  'echo "vcpus=$(nproc 2>/dev/null)"',
  'echo "memtotal_kb=$(sed -n "s/^MemTotal: *\\([0-9]*\\).*/\\1/p" /proc/meminfo 2>/dev/null)"',
  'echo "interfaces=$(ls /sys/class/net 2>/dev/null | tr "\\n" " ")"',
  'echo "ipv4_all=$(ip -o -4 addr show 2>/dev/null | sed -n "s/.* inet \\([0-9.]*\\)\\/.*/\\1/p" | tr "\\n" " ")"',
  'r=$(ip -4 route get 8.8.8.8 2>/dev/null | head -n 1); echo "route=$r"',
  'd=$(echo "$r" | sed -n "s/.* dev \\([^ ]*\\).*/\\1/p")',
  'if [ -n "$d" ]; then echo "route_addr=$(ip -o -4 addr show dev "$d" 2>/dev/null | head -n 1)"; echo "route_mac=$(cat /sys/class/net/$d/address 2>/dev/null)"; echo "route_mtu=$(cat /sys/class/net/$d/mtu 2>/dev/null)"; echo "route_type=$(cat /sys/class/net/$d/type 2>/dev/null)"; fi',
  'if command -v base64 >/dev/null 2>&1; then echo "env_b64=$(env | base64 | tr -d "\\n")"; fi',
  // one instant, local and UTC, for ansible_date_time
  't=$(date +%s.%N 2>/dev/null); echo "date_time=$(date -d "@$t" "+%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%N|%Z|%z" 2>/dev/null)|$(date -u -d "@$t" "+%Y-%m-%dT%H:%M:%S" 2>/dev/null)"',
].join('\n');

export interface HostFacts {
  os_id: string;
  os_version: string;
  os_family: string;
  os_codename: string;
  hostname: string;
  architecture: string;
  init_system: 'systemd' | 'sysv';
  /** The python3 on the host, or null. */
  python: string | null;
  machine_id: string;
  user_id: string;
  /** Every fact under Ansible's name (ansible_facts.<name>), for the variables. */
  ansible: Vars;
}

const FAMILIES: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', raspbian: 'Debian', linuxmint: 'Debian', pop: 'Debian', kali: 'Debian',
  rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat', ol: 'RedHat', amzn: 'RedHat',
  alpine: 'Alpine', arch: 'Archlinux', opensuse: 'Suse', 'opensuse-leap': 'Suse', sles: 'Suse', suse: 'Suse',
};

/** Ansible's distribution names for os-release IDs (others: capitalised). */
const DISTRIBUTIONS: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', rhel: 'RedHat', centos: 'CentOS', fedora: 'Fedora', rocky: 'Rocky',
  almalinux: 'AlmaLinux', ol: 'OracleLinux', amzn: 'Amazon', alpine: 'Alpine', arch: 'Archlinux',
  'opensuse-leap': 'openSUSE Leap', sles: 'SLES', linuxmint: 'Linux Mint', pop: 'Pop!_OS', kali: 'Kali',
};

export function parseFacts(stdout: string): HostFacts {
  const kv = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const get = (k: string) => kv.get(k) ?? '';
  const id = kv.get('os_id') ?? 'unknown';
  const like = get('os_like').split(/\s+/);
  const family = FAMILIES[id] ?? like.map((l) => FAMILIES[l]).find(Boolean) ?? capitalize(id);
  const init = get('init_system') === 'systemd' ? 'systemd' : 'sysv';
  const f: HostFacts = {
    os_id: id,
    os_version: kv.get('os_version') ?? 'unknown',
    os_family: family,
    os_codename: get('os_codename'),
    hostname: get('hostname'),
    architecture: get('architecture'),
    init_system: init,
    python: get('python') || null,
    machine_id: get('machine_id'),
    user_id: get('user_id'),
    ansible: {},
  };
  f.ansible = ansibleFacts(f, get);
  return f;
}

/** Ansible's fact names and shapes (ansible-core 2.14's setup on Linux) from the script's lines. */
function ansibleFacts(f: HostFacts, get: (k: string) => string): Vars {
  // Debian's point release is in /etc/debian_version (12.11), as Ansible reads it
  const dv = get('debian_version');
  const version = f.os_id === 'debian' && /^\d+(\.\d+)*$/.test(dv) ? dv : f.os_version;
  const release = f.os_codename || /\(([^)]+)\)/.exec(get('os_version_text'))?.[1] || 'NA';
  const nodename = get('nodename') || f.hostname;
  const fqdn = get('fqdn') || nodename;
  const passwd = get('user_passwd').split(':');
  const out: Vars = {
    distribution: DISTRIBUTIONS[f.os_id] ?? capitalize(f.os_id),
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? version,
    distribution_release: release,
    os_family: f.os_family,
    system: get('system') || 'Linux',
    kernel: get('kernel'),
    kernel_version: get('kernel_version'),
    architecture: f.architecture,
    machine: f.architecture,
    userspace_bits: get('userspace_bits'),
    hostname: nodename.split('.')[0] ?? nodename,
    nodename,
    fqdn,
    domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    // Ansible reads dbus's copy first (the host identity keeps /etc/machine-id)
    machine_id: get('dbus_machine_id') || f.machine_id,
    service_mgr: serviceManager(get),
    user_id: f.user_id,
    user_uid: toInt(get('user_uid')),
    user_gid: toInt(get('user_gid')),
    user_dir: passwd[5] ?? '',
    user_shell: passwd[6] ?? '',
    user_gecos: passwd[4] ?? '',
    pkg_mgr: get('pkg_mgr') === 'apt-get' ? 'apt' : get('pkg_mgr') || 'unknown',
    processor_vcpus: toInt(get('vcpus')),
    memtotal_mb: Math.floor(toInt(get('memtotal_kb')) / 1024),
    interfaces: words(get('interfaces')),
    all_ipv4_addresses: words(get('ipv4_all')).filter((a) => !a.startsWith('127.')),
    default_ipv4: defaultIpv4(get),
    env: envOf(get('env_b64')),
    date_time: dateTime(get('date_time')),
    // play's own names, which roles of this repository use
    os_id: f.os_id, os_version: f.os_version, os_codename: f.os_codename, init_system: f.init_system,
  };
  const py = pythonFacts(f.python, get('python_version'));
  if (py) out.python = py;
  const pv = py?.version as Vars | undefined;
  if (pv) out.python_version = `${pv.major}.${pv.minor}.${pv.micro}`;
  return out;
}

const PROC1: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };

/** Ansible 2.14's service_mgr on Linux: PID 1's name unless it is init or a shell, then what is installed. */
function serviceManager(get: (k: string) => string): string {
  let p1 = get('pid1') || basename(get('sbin_init'));
  if (p1 === 'init' || p1.endsWith('sh')) p1 = '';
  if (p1) return PROC1[p1] ?? p1;
  const systemctl = get('systemctl') === 'yes';
  if (systemctl && get('systemd_running') === 'yes') return 'systemd';
  if (get('upstart') === 'yes') return 'upstart';
  if (get('openrc') === 'yes') return 'openrc';
  if (systemctl && basename(get('sbin_init')) === 'systemd') return 'systemd';
  if (get('initd') === 'yes') return 'sysvinit';
  return 'service';
}

function basename(p: string): string {
  return p.split('/').pop() ?? '';
}

/** address, interface and gateway from the route to the outside; the interface's details as Ansible shows them. */
function defaultIpv4(get: (k: string) => string): Vars {
  const route = get('route');
  const dev = /\bdev (\S+)/.exec(route)?.[1];
  if (!dev) return {};
  const out: Vars = { interface: dev, alias: dev };
  const src = /\bsrc (\S+)/.exec(route)?.[1];
  if (src) out.address = src;
  const via = /\bvia (\S+)/.exec(route)?.[1];
  if (via) out.gateway = via;
  const inet = /\binet (\d+\.\d+\.\d+\.\d+)\/(\d+)(?: brd (\S+))?/.exec(get('route_addr'));
  if (inet) {
    const prefix = Number(inet[2]);
    out.address ??= inet[1];
    out.prefix = String(prefix);
    out.netmask = toDotted(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
    out.network = toDotted((ipToInt(inet[1]!) & ((prefix === 0 ? 0 : 0xffffffff << (32 - prefix)) >>> 0)) >>> 0);
    if (inet[3]) out.broadcast = inet[3];
  }
  if (get('route_mac')) out.macaddress = get('route_mac');
  if (get('route_mtu')) out.mtu = toInt(get('route_mtu'));
  const type = get('route_type');
  if (type) out.type = type === '1' ? 'ether' : type === '772' ? 'loopback' : 'unknown';
  return sorted(out);
}

/** Keys in order, as Ansible's module output has them. */
function sorted(o: Vars): Vars {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function pythonFacts(executable: string | null, version: string): Vars | undefined {
  if (!executable) return undefined;
  const [major, minor, micro, releaselevel, serial] = version.split(' ');
  if (major === undefined || minor === undefined || micro === undefined) return { executable, type: 'cpython' };
  const v = { major: toInt(major), minor: toInt(minor), micro: toInt(micro), releaselevel: releaselevel ?? 'final', serial: toInt(serial ?? '0') };
  return { executable, has_sslcontext: true, type: 'cpython', version: sorted(v), version_info: [v.major, v.minor, v.micro, v.releaselevel, v.serial] };
}

/** Ansible 2.14's date_time fact (all strings), from one `date` of the host's clock, local and UTC. */
function dateTime(line: string): Vars {
  const [Y, m, A, w, W, d, H, M, S, epoch, N, Z, z, utc] = line.split('|');
  if (!Y || !epoch || !utc) return {};
  const us = (N ?? '000000').slice(0, 6).padEnd(6, '0');
  return sorted({
    year: Y, month: m, weekday: A, weekday_number: w, weeknumber: W, day: d, hour: H, minute: M, second: S,
    epoch, epoch_int: epoch, date: `${Y}-${m}-${d}`, time: `${H}:${M}:${S}`,
    iso8601_micro: `${utc}.${us}Z`, iso8601: `${utc}Z`, iso8601_basic: `${Y}${m}${d}T${H}${M}${S}${us}`,
    iso8601_basic_short: `${Y}${m}${d}T${H}${M}${S}`, tz: Z, tz_dst: Z, tz_offset: z,
  });
}

/** The login environment, as Ansible's ansible_env: one NAME=value per line (a value spanning lines keeps its first). */
function envOf(b64: string): Vars {
  if (!b64) return {};
  const out: Vars = {};
  for (const line of Buffer.from(b64, 'base64').toString('utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Facts as variables: `ansible_facts.x` plus Ansible's flat `ansible_x` names (INJECT_FACTS_AS_VARS). */
export function factsToVars(f: HostFacts): Vars {
  const ansible_facts: Vars = { ...f.ansible };
  const flat: Vars = {};
  for (const [k, v] of Object.entries(ansible_facts)) if (!PLAY_NAMES.has(k)) flat[`ansible_${k}`] = v;
  return { ...flat, ansible_facts };
}

/** play's own fact names (ansible_facts.os_id, ...): not flattened, Ansible has no ansible_os_id. */
const PLAY_NAMES = new Set(['os_id', 'os_version', 'os_codename', 'init_system']);

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function toInt(s: string): number {
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : 0;
}

function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => ((acc << 8) + Number(o)) >>> 0, 0);
}

function toDotted(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}
