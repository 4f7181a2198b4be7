// getent: reads a name-service database (passwd, group, hosts, services, ...) into the fact
// getent_<database>, as Ansible's module does: key -> the record's other fields.
import { defineModule, type Decision } from './types.js';
import { quote } from '../shell-quote.js';

export interface GetentArgs {
  database: string;
  key?: string;
  split?: string;
  service?: string;
  fail_key?: boolean;
}

export interface GetentProbe {
  code: number;
  stdout: string;
  stderr: string;
}

const COLON = ['passwd', 'shadow', 'group', 'gshadow'];

export function getentCommand(a: GetentArgs): string {
  return `getent ${quote(a.database)}${a.key !== undefined ? ` ${quote(a.key)}` : ''}${a.service !== undefined ? ` -s ${quote(a.service)}` : ''}`;
}

/** Python's str.split(None): runs of whitespace, no empty fields. */
const splitRecord = (line: string, sep: string | undefined): string[] => (sep === undefined ? line.trim().split(/\s+/) : line.split(sep));

/** One key -> its fields; a key seen again becomes a list of field lists (Ansible's shape). */
export function parseGetent(stdout: string, sep: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [key = '', ...rest] = splitRecord(line, sep);
    const n = seen.get(key) ?? 0;
    if (n === 0) out[key] = rest;
    else out[key] = n === 1 ? [out[key], rest] : [...(out[key] as unknown[]), rest];
    seen.set(key, n + 1);
  }
  return out;
}

export function decideGetent(a: GetentArgs, p: GetentProbe): Decision {
  const fact = `getent_${a.database}`;
  const sep = a.split ?? (COLON.includes(a.database) ? ':' : undefined);
  switch (p.code) {
    case 0: {
      const facts = { [fact]: parseGetent(p.stdout, sep) };
      return { kind: 'noop', reason: `read ${a.database}${a.key !== undefined ? ` for ${a.key}` : ''} into ${fact}`, setVars: facts, result: { ansible_facts: facts } };
    }
    case 1: return { kind: 'fail', msg: 'Missing arguments, or database unknown.' };
    case 2: {
      const msg = 'One or more supplied key could not be found in the database.';
      if (a.fail_key !== false) return { kind: 'fail', msg };
      const facts = { [fact]: { [a.key ?? '']: null } };
      return { kind: 'noop', reason: msg, setVars: facts, result: { ansible_facts: facts, msg } };
    }
    case 3: return { kind: 'fail', msg: 'Enumeration not supported on this database.' };
    default: return { kind: 'fail', msg: `getent exited ${p.code}: ${p.stderr.trim() || 'Unexpected failure!'}` };
  }
}

export const getentModule = defineModule<GetentArgs, GetentProbe>({
  name: 'getent',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['database'],
    properties: {
      database: { type: 'string', minLength: 1 },
      key: { type: 'string' },
      split: { type: 'string', minLength: 1 },
      service: { type: 'string' },
      fail_key: { type: 'boolean' },
    },
  },
  // It sets facts, so a later task can read what it found.
  definesVars: (raw) => (raw && typeof raw === 'object' && typeof (raw as GetentArgs).database === 'string' ? [`getent_${(raw as GetentArgs).database}`] : []),
  async probe(args, ctx) {
    const r = await ctx.conn.exec(getentCommand(args));
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  },
  decide: (args, probe) => decideGetent(args, probe),
});
