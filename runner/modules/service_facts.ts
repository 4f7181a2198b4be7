// service_facts: the host's services as facts (ansible_facts.services), read as Ansible 2.14's
// module reads them: `service --status-all` where there is `service` and no chkconfig/rc-status
// (SysV), plus systemd's `list-units` and `list-unit-files` when systemd is PID 1. Always a noop.
// Probe: 1 exec.
import { defineModule } from './types.js';

export type ServiceFactsArgs = Record<string, never>;

export interface ServiceFact {
  name: string;
  state: string;
  source: 'sysv' | 'systemd';
  status?: string;
}

export interface ServiceFactsProbe {
  sysv?: string;
  units?: string;
  unitFiles?: string;
  /** systemctl show ActiveState of unit files that list-units did not name. */
  shown?: Record<string, string>;
}

const MARK = '@@play-service-facts@@';

/** Sections of stdout after a marker line each; only stdout counts, as Ansible's regex reads only it. */
export const SERVICE_FACTS_SCRIPT = [
  `if command -v service >/dev/null 2>&1 && ! command -v chkconfig >/dev/null 2>&1 && ! command -v rc-status >/dev/null 2>&1; then`,
  `  echo '${MARK} sysv'; service --status-all 2>/dev/null`,
  'fi',
  `if grep -q systemd /proc/1/comm 2>/dev/null && command -v systemctl >/dev/null 2>&1; then`,
  `  echo '${MARK} units'; systemctl list-units --no-pager --type service --all 2>/dev/null`,
  `  echo '${MARK} unit-files'; systemctl list-unit-files --no-pager --type service 2>/dev/null`,
  `  echo '${MARK} shown'; systemctl list-unit-files --no-pager --type service 2>/dev/null | awk '/\\.service/ {print $1}' | while read -r u; do printf '%s ' "$u"; systemctl show "$u" --property=ActiveState 2>/dev/null | head -n 1; done`,
  'fi',
].join('\n');

export function parseServiceFactsOutput(stdout: string): ServiceFactsProbe {
  const out: ServiceFactsProbe = {};
  let cur: string | undefined;
  const buf: Record<string, string[]> = {};
  for (const line of stdout.split('\n')) {
    if (line.startsWith(MARK)) { cur = line.slice(MARK.length).trim(); buf[cur] = []; continue; }
    if (cur) buf[cur]!.push(line);
  }
  if (buf['sysv']) out.sysv = buf['sysv'].join('\n');
  if (buf['units']) out.units = buf['units'].join('\n');
  if (buf['unit-files']) out.unitFiles = buf['unit-files'].join('\n');
  if (buf['shown']) {
    out.shown = {};
    for (const l of buf['shown']) {
      const m = /^(\S+) ActiveState=(.*)$/.exec(l);
      if (m) out.shown[m[1]!] = m[2]!.trim();
    }
  }
  return out;
}

const BAD_STATES = ['not-found', 'masked', 'failed'];

/** Ansible's ServiceScanService, SystemctlScanService: the same parsing, on the same output. */
export function servicesFrom(p: ServiceFactsProbe): Record<string, ServiceFact> {
  const services: Record<string, ServiceFact> = {};
  for (const m of (p.sysv ?? '').matchAll(/^\s*\[ (\+|-) \]\s+(.+)$/gm)) {
    services[m[2]!] = { name: m[2]!, state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
  }
  for (const line of (p.units ?? '').split('\n').filter((l) => l.includes('.service'))) {
    let fields = line.split(/\s+/).filter(Boolean);
    const bad = BAD_STATES.find((b) => fields.includes(b));
    let status = 'unknown';
    if (bad) { status = bad; fields = fields.slice(1); } else status = fields[2] ?? 'unknown';
    const name = fields[0];
    if (!name) continue;
    services[name] = { name, state: fields[3] === 'running' ? 'running' : 'stopped', status, source: 'systemd' };
  }
  for (const line of (p.unitFiles ?? '').split('\n').filter((l) => l.includes('.service'))) {
    const [name, status] = line.split(/\s+/).filter(Boolean);
    if (!name || status === undefined) continue;
    const known = services[name];
    if (!known) services[name] = { name, state: p.shown?.[name] ?? 'unknown', status, source: 'systemd' };
    else if (!BAD_STATES.includes(known.status ?? '')) known.status = status;
  }
  return services;
}

export const serviceFactsModule = defineModule<ServiceFactsArgs, ServiceFactsProbe>({
  name: 'service_facts',
  schema: { type: 'object', additionalProperties: false, properties: {} },
  normalize: (raw) => (raw === null || raw === undefined || raw === '' ? {} : raw),
  definesVars: () => ['ansible_services'],
  async probe(_args, ctx) {
    const r = await ctx.conn.exec(SERVICE_FACTS_SCRIPT);
    return parseServiceFactsOutput(r.stdout);
  },
  decide(_args, p) {
    const services = servicesFrom(p);
    const n = Object.keys(services).length;
    if (n === 0) {
      // Ansible's module returns skipped here; play says the same as a no-op
      return { kind: 'noop', reason: 'Failed to find any services. This can be due to privileges or some other configuration issue.', result: { skipped: true } };
    }
    const running = Object.values(services).filter((s) => s.state === 'running').length;
    return {
      kind: 'noop', reason: `found ${n} services (${running} running)`,
      result: { ansible_facts: { services } }, setVars: { ansible_facts: { services }, ansible_services: services },
    };
  },
});
