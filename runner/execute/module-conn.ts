// The connection a module sees on a host: become, task environment and timeout wrapped around the
// connection to the task's target (the host, or its delegate_to).
import type { Connection } from '../connection/types.js';
import { InvariantError } from '../errors.js';
import type { ModuleDef } from '../modules/types.js';
import type { ConnectionSpec } from '../types.js';
import { wrapConnection } from './wrap.js';

/** `conn` is the target's connection, `spec` how it was reached (login user, become password). */
export function connectionFor(mod: ModuleDef, target: { name: string; conn?: Connection; spec: ConnectionSpec }, become: string | null, env: Record<string, string> | undefined, timeoutMs: number): Connection {
  if (!target.conn) {
    if (mod.controllerOnly) return noHostConnection(target.name);
    throw new InvariantError(`${target.name} has no connection`);
  }
  return wrapConnection(target.conn, {
    become: become ? { loginUser: target.spec.user, becomeUser: become, password: target.spec.becomePassword } : undefined,
    env,
    timeoutMs,
  });
}

function noHostConnection(host: string): Connection {
  const no = () => Promise.reject(new InvariantError(`a controller-only module tried to use ${host}'s connection`));
  return { host, execCount: 0, exec: no, put: no, close: async () => undefined };
}
