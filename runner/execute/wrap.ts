// Connection decorators: become (sudo -n, or sudo -S with the password on stdin), task environment and a default timeout.
import { randomBytes } from 'node:crypto';
import type { Connection, ExecOptions, ExecResult, PutOptions } from '../connection/types.js';
import { quote as shq } from '../shell-quote.js';

export interface BecomeSpec {
  /** The user the connection logs in as. */
  loginUser: string;
  /** The user commands must run as. */
  becomeUser: string;
  /** ansible_become_password or -K: sent to `sudo -S` on stdin, never in argv or a file. */
  password?: string;
}

/** The prompt `sudo -S -p` prints: a per-run nonce, so play recognises (and removes) exactly its own prompt. */
export const SUDO_PROMPT = `[play sudo ${randomBytes(6).toString('hex')}] password: `;

/**
 * `sudo -n` never prompts: where sudo wants a password the command fails at once. With `withPassword`,
 * `sudo -S -k` reads the password from the first line of stdin (-k: always, even with cached credentials,
 * so that line is never left for the command).
 */
export function becomeCommand(cmd: string, user: string, withPassword = false): string {
  const how = withPassword ? `-S -k -p ${shq(SUDO_PROMPT)}` : '-n';
  return `sudo ${how} -H -u ${shq(user)} -- sh -c ${shq(cmd)}`;
}

/** Whether sudo needs the password on this connection (NOPASSWD rules do not): asked once per connection and user. */
const needsPassword = new WeakMap<Connection, Map<string, Promise<boolean>>>();

function sudoNeedsPassword(conn: Connection, user: string): Promise<boolean> {
  let m = needsPassword.get(conn);
  if (!m) needsPassword.set(conn, (m = new Map()));
  let p = m.get(user);
  if (!p) {
    p = conn.exec(becomeCommand('true', user), { timeoutMs: 30_000 }).then((r) => r.code !== 0, () => true);
    m.set(user, p);
  }
  return p;
}

/** Runs cmd as user through sudo; the password, when needed, is the first line of stdin. */
export async function runBecome(conn: Connection, cmd: string, user: string, password: string | undefined, o: ExecOptions = {}): Promise<ExecResult> {
  if (password === undefined || !(await sudoNeedsPassword(conn, user))) return conn.exec(becomeCommand(cmd, user), o);
  const rest = o.stdin === undefined ? Buffer.alloc(0) : Buffer.from(o.stdin);
  const r = await conn.exec(becomeCommand(cmd, user, true), { ...o, stdin: Buffer.concat([Buffer.from(`${password}\n`), rest]) });
  const stderr = r.stderr.split(SUDO_PROMPT).join('');
  if (/Sorry, try again|incorrect password attempt/.test(stderr) && r.code !== 0) {
    return { ...r, stderr: `become failed: sudo on ${conn.host} did not accept the become password for ${user}\n${stderr}` };
  }
  return { ...r, stderr };
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

/**
 * Moves an upload into place as the become user. Like a write by that user: a new file is theirs
 * (mode 0644 unless given), a replaced file keeps its owner and mode unless they are given.
 */
export function becomePutScript(tmp: string, path: string, becomeUser: string, mode?: number, owner?: string): string {
  const t = shq(tmp);
  const p = shq(path);
  const keep = `if [ -e ${p} ]; then chown --reference=${p} -- ${t} && chmod --reference=${p} -- ${t}; ` +
    `else chown -- ${shq(`${becomeUser}:`)} ${t} && chmod 644 ${t}; fi`;
  return [keep,
    ...(owner === undefined ? [] : [`chown -- ${shq(owner)} ${t}`]),
    ...(mode === undefined ? [] : [`chmod ${(mode & 0o7777).toString(8)} ${t}`]),
    `mv -f -- ${t} ${p}`].join(' && ');
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
      let file: string | undefined;
      if (env) {
        // Environment values can be secrets: they travel in a 0600 file, not on the command line.
        file = `/tmp/.play-env-${randomBytes(8).toString('hex')}`;
        await conn.put(file, Buffer.from(envFileText(env)), 0o600);
        if (become && become.becomeUser !== 'root') await runBecome(conn, `chown ${shq(become.becomeUser)} ${shq(file)}`, 'root', become.password);
        full = withEnvFile(cmd, file);
      }
      const eo = { timeoutMs: opts.timeoutMs, ...o };
      if (!become) return conn.exec(full, eo);
      const r = await runBecome(conn, full, become.becomeUser, become.password, eo);
      if (r.code === 1 && /sudo: (a password is required|a terminal is required)/.test(r.stderr)) {
        // The command removes the env file itself; where sudo refused, nothing ran, so remove it here.
        if (file) await conn.exec(`rm -f -- ${shq(file)}`).catch(() => undefined);
        return { ...r, stderr: `become failed: sudo on ${conn.host} wants a password for ${become.becomeUser} (play runs sudo -n without one); give it with -K or ansible_become_password, allow NOPASSWD, or connect as that user\n${r.stderr}` };
      }
      return r;
    },
    async put(path: string, content: Buffer, mode?: number, owner?: string, po?: PutOptions): Promise<void> {
      // under become the write ends in a move as that user: a command sent ahead stays unsent
      if (!become) return conn.put(path, content, mode, owner, po);
      // Upload as the login user, then move into place as the become user.
      const tmp = `/tmp/.play-upload-${randomBytes(8).toString('hex')}`;
      await conn.put(tmp, content, 0o600);
      const r = await runBecome(conn, becomePutScript(tmp, path, become.becomeUser, mode, owner), become.becomeUser, become.password);
      if (r.code !== 0) {
        // The upload may hold a secret: it never outlives a failed move.
        await conn.exec(`rm -f -- ${shq(tmp)}`).catch(() => undefined);
        throw new Error(`could not move uploaded file into ${path} as ${become.becomeUser}: ${r.stderr.trim()}`);
      }
    },
    close: () => conn.close(),
  };
}
