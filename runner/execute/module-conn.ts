// The connection a module sees on a host: become, task environment and timeout wrapped around the host's one connection.
import type { Connection } from '../connection/types.js';
import { InvariantError } from '../errors.js';
import type { ModuleDef } from '../modules/types.js';
import type { HostRun } from './context.js';
import { wrapConnection } from './wrap.js';

/** `base` replaces the host's connection underneath (pipelining's capture and answer, runner/execute/ahead.ts). */
export function connectionFor(mod: ModuleDef, host: HostRun, become: string | null, env: Record<string, string> | undefined, timeoutMs: number, base?: Connection): Connection {
  const conn = base ?? host.conn;
  if (!conn) {
    if (mod.controllerOnly) return noHostConnection(host.name);
    throw new InvariantError(`${host.name} has no connection`);
  }
  return wrapConnection(conn, {
    become: become ? { loginUser: host.spec.user, becomeUser: become, password: host.spec.becomePassword } : undefined,
    env,
    timeoutMs,
  });
}

function noHostConnection(host: string): Connection {
  const no = () => Promise.reject(new InvariantError(`a controller-only module tried to use ${host}'s connection`));
  return { host, execCount: 0, exec: no, put: no, close: async () => undefined };
}
