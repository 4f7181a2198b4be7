// The wire format of a persistent remote shell (see shell-session.ts), as pure functions.
// Each command is one line written to the shell's stdin, run in a subshell; its end is a marker on stdout (with the exit
// status) and one on stderr. Markers carry a per-session nonce and the command's sequence number.
import { quote } from '../shell-quote.js';

const RS = 0x1e;

export interface Frame {
  /** Unique per session and command: nonce:seq. */
  id: string;
  /** The command, run as `( eval CMD )`: a subshell of the session's shell. */
  cmd: string;
  /** Exported to the command's processes only, so a timeout can find and kill them. */
  execTag: string;
  /** Bytes for the command's stdin (sent base64 in a here-document); otherwise stdin is /dev/null. */
  stdin?: Buffer;
}

/**
 * Run once first: the channel's stderr moves to fd 3 for commands and markers, and the shell's own
 * stderr goes to /dev/null, so its job notices ("Killed") never mix into a command's output.
 */
export const SESSION_SETUP = 'exec 3>&2 2>/dev/null';

/** Heredoc lines stay short for any shell; base64 never contains the delimiter's `_`. */
const B64_LINE = 4096;

/** The text to write to the shell for one command. */
export function frameScript(f: Frame): string {
  // a subshell costs the host a fork, where `sh -c` would also cost an exec
  const run = `( PLAY_EXEC_ID=${f.execTag}; export PLAY_EXEC_ID; eval ${quote(f.cmd)} ) 2>&3 3>&-`;
  const end = endScript(f.id);
  if (f.stdin === undefined || f.stdin.length === 0) return `${run} </dev/null; ${end}\n`;
  const delim = `PLAY_${f.id.replace(/:/g, '_')}`;
  const b64 = f.stdin.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += B64_LINE) lines.push(b64.slice(i, i + B64_LINE));
  return `base64 -d <<'${delim}' 2>&3 | ${run}; ${end}\n${lines.join('\n')}\n${delim}\n`;
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

  constructor(marker: string, readonly onBody?: (b: Buffer) => void) {
    this.#marker = Buffer.from(marker, 'latin1');
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
      const close = buf.indexOf(RS, from);
      if (close < 0) {
        this.#held = buf.subarray(at);
        return;
      }
      this.trailer = buf.subarray(from, close).toString('latin1');
      this.#held = Buffer.alloc(0);
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
