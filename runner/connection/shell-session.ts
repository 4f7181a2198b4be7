// One long-lived `sh` per connection: each command is a line on its stdin instead of a new SSH
// channel, which spares the host an sshd fork and a login shell per command and the controller two
// round trips. Commands run one at a time, each in a subshell with stdin from /dev/null or a
// here-document. The wire format is in shell-frame.ts.
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { CUT_CLOSE, CUT_PROBE, cutMarker, EndScanner, endMarker, endScript, frameScript, SESSION_SETUP } from './shell-frame.js';
import { type ExecOptions, type ExecResult, timedOutResult } from './types.js';

/** The end of the stderr of a command whose shell ended under it (exit 255). */
export const SHELL_ENDED = 'the remote shell ended during the command';

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

/** A frame written to the shell and not yet ended: frames end in the order they were written. */
type Pending = {
  /** Feeds bytes of one stream; returns what follows this frame's end on it (the next frame's), if it ended. */
  push(which: 'stdout' | 'stderr', b: Buffer): Buffer | undefined;
  ended(which: 'stdout' | 'stderr'): boolean;
  /** It runs now (the frames before it ended): its timeout starts. */
  arm(): void;
  onGone(): void;
};

export class ShellSession {
  readonly #nonce = randomBytes(9).toString('hex');
  /** Names the command's processes (PLAY_EXEC_ID): its own nonce, so what a command can read of its environment never spells its frame's markers. */
  readonly #tagNonce = randomBytes(9).toString('hex');
  #seq = 0;
  #channel: ClientChannel | undefined;
  /** Frames written and not yet ended, oldest first: the head runs, the others wait in the shell's stdin. */
  #queue: Pending[] = [];
  #dead = false;
  /** Whether the host has base64 (here-document stdin needs it). */
  #base64 = false;
  /** Whether commands run as cut frames (their output ends where they end; see frameScript). */
  #cut = false;
  /** The shell's pid on the host: a running command is its only child, which is how a timeout finds it. */
  #pid = 0;
  /** A caller's command is in flight (a frame sent ahead with it does not count: later frames queue behind it). */
  busy = false;

  constructor(readonly hooks: ShellHooks) {}

  get usable(): boolean {
    return !this.#dead && !this.#retiring;
  }

  /** The setup's answer has not come yet (commands that need none of what it tells are written behind it). */
  #setup: Promise<void> | undefined;
  /** The shell ended before it answered the setup: nothing written after the setup ran. */
  neverStarted = false;
  /** The setup came back unusable: frames written already finish, then the shell is dropped. */
  #retiring = false;
  /** The setup came back, but this shell is no good for more commands (SshChannels then uses channels). */
  setupFailed = false;

  /** Whether a command with this stdin can go through the shell (large stdin streams better on a channel). */
  accepts(stdin: ExecOptions['stdin']): boolean {
    return stdin === undefined || stdin.length === 0 || (this.#setup === undefined && this.#base64 && stdin.length < MAX_HEREDOC_BYTES);
  }

  /**
   * Opens the shell and sends the setup, which learns what the shell can do. It does not wait for the
   * answer: a command that needs none of it (no cut frame, no stdin) goes out right behind it, so the
   * first command costs no round trip of its own. False (and unusable) if the channel cannot open.
   */
  async start(): Promise<boolean> {
    try {
      const ch = await this.hooks.open('exec /bin/sh');
      this.#channel = ch;
      let setupFrame: Pending | undefined;
      ch.on('data', (b: Buffer) => this.#dispatch('stdout', b));
      ch.stderr.on('data', (b: Buffer) => this.#dispatch('stderr', b));
      ch.on('error', () => undefined);
      ch.on('close', () => {
        // decided here, not from #setup (settled a microtask later): the answer and the close can come in one chunk
        if (setupFrame !== undefined && this.#queue.includes(setupFrame)) this.neverStarted = true;
        this.#dead = true;
        this.#channel = undefined;
        for (const p of [...this.#queue]) p.onGone();
      });
      const id = this.#nextId();
      const [probe] = this.#write([{ frame: { id }, script: `${SESSION_SETUP}; echo "$$"; ${CUT_PROBE}; command -v base64 >/dev/null; ${endScript(id)}\n`, opts: {} }]);
      setupFrame = this.#queue[0];
      this.#setup = probe!.then((r) => {
        this.#base64 = r.code === 0;
        const [pid, cut] = r.stdout.trim().split('\n');
        this.#cut = cut === 'cut';
        this.#pid = Number(pid);
        if (Number.isInteger(this.#pid) && this.#pid > 1) return;
        // what was written behind the setup may be running: let it end, then drop the shell
        this.setupFailed = true;
        this.#retiring = true;
        if (this.#queue.length === 0) this.drop();
      }, () => {
        this.setupFailed = true;
        this.drop();
      }).finally(() => { this.#setup = undefined; });
      return true;
    } catch {
      this.setupFailed = true;
      this.drop();
      return false;
    }
  }

  #nextId(): string {
    return `${this.#nonce}:${++this.#seq}`;
  }

  /** Runs cmd; opts.ahead (read-only commands) go out in the same write and run right after it, in order. */
  run(cmd: string, opts: ExecOptions): Promise<ExecResult> {
    // a cut frame or stdin needs what the setup tells (sed -u, base64): wait for its answer
    if (this.#setup !== undefined && (opts.isolate === true || (opts.stdin !== undefined && opts.stdin.length > 0))) {
      this.busy = true;
      return this.#setup.then(() => this.run(cmd, opts));
    }
    const mk = (c: string, o: ExecOptions) => {
      const id = this.#nextId();
      // the nonce makes the tag unique (no random bytes per command: they cost); the z ends it, so no tag is a prefix of another
      const frame = { id, cmd: c, execTag: `${this.#tagNonce}x${this.#seq}z`, stdin: o.stdin === undefined ? undefined : Buffer.from(o.stdin), cut: this.#cut && o.isolate === true };
      return { frame, script: frameScript(frame), opts: o };
    };
    const { ahead = [], ...own } = opts;
    const parts = [mk(cmd, own), ...ahead.map((a) => mk(a.cmd, { timeoutMs: a.timeoutMs }))];
    this.busy = true;
    const [mine, ...next] = this.#write(parts);
    ahead.forEach((a, i) => {
      const r = next[i]!;
      r.catch(() => undefined); // a result nobody takes must not become an unhandled rejection
      a.result = r;
    });
    return mine!.finally(() => { this.busy = false; });
  }

  /** Bytes of one stream go to the oldest frame still reading it; what follows its end, to the next. */
  #dispatch(which: 'stdout' | 'stderr', b: Buffer): void {
    let rest: Buffer | undefined = b;
    for (const p of [...this.#queue]) {
      if (p.ended(which)) continue;
      rest = p.push(which, rest);
      if (rest === undefined || rest.length === 0) return;
    }
  }

  /** Sends the frames' scripts in one write; each result settles once both its end markers have arrived. */
  #write(parts: Array<{ frame: { id: string; execTag?: string; cut?: boolean }; script: string; opts: ExecOptions }>): Promise<ExecResult>[] {
    const ch = this.#channel;
    if (!ch || this.#dead || this.#retiring) return parts.map(() => Promise.reject(new Error('shell session is not running')));
    const results = parts.map((p) => this.#pending(p.frame, p.opts));
    if (this.#queue.length === results.length) this.#queue[0]!.arm();
    ch.write(parts.length === 1 ? parts[0]!.script : parts.map((p) => p.script).join(''));
    return results;
  }

  /** Queues the bookkeeping of one frame: its scanners, its timeout (armed when it runs) and its settling. */
  #pending(frame: { id: string; execTag?: string; cut?: boolean }, opts: ExecOptions): Promise<ExecResult> {
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
      const scan = {
        stdout: new EndScanner(marker, own.stdout ? (b) => own.stdout!.push(b) : live('stdout')),
        stderr: new EndScanner(marker, own.stderr ? (b) => own.stderr!.push(b) : live('stderr')),
      };
      const text = (which: 'stdout' | 'stderr') => (own[which]?.all ?? scan[which].body).toString('utf8');
      let timedOut = false;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        const at = this.#queue.indexOf(pending);
        if (at >= 0) this.#queue.splice(at, 1);
        this.#queue[0]?.arm();
        f();
        if (this.#retiring && this.#queue.length === 0) this.drop();
      };
      const finish = () => settle(() => {
        flushLive();
        const stdout = text('stdout');
        const stderr = text('stderr');
        if (timedOut) return resolve(timedOutResult(stdout, stderr, opts.timeoutMs));
        resolve({ code: Number(own.stdout?.done ? own.stdout.trailer : scan.stdout.trailer), stdout, stderr });
      });
      let armed = false;
      const pending: Pending = {
        ended: (which) => scan[which].done,
        push: (which, b) => {
          scan[which].push(b);
          if (!scan[which].done) return undefined;
          const rest = scan[which].rest;
          if (scan.stdout.done && scan.stderr.done) finish();
          return rest;
        },
        arm: () => {
          if (armed || settled || opts.timeoutMs === undefined || frame.execTag === undefined) return;
          armed = true;
          timer = setTimeout(() => {
            timedOut = true;
            void this.hooks.killTagged(frame.execTag!, this.#pid).catch(() => undefined).then(() => {
              if (settled) return;
              // the killed command's marker should follow at once; if the shell itself is stuck, drop it
              grace = setTimeout(() => { this.drop(); finish(); }, KILL_GRACE_MS);
            });
          }, opts.timeoutMs);
        },
        onGone: () => settle(() => {
          if (timedOut) return resolve(timedOutResult(text('stdout'), text('stderr'), opts.timeoutMs));
          if (this.hooks.isClosed()) return reject(this.hooks.lost());
          const stderr = text('stderr');
          resolve({ code: 255, stdout: text('stdout'), stderr: `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}${SHELL_ENDED}` });
        }),
      };
      this.#queue.push(pending);
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
