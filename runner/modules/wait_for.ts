// wait_for: the probe polls (read-only) until a port answers / closes or a path appears / goes,
// or the timeout passes; decide turns that into a noop with the wait time, or a fail. Probe: 1 exec.
import { defineModule, type Decision } from './types.js';
import { UnknownValueError } from '../predict/unknown.js';
import { quote } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';

export interface WaitForArgs {
  host?: string;
  port?: number;
  path?: string;
  state?: 'started' | 'present' | 'stopped' | 'absent';
  timeout?: number;
  delay?: number;
  sleep?: number;
  connect_timeout?: number;
  search_regex?: string;
  msg?: string;
}

export interface WaitForProbe {
  met: boolean;
  elapsedMs: number;
}

const want = (a: WaitForArgs): boolean => !(a.state === 'stopped' || a.state === 'absent');

/** The condition as a shell test. A port is tried with bash's /dev/tcp, else looked up in `ss -ltn`. */
export function conditionScript(a: WaitForArgs): string {
  const host = a.host ?? '127.0.0.1';
  if (a.port !== undefined) {
    const ct = a.connect_timeout ?? 5;
    const open = `{ if [ -n "$BASH_VERSION" ]; then timeout ${ct} bash -c 'exec 3<>"/dev/tcp/$0/$1"' ${quote(host)} ${a.port} 2>/dev/null; else ss -ltn 2>/dev/null | awk '{print $4}' | grep -q ':${a.port}$'; fi; }`;
    return want(a) ? open : `! ${open}`;
  }
  if (a.path !== undefined) {
    const p = quote(a.path);
    if (!want(a)) return `[ ! -e ${p} ]`;
    return a.search_regex !== undefined ? `grep -Eq -- ${quote(a.search_regex)} ${p} 2>/dev/null` : `[ -e ${p} ]`;
  }
  return 'false';
}

export function waitForScript(a: WaitForArgs): string {
  const body = [
    't0=$(date +%s%N)',
    `sleep ${a.delay ?? 0}`,
    `end=$(( $(date +%s) + ${a.timeout ?? 300} ))`,
    'while :; do',
    `  if ${conditionScript(a)}; then echo met=yes; break; fi`,
    '  if [ "$(date +%s)" -ge "$end" ]; then echo met=no; break; fi',
    `  sleep ${a.sleep ?? 1}`,
    'done',
    'echo "elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))"',
  ].join('\n');
  return `if command -v bash >/dev/null 2>&1; then exec bash -c ${quote(body)}; else sh -c ${quote(body)}; fi`;
}

export function parseWaitFor(stdout: string): WaitForProbe {
  const kv = parseKv(stdout);
  return { met: kv.get('met') === 'yes', elapsedMs: Number(kv.get('elapsed_ms') ?? 0) };
}

export function decideWaitFor(a: WaitForArgs, p: WaitForProbe): Decision {
  const secs = (p.elapsedMs / 1000).toFixed(1);
  const result = { elapsed: Number(secs), state: a.state ?? 'started' };
  const host = a.host ?? '127.0.0.1';
  if (a.port === undefined && a.path === undefined) return { kind: 'noop', reason: `waited ${secs} s`, result };
  const what = a.port !== undefined ? `port ${a.port}${host === '127.0.0.1' ? '' : ` on ${host}`}` : `path ${a.path}`;
  if (!p.met) {
    const target = a.port !== undefined ? `${host}:${a.port}` : `file ${a.path}`;
    return { kind: 'fail', msg: a.msg ?? `Timeout when waiting for ${target}${want(a) ? '' : ' to stop'} (${secs} s)`, result };
  }
  const how = a.port !== undefined ? (want(a) ? 'answered' : 'was closed') : want(a) ? (a.search_regex ? `matched /${a.search_regex}/` : 'existed') : 'was absent';
  return { kind: 'noop', reason: `${what} ${how} after ${secs} s`, result };
}

export const waitForModule = defineModule<WaitForArgs, WaitForProbe>({
  name: 'wait_for',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: { type: 'string' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      path: { type: 'string' },
      state: { enum: ['started', 'present', 'stopped', 'absent'] },
      timeout: { type: 'number', minimum: 0 },
      delay: { type: 'number', minimum: 0 },
      sleep: { type: 'number', minimum: 0 },
      connect_timeout: { type: 'number', minimum: 0 },
      search_regex: { type: 'string' },
      msg: { type: 'string' },
    },
    not: { required: ['port', 'path'] },
  },
  async probe(args, ctx) {
    // --check: a port or path an earlier task would bring up is not there yet: look once, do not wait
    const by = ctx.predicted?.state.runtimeChangedBy();
    if (by !== undefined) {
      const now = parseWaitFor((await ctx.conn.exec(waitForScript({ ...args, timeout: 0, delay: 0 }), { timeoutMs: 60_000 })).stdout);
      if (!now.met) throw new UnknownValueError(by, `whether ${args.port !== undefined ? `port ${args.port}` : `path ${args.path}`} would be ${want(args) ? 'there' : 'gone'}`);
      return now;
    }
    const limit = ((args.timeout ?? 300) + (args.delay ?? 0) + (args.connect_timeout ?? 5) + 30) * 1000;
    const r = await ctx.conn.exec(waitForScript(args), { timeoutMs: limit });
    return parseWaitFor(r.stdout);
  },
  decide: (args, probe) => decideWaitFor(args, probe),
});
