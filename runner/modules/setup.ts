// setup: gathers the host's facts as a task (the same small set and script as gather_facts,
// runner/execute/facts.ts) and sets them for the rest of the run. `filter` keeps the facts whose
// ansible_ name matches a pattern. Always a noop. Probe: 1 exec.
import { defineModule } from './types.js';
import { FACTS_SCRIPT, factsToVars, parseFacts, type HostFacts } from '../execute/facts.js';
import { fnmatch } from './fnmatch.js';
import type { Vars } from '../types.js';

export interface SetupArgs {
  filter?: string | string[];
  /** Accepted for compatibility: play always gathers its one small set. */
  gather_subset?: string | string[];
  gather_timeout?: number;
  fact_path?: string;
}

/** The facts as variables, only those whose ansible_<name> matches one of the filters. */
export function filteredFacts(facts: HostFacts, filter: string[]): Vars {
  const all = factsToVars(facts);
  if (filter.length === 0 || filter.includes('*')) return all;
  const keep = (name: string): boolean => filter.some((f) => fnmatch(name, f));
  const out: Vars = {};
  const inner: Vars = {};
  for (const [k, v] of Object.entries(all.ansible_facts as Vars)) if (keep(`ansible_${k}`)) inner[k] = v;
  for (const [k, v] of Object.entries(all)) if (k !== 'ansible_facts' && keep(k)) out[k] = v;
  return { ...out, ansible_facts: inner };
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : v.split(',').map((s) => s.trim()).filter((s) => s !== ''));

export const setupModule = defineModule<SetupArgs, HostFacts>({
  name: 'setup',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      filter: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      gather_subset: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      gather_timeout: { type: 'integer' },
      fact_path: { type: 'string' },
    },
  },
  // the names gather_facts would define, so later tasks may use them without a warning
  definesVars: () => Object.keys(factsToVars(parseFacts(''))),
  async probe(_args, ctx) {
    const r = await ctx.conn.exec(FACTS_SCRIPT);
    if (r.code !== 0) throw new Error(`gathering facts failed (rc ${r.code}): ${r.stderr.trim()}`);
    return parseFacts(r.stdout);
  },
  decide(args, facts) {
    const vars = filteredFacts(facts, list(args.filter));
    const n = Object.keys(vars.ansible_facts as Vars).length;
    return { kind: 'noop', reason: `gathered ${n} facts (${facts.os_family} ${facts.os_id} ${facts.os_version}, ${facts.hostname})`, result: { ansible_facts: vars.ansible_facts }, setVars: vars };
  },
});
