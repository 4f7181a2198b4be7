// systemd / systemd_service: a unit's state, enablement and mask through systemctl, and
// daemon-reload. Needs systemd as PID 1 (like Ansible's module); on other hosts the task fails
// and points at `service`. Probe: 1 exec (systemctl show).
import { defineModule, type Decision, type ModuleDef, type Step } from './types.js';
import { quote } from '../shell-quote.js';
import { assertNever } from '../errors.js';
import { parseKv } from './fileinfo.js';

export interface SystemdArgs {
  name?: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  masked?: boolean;
  daemon_reload?: boolean;
  daemon_reexec?: boolean;
  scope?: 'system' | 'user' | 'global';
  no_block?: boolean;
  force?: boolean;
}

export interface SystemdProbe {
  /** systemd is PID 1 (/run/systemd/system). */
  systemd: boolean;
  /** Without a running systemd: what `systemctl is-enabled` (which reads unit files) says. */
  offline?: { systemctl: boolean; isEnabled: string; isEnabledRc: number; initd: boolean };
  found: boolean;
  active: boolean;
  activeState: string;
  unitFileState: string;
}

export function systemdProbeScript(a: SystemdArgs): string {
  const scope = a.scope && a.scope !== 'system' ? ` --${a.scope}` : '';
  const show = a.name !== undefined ? `systemctl${scope} show -p LoadState -p ActiveState -p UnitFileState -- ${quote(a.name)} 2>/dev/null` : ':';
  const offline = a.name === undefined ? ':' : [
    `s=$(systemctl${scope} is-enabled -- ${quote(a.name)} 2>/dev/null); echo "isenabled_rc=$?"; echo "isenabled=$s"`,
    `if [ -x /etc/init.d/${quote(a.name)} ]; then echo initd=yes; fi`,
  ].join('; ');
  return `if [ -d /run/systemd/system ]; then echo systemd=yes; ${show}; else echo systemd=no; if command -v systemctl >/dev/null 2>&1; then echo systemctl=yes; ${offline}; fi; fi; exit 0`;
}

export function parseSystemdProbe(stdout: string): SystemdProbe {
  const kv = parseKv(stdout);
  const active = kv.get('ActiveState') ?? '';
  const load = kv.get('LoadState') ?? 'not-found';
  const offline = kv.get('systemd') === 'no'
    ? { systemctl: kv.get('systemctl') === 'yes', isEnabled: kv.get('isenabled') ?? '', isEnabledRc: Number(kv.get('isenabled_rc') ?? 1), initd: kv.get('initd') === 'yes' }
    : undefined;
  return {
    ...(offline ? { offline } : {}),
    systemd: kv.get('systemd') === 'yes', found: load !== 'not-found' || kv.get('UnitFileState') === 'masked',
    active: ['active', 'activating', 'reloading'].includes(active), activeState: active, unitFileState: kv.get('UnitFileState') ?? '',
  };
}

const ENABLED = ['enabled', 'enabled-runtime', 'alias', 'static', 'indirect', 'generated'];

/** What Ansible's is-enabled check makes of `systemctl is-enabled` (its valid_enabled_states). */
const KNOWN = ['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'masked', 'masked-runtime', 'static', 'indirect', 'disabled', 'generated', 'transient'];

export function decideSystemd(a: SystemdArgs, probe: SystemdProbe): Decision {
  let p = probe;
  let offlineNote = '';
  if (!p.systemd) {
    const o = p.offline;
    if (!o?.systemctl) return { kind: 'fail', msg: 'Failed to find required executable "systemctl" in paths' };
    // As Ansible's module in a chroot or without a running systemd: unit files (enable, mask) are
    // managed, a unit's running state is not (it warns and leaves it), daemon-reload is ignored.
    const found = KNOWN.includes(o.isEnabled) || o.initd;
    const enabled = o.isEnabledRc === 0 || (o.initd && !o.isEnabled.endsWith('disabled') && o.isEnabled !== '');
    p = { systemd: true, found, active: false, activeState: '', unitFileState: o.isEnabled.startsWith('masked') ? 'masked' : enabled ? 'enabled' : o.isEnabled };
    if (a.name !== undefined && (a.state !== undefined || a.enabled !== undefined) && !found) return { kind: 'fail', msg: `Could not find the requested service ${a.name}: host` };
    offlineNote = 'systemd is not running here (a chroot or offline): the unit\'s running state is left alone, as Ansible does';
    a = { ...a, state: undefined, daemon_reload: undefined, daemon_reexec: undefined };
    if (a.name === undefined) return { kind: 'noop', reason: `${offlineNote}; daemon-reload is ignored` };
  }
  if (a.name === undefined) {
    if (!a.daemon_reload && !a.daemon_reexec) return { kind: 'fail', msg: 'name is required unless daemon_reload or daemon_reexec is given' };
    if (a.state !== undefined || a.enabled !== undefined || a.masked !== undefined) return { kind: 'fail', msg: 'state, enabled and masked need a unit name' };
  }
  const scope = a.scope && a.scope !== 'system' ? ` --${a.scope}` : '';
  const ctl = (verb: string, ...extra: string[]): Step => ({
    kind: 'exec', describe: `systemctl ${verb}${a.name ? ` ${a.name}` : ''}`,
    cmd: `systemctl${scope}${a.no_block && !['daemon-reload', 'daemon-reexec'].includes(verb) ? ' --no-block' : ''}${a.force ? ' --force' : ''} ${verb}${extra.length ? ` -- ${extra.map(quote).join(' ')}` : ''}`,
  });
  const steps: Step[] = [];
  const changes: string[] = [];
  const done: string[] = [];
  // daemon-reload first, so a changed unit file is what the rest acts on (Ansible does not count it as a change)
  if (a.daemon_reload) { steps.push(ctl('daemon-reload')); changes.push('daemon-reload'); }
  if (a.daemon_reexec) { steps.push(ctl('daemon-reexec')); changes.push('daemon-reexec'); }
  const name = a.name;
  if (name !== undefined) {
    const masked = p.unitFileState === 'masked';
    if (a.masked !== undefined) {
      if (a.masked === masked) done.push(masked ? 'is masked' : 'is not masked');
      else { steps.push(ctl(a.masked ? 'mask' : 'unmask', name)); changes.push(a.masked ? 'mask' : 'unmask'); }
    }
    const willBeMasked = a.masked ?? masked;
    if ((a.state !== undefined || a.enabled !== undefined) && !p.found && !a.masked) return { kind: 'fail', msg: `Could not find the requested service ${name}: host` };
    if (a.enabled !== undefined) {
      const enabled = ENABLED.includes(p.unitFileState);
      if (willBeMasked && a.enabled) return { kind: 'fail', msg: `Unable to enable service ${name}: it is masked` };
      if (a.enabled === enabled) done.push(enabled ? 'is enabled' : 'is disabled');
      else { steps.push(ctl(a.enabled ? 'enable' : 'disable', name)); changes.push(a.enabled ? 'enable' : 'disable'); }
    }
    const state = a.state;
    if (state !== undefined) {
      switch (state) {
        case 'started':
          if (p.active) done.push('is running'); else { steps.push(ctl('start', name)); changes.push('start'); }
          break;
        case 'stopped':
          if (!p.active && p.activeState !== 'deactivating') done.push('is stopped'); else { steps.push(ctl('stop', name)); changes.push('stop'); }
          break;
        case 'restarted':
        case 'reloaded': {
          const verb = p.active ? (state === 'restarted' ? 'restart' : 'reload') : 'start';
          steps.push(ctl(verb, name)); changes.push(verb);
          break;
        }
        default:
          assertNever(state, 'systemd state');
      }
    }
  }
  const result = { name, status: { ActiveState: p.activeState, UnitFileState: p.unitFileState } };
  if (steps.length === 0) {
    const what = done.length > 0 ? `${name} already ${done.join(' and ')} (systemd)` : `${name}: nothing to do`;
    return { kind: 'noop', reason: offlineNote ? `${what}; ${offlineNote}` : what, result };
  }
  return { kind: 'change', summary: `${changes.join(' and ')}${name ? ` ${name}` : ''} (systemd)`, steps, result };
}

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] },
    enabled: { type: 'boolean' },
    masked: { type: 'boolean' },
    daemon_reload: { type: 'boolean' },
    daemon_reexec: { type: 'boolean' },
    scope: { enum: ['system', 'user', 'global'] },
    no_block: { type: 'boolean' },
    force: { type: 'boolean' },
  },
};

function normalize(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const [alias, key] of [['service', 'name'], ['unit', 'name'], ['daemon-reload', 'daemon_reload'], ['daemon-reexec', 'daemon_reexec']] as const) {
    if (alias in r) { if (!(key in r)) r[key] = r[alias]; delete r[alias]; }
  }
  return r;
}

function systemdDef(name: string): ModuleDef<SystemdArgs, SystemdProbe> {
  return defineModule<SystemdArgs, SystemdProbe>({
    name, schema, normalize,
    async probe(args, ctx) {
      const r = await ctx.conn.exec(systemdProbeScript(args));
      return parseSystemdProbe(r.stdout);
    },
    decide: (args, probe) => decideSystemd(args, probe),
  });
}

export const systemdModule = systemdDef('systemd');
export const systemdServiceModule = systemdDef('systemd_service');
