// --json: one JSON object per line per event, on stdout. The test oracle.
import type { Reporter, RunEvent } from '../events.js';

export function jsonReporter(write: (line: string) => void): Reporter {
  return {
    emit(e: RunEvent) {
      write(JSON.stringify({ ...e, ts: Date.now() }) + '\n');
    },
    async close() {},
  };
}
