// The wire format of a persistent remote shell (see shell-session.ts), as pure functions.
// Each command is one line written to the shell's stdin, run in a subshell; its end is a marker on stdout (with the exit
// status) and one on stderr. Markers carry a per-session nonce and the command's sequence number.
import { quote } from '../shell-quote.js';

const RS = 0x1e;
const NL = 0x0a;

export interface Frame {
  /** Unique per session and command: nonce:seq. */
  id: string;
  /** The command, run as `( eval CMD )`: a subshell of the session's shell. */
  cmd: string;
  /** Exported to the command's processes only, so a timeout can find and kill them. */
  execTag: string;
  /** Bytes for the command's stdin (sent base64 in a here-document); otherwise stdin is /dev/null. */
  stdin?: Buffer;
  /** Cut the command's output off where it ends (see frameScript); needs `sed -u` on the host (CUT_PROBE). */
  cut?: boolean;
}

/** Prints "cut" when the host's sed can relay a stream unbuffered and stop at a line (what a cut frame needs). */
export const CUT_PROBE = `[ "$(printf 'a\\nb\\n' | LC_ALL=C sed -u '/^a$/q' 2>/dev/null)" = a ] && echo cut`;

/**
 * Run once first: the channel's stderr moves to fd 3 for commands and markers, and the shell's own
 * stderr goes to /dev/null, so its job notices ("Killed") never mix into a command's output.
 */
export const SESSION_SETUP = 'exec 3>&2 2>/dev/null';

/** Heredoc lines stay short for any shell; base64 never contains the delimiter's `_`. */
const B64_LINE = 4096;

/**
 * The text to write to the shell for one command.
 *
 * A cut frame gives the command its own stdout and stderr: pipes read by two `sed -u`, which pass every
 * line on and exit at the cut line printed after the command ended. A background child that keeps the
 * descriptors (`(sleep 1; echo LATE) &`) then writes into pipes nobody reads: its output never reaches
 * the channel, so it can never land in a later command's result (the write fails; SIGPIPE ends it).
 * Without `sed -u` on the host the command writes to the channel itself, as the shell's subshell.
 */
export function frameScript(f: Frame): string {
  // a subshell costs the host a fork, where `sh -c` would also cost an exec
  const sub = `( PLAY_EXEC_ID=${f.execTag}; export PLAY_EXEC_ID; eval ${quote(f.cmd)} )`;
  const end = endScript(f.id);
  const hasStdin = f.stdin !== undefined && f.stdin.length > 0;
  const delim = `PLAY_${f.id.replace(/:/g, '_')}`;
  let run: string;
  if (f.cut) {
    // fd 5 is the stderr pipe: the command's stderr, while the shell running the group writes its own
    // notices ("Killed" after a timeout) to /dev/null
    const own = `${sub} 2>&5 5>&- 3>&-`;
    const fed = hasStdin ? `base64 -d <<'${delim}' 2>/dev/null | ${own}` : `${own} </dev/null`;
    const cutAt = quote(`/^\x1eC${f.id}:[0-9]*$/q`); // a raw RS byte inside single quotes
    const sed = `LC_ALL=C sed -u ${cutAt}`;
    const group = `{ ${fed}; printf '\\n\\036C%s:%d\\n' ${f.id} "$?"; printf '\\n\\036C%s:\\n' ${f.id} >&5; }`;
    run = `{ ${group} 2>&1 >&4 4>&- 5>&2 2>/dev/null | ${sed} >&3; } 4>&1 | ${sed}`;
  } else {
    const plain = `${sub} 2>&3 3>&-`;
    run = hasStdin ? `base64 -d <<'${delim}' 2>&3 | ${plain}` : `${plain} </dev/null`;
  }
  if (!hasStdin) return `${run}; ${end}\n`;
  const b64 = f.stdin!.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += B64_LINE) lines.push(b64.slice(i, i + B64_LINE));
  return `${run}; ${end}\n${lines.join('\n')}\n${delim}\n`;
}

/** Where a cut frame's output ends on both streams: "\n" + this + status (stdout) or nothing (stderr) + "\n". */
export const CUT_CLOSE = NL;

export function cutMarker(id: string): string {
  return `\n\x1eC${id}:`;
}

/** Prints frame id's end markers: the last status on stdout, a bare one on stderr. */
export function endScript(id: string): string {
  return `printf '\\036%s:%d\\036' ${id} "$?"; printf '\\036%s:\\036' ${id} >&3`;
}

/**
 * Scans one output stream of the shell for a frame's end marker. Bytes before it are the command's
 * output (passed on as they come, holding back only what might be the marker's start); the text
 * between the marker and the closing RS is the trailer (the exit status on stdout, empty on stderr).
 */
export class EndScanner {
  readonly #marker: Buffer;
  #held: Buffer = Buffer.alloc(0);
  readonly #body: Buffer[] = [];
  trailer: string | undefined;
  /** What came after the trailer in the chunk that ended it: the next pipelined frame's output. */
  rest: Buffer = Buffer.alloc(0);

  /** close: the byte that ends the trailer (RS for end markers, a newline for cut markers). */
  constructor(marker: string, readonly onBody?: (b: Buffer) => void, private readonly close = RS) {
    this.#marker = Buffer.from(marker, 'latin1');
  }

  /** Everything before the marker, or, when it never came, everything pushed (what was held back too). */
  get all(): Buffer {
    return this.done ? this.body : Buffer.concat([...this.#body, this.#held]);
  }

  get done(): boolean {
    return this.trailer !== undefined;
  }

  get body(): Buffer {
    return Buffer.concat(this.#body);
  }

  push(chunk: Buffer): void {
    if (this.done) return;
    const buf = this.#held.length ? Buffer.concat([this.#held, chunk]) : chunk;
    const at = buf.indexOf(this.#marker);
    if (at >= 0) {
      this.#emit(buf.subarray(0, at));
      const from = at + this.#marker.length;
      const close = buf.indexOf(this.close, from);
      if (close < 0) {
        this.#held = buf.subarray(at);
        return;
      }
      this.trailer = buf.subarray(from, close).toString('latin1');
      this.#held = Buffer.alloc(0);
      this.rest = buf.subarray(close + 1);
      return;
    }
    const keep = partialSuffix(buf, this.#marker);
    this.#emit(buf.subarray(0, buf.length - keep));
    this.#held = Buffer.from(buf.subarray(buf.length - keep));
  }

  #emit(b: Buffer): void {
    if (b.length === 0) return;
    const copy = Buffer.from(b);
    this.#body.push(copy);
    this.onBody?.(copy);
  }
}

/** Length of the longest suffix of buf that is a proper prefix of marker (only where marker[0] occurs). */
function partialSuffix(buf: Buffer, marker: Buffer): number {
  const first = marker[0]!;
  for (let at = buf.indexOf(first, Math.max(0, buf.length - marker.length + 1)); at >= 0; at = buf.indexOf(first, at + 1)) {
    if (buf.compare(marker, 0, buf.length - at, at, buf.length) === 0) return buf.length - at;
  }
  return 0;
}

/** The end marker of frame id on both streams: stdout's is followed by "STATUS\x1e", stderr's by "\x1e". */
export function endMarker(id: string): string {
  return `\x1e${id}:`;
}

/**
 * Shell text that SIGSTOPs every descendant of the session shell shellPid, parents before children (so none
 * can fork or run on), and leaves their pids in $kids. A command's processes sit at any depth below the
 * shell (a cut frame nests them in a pipeline), and none may report a kill or run the rest of its list.
 */
export function stopTreeScript(shellPid: number): string {
  return `kids=; tree=" ${shellPid} "; pairs=$(for f in /proc/[0-9]*/stat; do read -r s < "$f" 2>/dev/null || continue; ` +
    `s=\${s##*) }; set -- $s; p=\${f#/proc/}; echo "\${p%/stat}:$2"; done); n=1; while [ $n = 1 ]; do n=0; ` +
    `for pr in $pairs; do p=\${pr%:*}; case "$tree" in *" $p "*) continue;; esac; case "$tree" in *" \${pr#*:} "*) ` +
    `tree="$tree$p "; kids="$kids $p"; kill -STOP "$p" 2>/dev/null; n=1;; esac; done; done; `;
}
