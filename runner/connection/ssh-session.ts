// Channels on one live ssh2 Client: exec channels (stdin, timeout, streaming) and, for large files, one lazy SFTP session.
// When the transport closes, every pending call rejects with ConnectionError instead of hanging.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { ConnectionError } from '../errors.js';
import { quote } from '../shell-quote.js';
import { inlinable, inlinePutScript, putScript } from './put-script.js';
import { cb, sftpPut } from './sftp-put.js';
import { HeldLines } from './held.js';
import { stopTreeScript } from './shell-frame.js';
import { SHELL_ENDED, ShellSession } from './shell-session.js';
import { type ExecOptions, type ExecResult, type HeldCommand, type PutOptions, timedOutResult } from './types.js';

/** How long to wait for the channel to close after a timeout KILL before giving up on it. */
const KILL_GRACE_MS = 5000;

/** After a command's timeout, how long a host may take to answer the kill before it counts as silent (see exec). */
export const SILENT_GRACE_MS = 2 * KILL_GRACE_MS;

/** Files this size and larger go over SFTP; smaller ones (configs) in one exec round trip. */
export const SFTP_MIN_BYTES = 64 * 1024;

interface Opened {
  stream: ClientChannel;
  exit?: { code?: number; signal?: string };
}

export class SshChannels {
  #sftp: Promise<SFTPWrapper> | undefined;
  execCount = 0;
  #closed = false;
  #closing = false;
  #lastError: Error | undefined;
  #pending = new Set<(e: Error) => void>();
  #active = 0;
  #queue: (() => void)[] = [];
  #shell: ShellSession | undefined;
  #shellStarting: Promise<ShellSession | undefined> | undefined;
  #useShell: boolean;

  constructor(readonly host: string, readonly address: string, readonly client: Client, readonly max: number, opts: { persistentShell?: boolean } = {}) {
    this.#useShell = opts.persistentShell ?? true;
    client.on('error', (e: Error) => { this.#lastError = e; });
    client.on('close', () => {
      this.#closed = true;
      const err = this.#lost();
      for (const reject of [...this.#pending]) reject(err);
      this.#pending.clear();
    });
  }

  #lost(): ConnectionError {
    if (this.#closing) return new ConnectionError(this.host, 'connection closed');
    const why = this.#lastError ? `: ${this.#lastError.message}` : '';
    return new ConnectionError(this.host, `connection to ${this.address} lost${why}`);
  }

  /** Run fn with a channel slot; rejects with ConnectionError if the transport goes away meanwhile. */
  async #withSlot<T>(fn: (fail: (e: Error) => void) => Promise<T>): Promise<T> {
    if (this.#closed) throw this.#lost();
    if (this.#active >= this.max) await new Promise<void>((r) => this.#queue.push(r));
    this.#active++;
    let reject!: (e: Error) => void;
    const lost = new Promise<never>((_, rej) => { reject = rej; });
    this.#pending.add(reject);
    try {
      if (this.#closed) throw this.#lost();
      return await Promise.race([fn(reject), lost]);
    } finally {
      this.#pending.delete(reject);
      this.#active--;
      this.#queue.shift()?.();
    }
  }

  /** Open an exec channel; the exit status is captured synchronously (it can arrive with the open reply). */
  #open(cmd: string, count = true): Promise<Opened> {
    if (count) this.execCount++;
    return new Promise<Opened>((resolve, reject) => {
      this.client.exec(cmd, (err, stream) => {
        if (err) {
          return reject(this.#closed ? this.#lost() : new ConnectionError(this.host, `cannot open a channel: ${err.message}`));
        }
        const opened: Opened = { stream };
        stream.on('exit', (code: number | null, signal?: string) => {
          opened.exit = { code: code ?? undefined, signal: signal ?? undefined };
        });
        resolve(opened);
      });
    });
  }

  /**
   * A command with a timeout that has not settled SILENT_GRACE_MS after it (its kill goes unanswered) means a
   * silent host: the transport is dropped, so this and every other pending call fail as unreachable now,
   * not after the keepalive budget.
   */
  exec(cmd: string, opts: ExecOptions): Promise<ExecResult> {
    const run = this.#exec(cmd, opts);
    if (opts.timeoutMs === undefined) return run;
    const limit = opts.timeoutMs + SILENT_GRACE_MS;
    const dog = setTimeout(() => {
      if (this.#closed) return;
      this.#lastError = new Error(`the host did not answer within ${limit / 1000} s (the command's ${opts.timeoutMs! / 1000} s timeout, ` +
        `then ${SILENT_GRACE_MS / 1000} s to kill it): it is hung, or the network to it is down`);
      this.client.destroy();
    }, limit);
    return run.finally(() => clearTimeout(dog));
  }

  async #exec(cmd: string, opts: ExecOptions): Promise<ExecResult> {
    const shell = await this.#idleShell(opts);
    if (shell) return this.#inShell(shell, cmd, opts, () => this.#onChannel(cmd, opts));
    return this.#onChannel(cmd, opts);
  }

  /** cmd on its own exec channel. */
  #onChannel(cmd: string, opts: ExecOptions): Promise<ExecResult> {
    return this.#withSlot(async () => {
      // With a timeout, tag the command's processes through their environment (it survives exec and
      // is inherited), so a timeout can find and kill them: OpenSSH ignores the "signal" request.
      const tag = opts.timeoutMs === undefined ? undefined : randomBytes(8).toString('hex');
      const opened = await this.#open(tag ? `export PLAY_EXEC_ID=${tag}\n${cmd}` : cmd);
      return this.#run(opened, opts, tag);
    });
  }

  /** A command on its own channel, outside the slot count, until close() or the connection ends. */
  async hold(cmd: string): Promise<HeldCommand> {
    if (this.#closed) throw this.#lost();
    const { stream } = await this.#open(cmd, false);
    stream.on('error', () => undefined);
    stream.stderr.resume();
    return new HeldLines(stream, () => { try { stream.close(); } catch { /* gone */ } });
  }

  /** The persistent shell if it can take this command now (started on first use); else undefined. */
  async #idleShell(opts: ExecOptions): Promise<ShellSession | undefined> {
    if (!this.#useShell || this.#closed) return undefined;
    if (this.#shell && !this.#shell.usable) {
      // a host whose shell fails its setup keeps failing it: every command gets its own channel
      if (this.#shell.setupFailed) this.#useShell = false;
      this.#shell = undefined;
      if (!this.#useShell) return undefined;
    }
    if (!this.#shell) {
      if (this.#shellStarting) return undefined; // another command is starting it: use a channel meanwhile
      this.#shellStarting = this.#startShell();
      this.#shell = await this.#shellStarting;
      this.#shellStarting = undefined;
    }
    const s = this.#shell;
    if (!s || !s.usable || s.busy || !s.accepts(opts.stdin)) return undefined;
    s.busy = true; // claimed now: a command issued meanwhile takes a channel
    return s;
  }

  async #startShell(): Promise<ShellSession | undefined> {
    const s = new ShellSession({
      open: (cmd) => this.#open(cmd, false).then((o) => o.stream),
      killTagged: (tag, shellPid) => this.#killTagged(tag, shellPid),
      lost: () => this.#lost(),
      isClosed: () => this.#closed,
    });
    if (await s.start()) return s;
    this.#useShell = false; // this host cannot keep a shell: every command gets its own channel
    return undefined;
  }

  /**
   * Runs cmd on the shell #idleShell claimed. A shell that ended before it answered its setup ran
   * nothing written behind it: such a command runs again as `again` says (on a channel).
   */
  async #inShell(shell: ShellSession, cmd: string, opts: ExecOptions, again: () => Promise<ExecResult>): Promise<ExecResult> {
    this.execCount++;
    // a command sent ahead is meant for one host: on another's connection (delegation) it stays unsent
    const o = opts.ahead?.length ? { ...opts, ahead: opts.ahead.filter((a) => a.host === this.host) } : opts;
    const retry = () => !this.#closed && shell.neverStarted;
    let r: ExecResult;
    try {
      r = await this.#guard(() => shell.run(cmd, o));
    } catch (e) {
      if (retry()) return again();
      throw e;
    }
    return r.code === 255 && r.stderr.endsWith(SHELL_ENDED) && retry() ? again() : r;
  }

  /** Rejects with ConnectionError if the transport goes away while fn runs. */
  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw this.#lost();
    let reject!: (e: Error) => void;
    const lost = new Promise<never>((_, rej) => { reject = rej; });
    this.#pending.add(reject);
    try {
      return await Promise.race([fn(), lost]);
    } finally {
      this.#pending.delete(reject);
    }
  }

  /** SIGKILL every process carrying PLAY_EXEC_ID=tag (and the children of shellPid), over a second channel (bounded). */
  async #killTagged(tag: string, shellPid?: number): Promise<void> {
    // "[x]" keeps the pattern from matching this killer's own command line
    const pat = `PLAY_EXEC_ID=[${tag[0]}]${tag.slice(1)}`;
    // A subshell of the session's shell is forked, not exec'd: it is found below the shell. It is
    // stopped first (so it cannot run the rest of its list, or report the kill), then the tagged
    // processes die, then it does: when the shell goes on, the command's processes are gone. Commands
    // there share the shell's process group, which must not be killed with them.
    const stopKids = shellPid === undefined ? '' : stopTreeScript(shellPid);
    const killKids = shellPid === undefined ? '' : 'for p in $kids; do kill -KILL "$p" 2>/dev/null; done; ';
    const killer = `${stopKids}for p in $(grep -lz '${pat}' /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null | ` +
      `cut -d/ -f3 | sort -u); do g=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -d' ' -f3); ` +
      `kill -KILL -- $p 2>/dev/null; [ "\${g:-0}" -gt 1 ] && [ "$g" != ${shellPid ?? 0} ] && kill -KILL -- -$g 2>/dev/null; done; ${killKids}true`;
    const { stream: s } = await this.#open(killer, false);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, KILL_GRACE_MS);
      s.on('close', () => { clearTimeout(t); resolve(); });
      s.on('error', () => undefined);
      s.resume();
      s.stderr.resume();
      s.end();
    });
  }

  #run(opened: Opened, opts: ExecOptions, tag?: string): Promise<ExecResult> {
    const { stream } = opened;
    return new Promise<ExecResult>((resolve, reject) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const dec = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
      const feed = (which: 'stdout' | 'stderr', buf: Buffer[]) => (chunk: Buffer) => {
        buf.push(chunk);
        if (opts.onOutput) {
          const s = dec[which].write(chunk);
          if (s) opts.onOutput(s, which);
        }
      };
      stream.on('data', feed('stdout', out));
      stream.stderr.on('data', feed('stderr', err));
      // a command that exits without reading stdin must not turn into an error
      stream.on('error', () => undefined);

      let timedOut = false;
      let settled = false;
      let grace: NodeJS.Timeout | undefined;
      const finish = () => {
        if (settled) return;
        const exit = opened.exit;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        if (timedOut) return resolve(timedOutResult(stdout, stderr, opts.timeoutMs));
        if (exit?.code !== undefined) return resolve({ code: exit.code, stdout, stderr });
        if (exit?.signal) {
          const num = (constants.signals as Record<string, number>)[`SIG${exit.signal}`] ?? 0;
          return resolve({ code: 128 + num, stdout, stderr });
        }
        // closed with no exit status: the transport went away under us
        reject(this.#lost());
      };
      stream.on('close', finish);
      const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
        timedOut = true;
        try {
          stream.signal('KILL'); // honoured by servers that implement RFC 4254 6.9 signals
        } catch { /* channel already gone */ }
        const killed = tag ? this.#killTagged(tag).catch(() => undefined) : Promise.resolve();
        void killed.then(() => {
          try { stream.close(); } catch { /* gone */ }
          grace = setTimeout(finish, KILL_GRACE_MS);
        });
      }, opts.timeoutMs);

      if (opts.stdin !== undefined) stream.end(opts.stdin);
      else stream.end();
    });
  }

  /**
   * Atomic write, in one round trip for a small file: a temp file next to path gets the content (inside
   * the persistent shell's command when it is text, else on stdin), the owner if given, its mode (given,
   * the old file's, or 0644), and is renamed over path. A large file streams over the connection's
   * SFTP session, where the extra round trips do not matter, and is chowned after.
   */
  async put(path: string, content: Buffer, mode?: number, owner?: string, opts: PutOptions = {}): Promise<void> {
    if (content.length >= SFTP_MIN_BYTES) {
      await this.#sftpPut(path, content, mode);
      if (owner === undefined) return;
      const r = await this.exec(`chown -- ${quote(owner)} ${quote(path)}`, {});
      if (r.code !== 0) throw new Error(`${this.host}: chown ${owner} ${path}: ${r.stderr.trim() || `exit ${r.code}`}`);
      return;
    }
    // inline content only ever goes to the persistent shell: in a channel's command it would be argv
    const shell = inlinable(content) ? await this.#idleShell({}) : undefined;
    // again: on a channel the content travels on stdin (never in the channel's command)
    const viaStdin = () => this.exec(putScript(path, mode, owner), { stdin: content });
    const r = shell ? await this.#inShell(shell, inlinePutScript(path, content, mode, owner), { ahead: opts.ahead }, viaStdin) : await viaStdin();
    if (r.code !== 0) throw new Error(`${this.host}: put ${path}: ${r.stderr.trim() || `exit ${r.code}`}`);
  }

  #sftpPut(path: string, content: Buffer, mode?: number): Promise<void> {
    return this.#withSlot(async () => {
      const sftp = await this.#sftpSession().catch((e: Error) => {
        throw this.#closed ? this.#lost() : new ConnectionError(this.host, `cannot start sftp: ${e.message}`);
      });
      await sftpPut(sftp, path, content, mode).catch((e: Error) => {
        throw this.#closed ? this.#lost() : new Error(`${this.host}: put ${path}: ${e.message}`);
      });
    });
  }

  #sftpSession(): Promise<SFTPWrapper> {
    if (!this.#sftp) {
      const p = cb<SFTPWrapper>((done) => this.client.sftp(done));
      this.#sftp = p;
      p.then((s) => s.on('close', () => { if (this.#sftp === p) this.#sftp = undefined; }),
        () => { if (this.#sftp === p) this.#sftp = undefined; });
    }
    return this.#sftp;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closing = true;
    this.#shell?.drop();
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => { this.client.destroy(); resolve(); }, 3000);
      this.client.once('close', () => { clearTimeout(t); resolve(); });
      this.client.end();
    });
  }
}
