// Every reporter sits behind this: no secret reaches any sink. Streamed output is masked per
// (task, host, stream) with a held-back tail, so a secret split across chunks never reaches a sink.
import type { Redactor } from '../secrets/redact.js';
import { StreamRedactor } from '../secrets/stream.js';
import type { Reporter, RunEvent } from '../events.js';

type Output = Extract<RunEvent, { kind: 'output' }>;

export function redacting(inner: Reporter, redactor: Redactor): Reporter {
  const streams = new Map<string, { e: Output; s: StreamRedactor }>();
  const send = (e: RunEvent) => inner.emit(redactor.redactValue(e));
  /** Emits what each matching stream still holds, then forgets it. */
  const flush = (match: (e: Output) => boolean) => {
    for (const [k, { e, s }] of streams) {
      if (!match(e)) continue;
      streams.delete(k);
      const rest = s.flush();
      if (rest) send({ ...e, chunk: rest });
    }
  };
  return {
    emit: (e: RunEvent) => {
      switch (e.kind) {
        case 'output': {
          const k = `${e.taskId}\u0000${e.host}\u0000${e.stream}`;
          let entry = streams.get(k);
          if (!entry) streams.set(k, (entry = { e, s: new StreamRedactor(redactor) }));
          const safe = entry.s.push(e.chunk);
          if (safe) send({ ...e, chunk: safe });
          return;
        }
        case 'host_result':
        case 'host_unreachable':
          flush((o) => o.host === e.host && (e.taskId === undefined || o.taskId === e.taskId));
          break;
        case 'task_end':
        case 'play_end':
        case 'plan':
        case 'recap':
        case 'run_end':
          flush(() => true);
          break;
        default:
          break;
      }
      send(e);
    },
    close: () => {
      flush(() => true);
      return inner.close();
    },
  };
}

/** One reporter that hands every event to each of several (the view, and the -vv detail lines). */
export function fanOut(...reporters: Reporter[]): Reporter {
  return {
    emit: (e) => reporters.forEach((r) => r.emit(e)),
    close: async () => void (await Promise.all(reporters.map((r) => r.close()))),
  };
}
