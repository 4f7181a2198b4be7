// -vvv: one line per connection opened and per command run, masked by the run's redactor before it is
// written. A decorator over the connect function: the executor and the transports know nothing of it.
import type { Redactor } from '../secrets/redact.js';
import type { ConnectionSpec } from '../types.js';
import type { Connection } from './types.js';

export interface Trace {
  level: number;
  write: (line: string) => void;
}

export function describeSpec(spec: ConnectionSpec): string {
  if (spec.kind === 'local') return `${spec.host}: local connection`;
  const key = spec.privateKeyFile ? ` key ${spec.privateKeyFile}` : '';
  return `${spec.host}: ssh ${spec.user}@${spec.address}:${spec.port}${key}`;
}

export function traced(trace: Trace | undefined, redactor: Redactor, connect: (spec: ConnectionSpec) => Promise<Connection>): (spec: ConnectionSpec) => Promise<Connection> {
  if (!trace || trace.level < 3) return connect;
  const say = (line: string) => trace.write(redactor.redact(line));
  return async (spec) => {
    say(`<${spec.host}> CONNECT ${describeSpec(spec)}`);
    const started = Date.now();
    let conn: Connection;
    try {
      conn = await connect(spec);
    } catch (err) {
      say(`<${spec.host}> CONNECT FAILED after ${Date.now() - started} ms: ${(err as Error).message}`);
      throw err;
    }
    say(`<${spec.host}> CONNECTED in ${Date.now() - started} ms`);
    const wrapped: Connection = {
      host: conn.host,
      get execCount() {
        return conn.execCount;
      },
      async exec(cmd, opts) {
        say(`<${spec.host}> EXEC ${cmd}${opts?.stdin !== undefined ? ' (with stdin)' : ''}`);
        const r = await conn.exec(cmd, opts);
        say(`<${spec.host}> rc=${r.code}`);
        return r;
      },
      async put(path, content, mode, owner) {
        say(`<${spec.host}> PUT ${path} (${content.length} bytes${mode !== undefined ? `, mode ${mode.toString(8)}` : ''}${owner ? `, owner ${owner}` : ''})`);
        return conn.put(path, content, mode, owner);
      },
      close: () => conn.close(),
    };
    return wrapped;
  };
}
