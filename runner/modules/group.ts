// group: local groups through groupadd/groupmod/groupdel. Probe: 1 exec (getent group).
import { defineModule, type Decision, type PredictedEffect } from './types.js';
import { quote } from '../shell-quote.js';

export interface GroupArgs {
  name: string;
  gid?: number;
  state?: 'present' | 'absent';
  system?: boolean;
  non_unique?: boolean;
  local?: boolean;
}

export interface GroupProbe {
  exists: boolean;
  gid?: number;
  members: string[];
}

export const groupProbeScript = (name: string): string => `getent group ${quote(name)} || true`;

/** Parses `name:x:gid:m1,m2`. */
export function parseGroupProbe(stdout: string): GroupProbe {
  const line = stdout.split('\n').find((l) => l.includes(':'));
  if (!line) return { exists: false, members: [] };
  const f = line.split(':');
  return { exists: true, gid: Number(f[2]), members: (f[3] ?? '').split(',').filter((m) => m !== '') };
}

export function decideGroup(a: GroupArgs, p: GroupProbe): Decision {
  const n = quote(a.name);
  if (a.local) return { kind: 'fail', msg: `group ${a.name}: local: true needs lgroupadd (libuser), which play does not drive` };
  if ((a.state ?? 'present') === 'absent') {
    if (!p.exists) return { kind: 'noop', reason: `group ${a.name} does not exist` };
    return { kind: 'change', summary: `remove group ${a.name}`, steps: [{ kind: 'exec', describe: `groupdel ${a.name}`, cmd: `groupdel ${n}` }] };
  }
  if (!p.exists) {
    const opts = `${a.gid !== undefined ? `-g ${a.gid} ${a.non_unique ? '-o ' : ''}` : ''}${a.system ? '-r ' : ''}`;
    return { kind: 'change', summary: `create group ${a.name}${a.gid !== undefined ? ` (gid ${a.gid})` : ''}`, steps: [{ kind: 'exec', describe: `groupadd ${a.name}`, cmd: `groupadd ${opts}${n}` }] };
  }
  if (a.gid !== undefined && a.gid !== p.gid) {
    return { kind: 'change', summary: `group ${a.name}: gid ${p.gid} -> ${a.gid}`, steps: [{ kind: 'exec', describe: `groupmod ${a.name}`, cmd: `groupmod -g ${a.gid} ${a.non_unique ? '-o ' : ''}${n}` }] };
  }
  return { kind: 'noop', reason: `group ${a.name} already exists with gid ${p.gid}` };
}

export const groupModule = defineModule<GroupArgs, GroupProbe>({
  name: 'group',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      gid: { type: 'integer', minimum: 0 },
      state: { enum: ['present', 'absent'] },
      system: { type: 'boolean' },
      non_unique: { type: 'boolean' },
      local: { type: 'boolean' },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(groupProbeScript(args.name));
    return parseGroupProbe(r.stdout);
  },
  overlay(a, p, view) {
    const k = view.state.group(a.name);
    if (!k) return p;
    return k.fact.exists ? { exists: true, gid: k.fact.gid ?? p.gid, members: p.members } : { exists: false, members: [] };
  },
  predict: (a, p): PredictedEffect[] => [{ kind: 'group', name: a.name, fact: (a.state ?? 'present') === 'absent' ? { exists: false } : { exists: true, gid: a.gid ?? p.gid } }],
  decide: (args, probe) => decideGroup(args, probe),
});
