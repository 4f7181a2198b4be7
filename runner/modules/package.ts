// package: the generic package module; picks the host's manager (use, or auto) and hands the task
// to it. Only apt is implemented: on a host without apt-get the task fails and says so. Probe: 1 exec.
import { defineModule } from './types.js';
import { aptProbeScript, decideApt, parseAptProbe, type AptArgs, type AptProbe } from './apt.js';

export interface PackageArgs {
  name: string | string[];
  state?: 'present' | 'absent' | 'latest' | 'installed' | 'removed';
  use?: string;
}

export type PackageProbe = { manager: 'apt'; apt: AptProbe } | { manager: 'unknown'; found: string };

/** Ansible's package states are the manager's: installed/removed are the old names apt also takes. */
export function toApt(a: PackageArgs): AptArgs {
  const state = a.state === 'installed' ? 'present' : a.state === 'removed' ? 'absent' : a.state;
  return { name: a.name, ...(state ? { state } : {}) };
}

export const packageModule = defineModule<PackageArgs, PackageProbe>({
  name: 'package',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      state: { enum: ['present', 'absent', 'latest', 'installed', 'removed'] },
      use: { type: 'string' },
    },
  },
  async probe(args, ctx) {
    const use = args.use ?? 'auto';
    if (use !== 'auto' && use !== 'apt') return { manager: 'unknown', found: use };
    const script = `if command -v apt-get >/dev/null 2>&1; then echo @@mgr=apt\n${aptProbeScript(toApt(args))}\nelse for m in dnf yum zypper apk pacman; do if command -v $m >/dev/null 2>&1; then echo "@@mgr=$m"; exit 0; fi; done; echo @@mgr=none; fi`;
    const r = await ctx.conn.exec(script);
    const mgr = /^@@mgr=(\S+)$/m.exec(r.stdout)?.[1] ?? 'none';
    if (mgr !== 'apt') return { manager: 'unknown', found: mgr };
    return { manager: 'apt', apt: parseAptProbe(r.stdout.replace(/^@@mgr=apt\n/m, '')) };
  },
  decide(args, p) {
    if (p.manager === 'unknown') {
      return { kind: 'fail', msg: p.found === 'none' ? 'Could not detect which package manager to use. Try gathering facts or setting the "use" option.' : `package manager ${p.found} is not supported by play's package module (only apt)` };
    }
    return decideApt(toApt(args), p.apt);
  },
});
