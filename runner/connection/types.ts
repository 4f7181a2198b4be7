// The transport a module talks through. A non-zero exit is a value;
// a lost transport is a thrown ConnectionError (see runner/errors.ts).

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Bytes written to the command's stdin, then stdin is closed. Secrets travel here, never in argv. */
  stdin?: string | Buffer;
  /** Kill the command after this many milliseconds; the result then has code 124. */
  timeoutMs?: number;
  /** Live output, for -v. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /**
   * The command's output ends where the command ends: a background child that keeps its stdout/stderr
   * is cut off (see shell-frame.ts). Set for a task's own commands; probes, which start no children, skip the cost.
   */
  isolate?: boolean;
  /**
   * Read-only commands to send in the same write, to run right after this one, in order (pipelining: the
   * next task's probe travels with this task's apply). The transport sets each one's result when it sent it.
   */
  ahead?: readonly Ahead[];
}

/** See ExecOptions.ahead and runner/execute/ahead.ts. */
export interface Ahead {
  /** The host it is meant for: a command on another host's connection (delegation) never carries it. */
  host: string;
  cmd: string;
  timeoutMs?: number;
  /** Set by the transport once cmd went out behind the command that carried it. */
  result?: Promise<ExecResult>;
}

/** Options of Connection.put: the commands sent ahead travel with the write, as with exec. */
export interface PutOptions {
  ahead?: readonly Ahead[];
}

export interface Connection {
  /** Inventory name of the host. */
  readonly host: string;
  /** sha256 (hex) of the SSH host key this transport verified; undefined for a local connection. Part of the host's identity. */
  readonly hostKey?: string;
  /** Commands run through `sh -c` on the host. */
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Write a file atomically (temp file + rename) with the given mode and, if given, owner ("user:group"). */
  put(path: string, content: Buffer, mode?: number, owner?: string, opts?: PutOptions): Promise<void>;
  /**
   * Starts cmd and keeps it running until close() or the connection ends (the host-side run lock, see
   * state/host-lock.ts). Not counted in execCount. Absent on transports that hold nothing (local).
   */
  hold?(cmd: string): Promise<HeldCommand>;
  /** Number of exec channels opened so far (tests and the bench count them). */
  readonly execCount: number;
  close(): Promise<void>;
}

/** The result of a command killed by its timeout: code 124, like timeout(1), and a line saying so. */
export function timedOutResult(stdout: string, stderr: string, timeoutMs: number | undefined): ExecResult {
  const secs = Number(((timeoutMs ?? 0) / 1000).toFixed(3));
  return { code: 124, stdout, stderr: `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}timed out after ${secs} s` };
}

/** A command kept running on the host; see Connection.hold. */
export interface HeldCommand {
  /** The next line it printed; null once it ended or the transport closed. */
  line(): Promise<string | null>;
  close(): void;
}
