// service: start/stop/restart/reload and enable/disable, through systemctl when systemd is PID 1,
// else through SysV (`service NAME ...`, `update-rc.d`). Probe: 1 exec. `use` picks the backend as
// Ansible's service action does: auto and service detect it, systemd and sysvinit name it.
import { defineModule, type Decision, type PredictedEffect, type PredictView, type Step } from './types.js';
import { quote } from '../shell-quote.js';
import { assertNever } from '../errors.js';
import { parseKv } from './fileinfo.js';
import { UnknownValueError } from '../predict/unknown.js';

export interface ServiceArgs {
  name: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  /** Ansible's backend: auto (default) or service detect systemd or SysV init; systemd, sysvinit name one. */
  use?: string;
  /** SysV: seconds between stop and start of a restart (Ansible ignores it under systemd). */
  sleep?: number;
}

/** The backends play drives; other names (openrc, upstart...) fail on the host, as Ansible fails without that module. */
const BACKENDS = ['auto', 'service', 'systemd', 'sysvinit'];

export type ServiceProbe =
  | { init: 'systemd'; exists: boolean; active: boolean; enabled: boolean; unitFileState: string; noSystemctl?: true }
  | { init: 'sysv'; exists: boolean; active: boolean; enabled: boolean };

export function serviceProbeScript(name: string, use = 'auto'): string {
  const n = quote(name);
  return [
    // sysvinit asks SysV even where systemd runs; systemd asks systemctl, which answers or fails
    use === 'sysvinit' ? 'if false; then' : use === 'systemd' ? 'if true; then' : 'if [ -d /run/systemd/system ]; then',
    '  echo init=systemd',
    '  command -v systemctl >/dev/null 2>&1 || echo systemctl=no',
    `  systemctl show -p LoadState -p ActiveState -p UnitFileState -- ${n} 2>/dev/null`,
    'else',
    '  echo init=sysv',
    `  if [ -x /etc/init.d/${n} ]; then echo exists=yes; else echo exists=no; fi`,
    `  if [ -x /etc/init.d/${n} ]; then service ${n} status >/dev/null 2>&1; echo "status=$?"; fi`,
    `  s=0; for f in /etc/rc2.d/S[0-9][0-9]${n} /etc/rc3.d/S[0-9][0-9]${n} /etc/rc4.d/S[0-9][0-9]${n} /etc/rc5.d/S[0-9][0-9]${n}; do if [ -e "$f" ]; then s=$((s+1)); fi; done; echo "startlinks=$s"`,
    'fi',
  ].join('\n');
}

export function parseServiceProbe(stdout: string): ServiceProbe {
  const kv = parseKv(stdout);
  if (kv.get('init') === 'systemd') {
    const ufs = kv.get('UnitFileState') ?? '';
    return {
      init: 'systemd',
      exists: (kv.get('LoadState') ?? 'not-found') !== 'not-found',
      active: ['active', 'activating', 'reloading'].includes(kv.get('ActiveState') ?? ''),
      enabled: ['enabled', 'enabled-runtime', 'alias', 'static', 'indirect', 'generated'].includes(ufs),
      unitFileState: ufs,
      ...(kv.get('systemctl') === 'no' ? { noSystemctl: true as const } : {}),
    };
  }
  return { init: 'sysv', exists: kv.get('exists') === 'yes', active: kv.get('status') === '0', enabled: Number(kv.get('startlinks') ?? 0) > 0 };
}

function actionStep(p: ServiceProbe, name: string, action: 'start' | 'stop' | 'restart' | 'reload', sleep?: number): Step {
  // SysV restart with sleep: stop, wait, start (service.py's LinuxService); systemd restarts in one call
  const cmd = p.init === 'systemd' ? `systemctl ${action} -- ${quote(name)}`
    : action === 'restart' && sleep ? `service ${quote(name)} stop; sleep ${Math.trunc(sleep)}; service ${quote(name)} start` : `service ${quote(name)} ${action}`;
  return { kind: 'exec', describe: `${action} ${name}`, cmd };
}

function enableStep(p: ServiceProbe, name: string, enable: boolean): Step {
  const n = quote(name);
  const cmd = p.init === 'systemd'
    ? `systemctl ${enable ? 'enable' : 'disable'} -- ${n}`
    : enable ? `update-rc.d ${n} defaults && update-rc.d ${n} enable` : `update-rc.d ${n} disable`;
  return { kind: 'exec', describe: `${enable ? 'enable' : 'disable'} ${name}`, cmd };
}

export function decideService(a: ServiceArgs, p: ServiceProbe): Decision {
  if (a.use !== undefined && !BACKENDS.includes(a.use)) return { kind: 'fail', msg: `use: ${a.use}: play manages services through systemd or SysV init only (auto, service, systemd, sysvinit)` };
  if (p.init === 'systemd' && p.noSystemctl) return { kind: 'fail', msg: 'use: systemd, but this host has no systemctl' };
  if (!p.exists) return { kind: 'fail', msg: `Could not find the requested service ${a.name}: ${p.init === 'systemd' ? 'no such unit' : `no /etc/init.d/${a.name}`}` };
  if (a.state === undefined && a.enabled === undefined) return { kind: 'fail', msg: 'service needs state or enabled' };
  if (a.use === 'systemd' && p.init !== 'systemd') return { kind: 'fail', msg: `use: systemd, but systemd is not running on this host (${a.name})` };
  if (a.use === 'sysvinit' && p.init === 'systemd') return { kind: 'fail', msg: `use: sysvinit on a host that runs systemd is not supported by play yet (${a.name})` };
  const steps: Step[] = [];
  const done: string[] = [];
  const changes: string[] = [];
  const via = p.init === 'systemd' ? 'systemd' : 'SysV init';
  if (a.enabled !== undefined) {
    if (a.enabled === p.enabled) done.push(`is ${p.enabled ? 'enabled' : 'disabled'}`);
    else { steps.push(enableStep(p, a.name, a.enabled)); changes.push(a.enabled ? 'enable' : 'disable'); }
  }
  const state = a.state;
  if (state !== undefined) {
    switch (state) {
      case 'started':
        if (p.active) done.push('is running');
        else { steps.push(actionStep(p, a.name, 'start')); changes.push('start'); }
        break;
      case 'stopped':
        if (!p.active) done.push('is stopped');
        else { steps.push(actionStep(p, a.name, 'stop')); changes.push('stop'); }
        break;
      case 'restarted':
        steps.push(actionStep(p, a.name, p.active ? 'restart' : 'start', a.sleep));
        changes.push(p.active ? 'restart' : 'start');
        break;
      case 'reloaded':
        // Ansible starts a stopped service instead of reloading it.
        steps.push(actionStep(p, a.name, p.active ? 'reload' : 'start'));
        changes.push(p.active ? 'reload' : 'start');
        break;
      default:
        assertNever(state, 'service state');
    }
  }
  const result = { name: a.name, state: state ?? (p.active ? 'started' : 'stopped'), enabled: a.enabled ?? p.enabled, init: p.init };
  if (steps.length === 0) return { kind: 'noop', reason: `${a.name} already ${done.join(' and ')} (${via})`, result };
  return { kind: 'change', summary: `${changes.join(' and ')} ${a.name} (${via})`, steps, result };
}

export const serviceModule = defineModule<ServiceArgs, ServiceProbe>({
  name: 'service',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] },
      enabled: { type: 'boolean' },
      use: { type: 'string', minLength: 1 },
      sleep: { type: 'integer', minimum: 0 },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(serviceProbeScript(args.name, args.use));
    return parseServiceProbe(r.stdout);
  },
  overlay: overlayService,
  predict: (a, _p, _d): PredictedEffect[] => [{ kind: 'service', name: a.name, fact: { ...(a.state !== undefined ? { active: a.state !== 'stopped' } : {}), ...(a.enabled !== undefined ? { enabled: a.enabled } : {}) } }],
  decide: (args, probe) => decideService(args, probe),
});

const UNIT_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

/** --check: the service as earlier tasks would have left it: its init script or unit, its state. */
export function overlayService(a: ServiceArgs, p: ServiceProbe, view: PredictView): ServiceProbe {
  const scripts = p.init === 'systemd' ? UNIT_DIRS.map((d) => `${d}/${a.name}.service`) : [`/etc/init.d/${a.name}`];
  const made = scripts.map((s) => view.state.path(s)?.fact).find((f) => f !== undefined);
  const exists = made === undefined ? p.exists : made.kind === 'file' || made.kind === 'exists' || made.kind === 'link' ? true : p.exists && made.kind !== 'absent';
  const s = view.state.service(a.name)?.fact;
  // shipped by a package: its maintainer scripts start and enable it, or not; only a real run tells
  const by = scripts.map((x) => view.state.path(x)).find((k) => k !== undefined)?.by;
  if (made !== undefined && !s && by !== undefined && view.state.isOpaque(by)) throw new UnknownValueError(by, `the state of service ${a.name}`);
  // a service whose script or unit is new is neither running nor enabled until a task says so
  const fresh = made !== undefined && !p.exists;
  return { ...p, exists, active: s?.active ?? (fresh ? false : p.active), enabled: s?.enabled ?? (fresh ? false : p.enabled) };
}
