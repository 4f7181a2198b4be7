// ping: proves the host runs commands for us; returns ping: <data> ("pong"). Probe: 1 exec.
import { defineModule } from './types.js';

export interface PingArgs {
  data?: string;
}

export const pingModule = defineModule<PingArgs, { alive: boolean; out: string }>({
  name: 'ping',
  schema: { type: 'object', additionalProperties: false, properties: { data: { type: 'string' } } },
  async probe(_args, ctx) {
    const r = await ctx.conn.exec('echo pong');
    return { alive: r.code === 0 && r.stdout.trim() === 'pong', out: `${r.stdout}${r.stderr}`.trim() };
  },
  decide(args, probe) {
    const data = args.data ?? 'pong';
    if (!probe.alive) return { kind: 'fail', msg: `the host did not answer the ping: ${probe.out}` };
    // Ansible's way to test error handling: data=crash raises in the module
    if (data === 'crash') return { kind: 'fail', msg: 'boom', result: { exception: 'Exception: boom' } };
    return { kind: 'noop', reason: `the host answered (${data})`, result: { ping: data } };
  },
});
