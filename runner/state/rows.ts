// `play state show`'s rows: what the store records per host, as plain data (pure).
import type { Snapshot } from './journal.js';

export interface StateRow {
  host: string;
  identity: string;
  tasks: Array<{ id: string; role?: string; at: string }>;
  pendingHandlers: string[];
}

export function showRows(snap: Snapshot, host?: string): StateRow[] {
  return Object.entries(snap.hosts)
    .filter(([name]) => !host || name === host)
    .map(([name, identity]) => ({
      host: name,
      identity,
      tasks: Object.values(snap.done[identity] ?? {}).map((r) => ({ id: r.taskId, role: r.role, at: r.at })),
      pendingHandlers: snap.pending[identity] ?? [],
    }));
}
