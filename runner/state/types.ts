// What the executor needs from the state store. The store itself is I/O; this is the seam.

export interface DoneRecord {
  /** Host identity (see identity.ts): machine-id, SSH host key and inventory name, hashed; never just the address. */
  identity: string;
  /** Inventory name at the time, for display. */
  host: string;
  taskId: string;
  role?: string;
  /** sha256 over module, rendered args, files read and become settings (secrets only hashed). */
  fingerprint: string;
  /** The registered result, with secrets masked. */
  result: Record<string, unknown>;
  /** set_fact values the task produced, restored when it is skipped. */
  setVars?: Record<string, unknown>;
  /** Hosts the task added to the inventory (add_host), added again when it is skipped. */
  addHosts?: Array<{ name: string; groups?: string[]; vars?: Record<string, unknown> }>;
  at: string;
  /** Set when the value was too big to keep (see cap.ts): result is then empty and the record is never replayed. */
  capped?: { bytes: number; sha256: string; head: string };
}

export interface StateSession {
  lookup(identity: string, taskId: string): DoneRecord | undefined;
  recordDone(rec: DoneRecord): void;
  /** A changed task notified a handler; durable until the handler has run. */
  notify(identity: string, host: string, handlerId: string): void;
  handled(identity: string, handlerId: string): void;
  pendingHandlers(identity: string): string[];
  /** Makes what was recorded durable (fdatasync), at most every 250 ms; close() always does. Called at task boundaries. */
  flush(): void | Promise<void>;
  /** A shared store (postgres) locks and loads a host once its identity is known; false = busy elsewhere. */
  claimHost?(identity: string, host: string): Promise<boolean>;
}
