// -vv and up: where each play and task comes from and how long each host took, on stderr (stdout stays
// the reporter's, so --json output is untouched). A sink of typed events like any reporter; it sits
// behind the redacting wrapper, so it sees only masked values.
import { assertNever } from '../errors.js';
import type { Reporter, RunEvent } from '../events.js';

const at = (src: { file: string; line: number; col: number }) => `${src.file}:${src.line}:${src.col}`;

export function detailReporter(write: (line: string) => void): Reporter {
  return {
    emit(e: RunEvent) {
      switch (e.kind) {
        case 'play_start': write(`PLAY [${e.play}] at ${at(e.src)}: ${e.hosts.length} host(s): ${e.hosts.join(', ')}`); break;
        case 'task_start': write(`TASK [${e.role ? `${e.role} : ` : ''}${e.name}] at ${at(e.src)}${e.handler ? ' (handler)' : ''} id ${e.taskId}`); break;
        case 'host_result': write(`<${e.host}> ${e.outcome.status} in ${e.ms} ms${e.item !== undefined ? ` (item ${e.item})` : ''}${detail(e.outcome)}`); break;
        case 'host_unreachable': write(`<${e.host}> unreachable: ${e.msg}`); break;
        case 'run_start': case 'output': case 'task_end': case 'play_end': case 'warning': case 'plan': case 'recap': case 'run_end': break;
        default: assertNever(e, 'run event');
      }
    },
    close: async () => undefined,
  };
}

function detail(o: Extract<RunEvent, { kind: 'host_result' }>['outcome']): string {
  switch (o.status) {
    case 'ok': return o.reason ? `: ${o.reason}` : '';
    case 'changed': return o.summary ? `: ${o.summary}` : '';
    case 'failed': return '';
    case 'skipped': return `: ${o.why}${o.detail ? ` (${o.detail})` : ''}`;
    case 'unreachable': return '';
    case 'unknown': return `: ${o.summary}`;
    default: return assertNever(o, 'outcome');
  }
}
