// datadog_agent_verify: read-only checks of the Agent on the host, reported in plain words.
//   what: status   -> `datadog-agent status --json`: running, API key valid for the site, forwarder errors
//   what: check    -> `datadog-agent check NAME --json` as dd-agent: the metric's values, a service check
//   what: traces   -> `datadog-agent status --json`: traces accepted by the trace agent
//   what: hostname -> `datadog-agent hostname`: the name the Agent reports (result.hostname)
// Never changes anything: the decision is noop (with what was seen) or fail (what is wrong).
import { defineModule } from '../types.js';
import { quote } from '../../shell-quote.js';
import { checkVerdict, statusVerdict, tracesVerdict, type CheckExpect, type Verdict } from './agent-verdict.js';

export interface AgentVerifyArgs extends Partial<CheckExpect> {
  what: 'status' | 'check' | 'traces' | 'hostname';
  site?: string;
  apm?: boolean;
  /** hostname: the name the Agent must report, when the inventory sets one. */
  expect_hostname?: string;
  agent?: string;
}

export interface AgentVerifyProbe {
  stdout: string;
  stderr: string;
  code: number;
  /** The agent binary is not installed (yet): under --check nothing can be verified. */
  missing: boolean;
}

const AGENT = 'datadog-agent';

export function verifyCommand(a: AgentVerifyArgs): string {
  const bin = quote(a.agent ?? AGENT);
  const guard = `command -v ${bin} >/dev/null 2>&1 || { echo "${bin}: not installed" >&2; exit 127; }`;
  switch (a.what) {
    case 'status':
    case 'traces':
      return `${guard}; ${bin} status --json`;
    case 'check':
      return `${guard}; runuser -u dd-agent -- ${bin} check ${quote(a.check ?? '')} --json`;
    case 'hostname':
      return `${guard}; ${bin} hostname`;
  }
}

export function decideVerify(a: AgentVerifyArgs, p: AgentVerifyProbe, check: boolean) {
  if (p.missing) {
    if (check) return { kind: 'noop' as const, reason: `${AGENT} is not installed yet: nothing to verify under --check` };
    return { kind: 'fail' as const, msg: `${AGENT} is not installed on the host` };
  }
  let v: Verdict;
  switch (a.what) {
    case 'status':
      v = statusVerdict(p.stdout, p.stderr, p.code, { site: a.site ?? 'datadoghq.com', apm: a.apm });
      break;
    case 'traces':
      v = tracesVerdict(p.stdout, p.stderr, p.code);
      break;
    case 'check':
      v = checkVerdict(p.stdout, p.stderr, p.code, { check: a.check ?? '', metric: a.metric, min: a.min, max: a.max, count: a.count, service_check: a.service_check, no_warnings: a.no_warnings });
      break;
    case 'hostname': {
      const name = p.stdout.trim().split('\n').pop()?.trim() ?? '';
      if (p.code !== 0 || !name) v = { ok: false, msg: `datadog-agent hostname failed: ${p.stderr.trim() || `exit ${p.code}`}`, result: {} };
      else if (a.expect_hostname && a.expect_hostname !== name)
        v = { ok: false, msg: `the Agent reports the host as ${name}, but datadog_hostname is ${a.expect_hostname}`, result: { hostname: name } };
      else v = { ok: true, reason: `the Agent reports the host as ${name}`, result: { hostname: name } };
      break;
    }
  }
  return v.ok ? { kind: 'noop' as const, reason: v.reason, result: v.result } : { kind: 'fail' as const, msg: v.msg, result: v.result };
}

export const agentVerifyModule = defineModule<AgentVerifyArgs, AgentVerifyProbe>({
  name: 'datadog_agent_verify',
  schema: {
    type: 'object',
    required: ['what'],
    additionalProperties: false,
    properties: {
      what: { enum: ['status', 'check', 'traces', 'hostname'] },
      site: { type: 'string', minLength: 1 },
      apm: { type: 'boolean' },
      check: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
      metric: { type: 'string', minLength: 1 },
      min: { type: 'number' },
      max: { type: 'number' },
      count: { type: 'integer', minimum: 0 },
      service_check: { type: 'string', minLength: 1 },
      no_warnings: { type: 'boolean' },
      expect_hostname: { type: 'string' },
      agent: { type: 'string', minLength: 1 },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(verifyCommand(args));
    return { stdout: r.stdout, stderr: r.stderr, code: r.code, missing: r.code === 127 && /not installed/.test(r.stderr) };
  },
  decide(args, probe, ctx) {
    if (args.what === 'check' && !args.check) return { kind: 'fail', msg: 'what: check needs check: NAME' };
    return decideVerify(args, probe, ctx.check);
  },
});
