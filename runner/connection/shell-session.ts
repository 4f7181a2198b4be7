// One long-lived `sh` per connection: each command is a line on its stdin instead of a new SSH
// channel, which spares the host an sshd fork and a login shell per command and the controller two
// round trips. Commands run one at a time, each in a subshell with stdin from /dev/null or a
// here-document. The wire format is in shell-frame.ts.
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { CUT_CLOSE, CUT_PROBE, cutMarker, EndScanner, endMarker, endScript, frameScript, SESSION_SETUP } from './shell-frame.js';
import { type ExecOptions, type ExecResult, timedOutResult } from './types.js';

/** How long to wait for a killed command's end marker before dropping the whole shell. */
const KILL_GRACE_MS = 5000;

/** Stdin up to this size travels in a here-document; bigger stdin gets its own channel. */
const MAX_HEREDOC_BYTES = 64 * 1024;

export interface ShellHooks {
  /** Opens the shell's channel: an exec of `cmd` on the connection. */
  open(cmd: string): Promise<ClientChannel>;
  /** Kills every process carrying PLAY_EXEC_ID=tag, and the children of shellPid (over another channel). */
  killTagged(tag: string, shellPid: number): Promise<void>;
  /** The error for a pending command when the transport is gone. */
  lost(): Error;
  isClosed(): boolean;
}

type Pending = { onData(b: Buffer): void; onErr(b: Buffer): void; onGone(): void };

export class ShellSession {
  readonly #nonce = randomBytes(9).toString('hex');
  #seq = 0;
  #channel: ClientChannel | undefined;
  #pending: Pending | undefined;
  #dead = false;
  /** Whether the host has base64 (here-document stdin needs it). */
  #base64 = false;
  /** Whether commands run as cut frames (their output ends where they end; see frameScript). */
  #cut = false;
  /** The shell's pid on the host: a running command is its only child, which is how a timeout finds it. */
  #pid = 0;
  busy = false;

  constructor(readonly hooks: ShellHooks) {}

  get usable(): boolean {
    return !this.#dead;
  }

  /** Whether a command with this stdin can go through the shell (large stdin streams better on a channel). */
  accepts(stdin: ExecOptions['stdin']): boolean {
    return stdin === undefined || stdin.length === 0 || (this.#base64 && stdin.length < MAX_HEREDOC_BYTES);
  }

  /** Opens the shell and learns what it can do. False (and unusable) if it cannot start. */
  async start(): Promise<boolean> {
    try {
      const ch = await this.hooks.open('exec /bin/sh');
      this.#channel = ch;
      ch.on('data', (b: Buffer) => this.#pending?.onData(b));
      ch.stderr.on('data', (b: Buffer) => this.#pending?.onErr(b));
      ch.on('error', () => undefined);
      ch.on('close', () => {
        this.#dead = true;
        this.#channel = undefined;
        this.#pending?.onGone();
      });
      const id = this.#nextId();
      const probe = await this.#frame({ id }, `${SESSION_SETUP}; echo "$$"; ${CUT_PROBE}; command -v base64 >/dev/null; ${endScript(id)}\n`, {});
      this.#base64 = probe.code === 0;
      const [pid, cut] = probe.stdout.trim().split('\n');
      this.#cut = cut === 'cut';
      this.#pid = Number(pid);
      if (!Number.isInteger(this.#pid) || this.#pid <= 1) throw new Error(`unexpected shell pid ${probe.stdout}`);
      return true;
    } catch {
      this.drop();
      return false;
    }
  }

  #nextId(): string {
    return `${this.#nonce}:${++this.#seq}`;
  }

  run(cmd: string, opts: ExecOptions): Promise<ExecResult> {
    const execTag = randomBytes(8).toString('hex');
    const frame = { id: this.#nextId(), cmd, execTag, stdin: opts.stdin === undefined ? undefined : Buffer.from(opts.stdin), cut: this.#cut && opts.isolate === true };
    return this.#frame(frame, frameScript(frame), opts);
  }

  /** Sends script and collects output until both end markers of frame.id have arrived. */
  #frame(frame: { id: string; execTag?: string; cut?: boolean }, script: string, opts: ExecOptions): Promise<ExecResult> {
    const ch = this.#channel;
    if (!ch || this.#dead) return Promise.reject(new Error('shell session is not running'));
    this.busy = true;
    return new Promise<ExecResult>((resolve, reject) => {
      const dec = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
      // a cut frame's output comes through sed line by line, a line and its newline sometimes apart: whole lines go on
      const partial = { stdout: '', stderr: '' };
      const live = (which: 'stdout' | 'stderr') => opts.onOutput === undefined ? undefined : (b: Buffer) => {
        let s = partial[which] + dec[which].write(b);
        partial[which] = '';
        if (frame.cut) {
          const nl = s.lastIndexOf('\n') + 1;
          partial[which] = s.slice(nl);
          s = s.slice(0, nl);
        }
        if (s) opts.onOutput!(s, which);
      };
      const flushLive = () => {
        for (const which of ['stdout', 'stderr'] as const) if (partial[which]) opts.onOutput?.(partial[which], which);
      };
      const marker = endMarker(frame.id);
      // a cut frame's own output ends at its cut line; what follows it before the end marker is dropped
      const cut = (which: 'stdout' | 'stderr') => frame.cut ? new EndScanner(cutMarker(frame.id), live(which), CUT_CLOSE) : undefined;
      const own = { stdout: cut('stdout'), stderr: cut('stderr') };
      const out = new EndScanner(marker, own.stdout ? (b) => own.stdout!.push(b) : live('stdout'));
      const err = new EndScanner(marker, own.stderr ? (b) => own.stderr!.push(b) : live('stderr'));
      const text = (which: 'stdout' | 'stderr') => (own[which]?.all ?? (which === 'stdout' ? out : err).body).toString('utf8');
      let timedOut = false;
      let settled = false;
      let grace: NodeJS.Timeout | undefined;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        this.#pending = undefined;
        this.busy = false;
        f();
      };
      const finish = () => settle(() => {
        flushLive();
        const stdout = text('stdout');
        const stderr = text('stderr');
        if (timedOut) return resolve(timedOutResult(stdout, stderr, opts.timeoutMs));
        resolve({ code: Number(own.stdout?.done ? own.stdout.trailer : out.trailer), stdout, stderr });
      });
      const check = () => { if (out.done && err.done) finish(); };
      this.#pending = {
        onData: (b) => { out.push(b); check(); },
        onErr: (b) => { err.push(b); check(); },
        onGone: () => settle(() => {
          if (timedOut) return resolve(timedOutResult(text('stdout'), text('stderr'), opts.timeoutMs));
          if (this.hooks.isClosed()) return reject(this.hooks.lost());
          const stderr = text('stderr');
          resolve({ code: 255, stdout: text('stdout'), stderr: `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}the remote shell ended during the command` });
        }),
      };
      const timer = opts.timeoutMs === undefined || frame.execTag === undefined ? undefined : setTimeout(() => {
        timedOut = true;
        void this.hooks.killTagged(frame.execTag!, this.#pid).catch(() => undefined).then(() => {
          if (settled) return;
          // the killed command's marker should follow at once; if the shell itself is stuck, drop it
          grace = setTimeout(() => { this.drop(); finish(); }, KILL_GRACE_MS);
        });
      }, opts.timeoutMs);
      ch.write(script);
    });
  }

  /** Ends the shell; the next command gets a new one. */
  drop(): void {
    this.#dead = true;
    const ch = this.#channel;
    this.#channel = undefined;
    if (ch) {
      try { ch.close(); } catch { /* gone */ }
    }
  }
}
