// Every reporter sits behind this: no secret reaches any sink.
import type { Redactor } from '../secrets/redact.js';
import type { Reporter, RunEvent } from '../events.js';

export function redacting(inner: Reporter, redactor: Redactor): Reporter {
  return {
    emit: (e: RunEvent) => inner.emit(redactor.redactValue(e)),
    close: () => inner.close(),
  };
}

export function fanOut(...reporters: Reporter[]): Reporter {
  return {
    emit: (e) => reporters.forEach((r) => r.emit(e)),
    close: async () => void (await Promise.all(reporters.map((r) => r.close()))),
  };
}
