// Connection decorators: become (sudo -n), task environment and a default timeout.
import { randomBytes } from 'node:crypto';
import type { Connection, ExecOptions, ExecResult } from '../connection/types.js';
import { quote as shq } from '../shell-quote.js';

export interface BecomeSpec {
  /** The user the connection logs in as. */
  loginUser: string;
  /** The user commands must run as. */
  becomeUser: string;
}

/** `sudo -n` never prompts: where sudo wants a password the command fails at once. */
export function becomeCommand(cmd: string, user: string): string {
  return `sudo -n -H -u ${shq(user)} -- sh -c ${shq(cmd)}`;
}

/** The text of an env file: one `export K='v'` per line, sourced by the remote shell. */
export function envFileText(env: Record<string, string>): string {
  // validation refuses such keys; this guard keeps any other path from reaching the shell with one
  const bad = Object.keys(env).find((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  if (bad !== undefined) throw new Error(`environment key ${JSON.stringify(bad)} is not a valid variable name`);
  return Object.entries(env).map(([k, v]) => `export ${k}=${shq(v)}\n`).join('');
}

/** Sources and deletes the env file before the command runs, so values never appear in argv. */
export function withEnvFile(cmd: string, file: string): string {
  return `. ${shq(file)}; rm -f ${shq(file)}; ${cmd}`;
}

export function wrapConnection(conn: Connection, opts: { become?: BecomeSpec; env?: Record<string, string>; timeoutMs?: number }): Connection {
  const become = opts.become && opts.become.becomeUser !== opts.become.loginUser ? opts.become : undefined;
  const env = opts.env && Object.keys(opts.env).length ? opts.env : undefined;
  if (!become && !env && !opts.timeoutMs) return conn;
  return {
    host: conn.host,
    get execCount() {
      return conn.execCount;
    },
    async exec(cmd: string, o?: ExecOptions): Promise<ExecResult> {
      let full = cmd;
      if (env) {
        // Environment values can be secrets: they travel in a 0600 file, not on the command line.
        const file = `/tmp/.play-env-${randomBytes(8).toString('hex')}`;
        await conn.put(file, Buffer.from(envFileText(env)), 0o600);
        if (become && become.becomeUser !== 'root') await conn.exec(becomeCommand(`chown ${shq(become.becomeUser)} ${shq(file)}`, 'root'));
        full = withEnvFile(cmd, file);
      }
      if (become) full = becomeCommand(full, become.becomeUser);
      const r = await conn.exec(full, { timeoutMs: opts.timeoutMs, ...o });
      if (become && r.code === 1 && /sudo: (a password is required|a terminal is required)/.test(r.stderr)) {
        return { ...r, stderr: `become failed: sudo on ${conn.host} wants a password for ${become.becomeUser} (play runs sudo -n and never prompts); allow NOPASSWD or connect as that user\n${r.stderr}` };
      }
      return r;
    },
    async put(path: string, content: Buffer, mode?: number, owner?: string): Promise<void> {
      if (!become) return conn.put(path, content, mode, owner);
      // Upload as the login user, then move into place as the become user.
      const tmp = `/tmp/.play-upload-${randomBytes(8).toString('hex')}`;
      await conn.put(tmp, content, 0o600);
      const ownerArg = owner === undefined ? '' : ` && chown -- ${shq(owner)} ${shq(path)}`;
      const modeArg = mode === undefined ? '' : ` && chmod ${(mode & 0o7777).toString(8)} ${shq(path)}`;
      const r = await conn.exec(becomeCommand(`mv ${shq(tmp)} ${shq(path)}${ownerArg}${modeArg}`, become.becomeUser));
      if (r.code !== 0) throw new Error(`could not move uploaded file into ${path} as ${become.becomeUser}: ${r.stderr.trim()}`);
    },
    close: () => conn.close(),
  };
}
