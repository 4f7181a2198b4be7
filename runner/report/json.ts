// --json: one JSON object per line per event, on stdout. The test oracle.
import type { Reporter, RunEvent } from '../events.js';

/**
 * Lines of one turn of the event loop go out in one write (a write per event cost a syscall each: 1,500 at
 * 50 hosts × 30 tasks). close() waits until `drained` says the output is out: the process exits right after.
 */
export function jsonReporter(write: (text: string) => void, drained: () => Promise<void> = async () => undefined): Reporter {
  let lines: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!lines.length) return;
    const text = lines.join('');
    lines = [];
    write(text);
  };
  return {
    emit(e: RunEvent) {
      lines.push(JSON.stringify({ ...e, ts: Date.now() }) + '\n');
      if (lines.length >= 256) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    async close() {
      flush();
      await drained();
    },
  };
}
