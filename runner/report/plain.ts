// Plain lines for CI and pipes: one per task per host, then the recap.
import { assertNever } from '../errors.js';
import type { Reporter, RunEvent } from '../events.js';
import { formatMs, outcomeDetail, outcomeWord, recapLines } from './format.js';
import { escapeControls, escapeLine as one } from './sanitize.js';
import { planLines } from '../execute/plan-summary.js';

export function plainReporter(out: (line: string) => void, opts: { verbose: boolean; diff: boolean }): Reporter {
  // everything written is escaped: control characters from hosts never reach the terminal raw
  const write = (s: string) => out(escapeControls(s));
  const line = (s: string) => write(s + '\n');
  return {
    emit(e: RunEvent) {
      switch (e.kind) {
        case 'run_start': line(`play ${e.playbook}${e.check ? ' (check mode: no host is changed)' : ''}`); break;
        case 'play_start': line(`\nPLAY [${one(e.play)}] on ${e.hosts.length} host(s)`); break;
        case 'task_start': line(`${e.handler ? 'HANDLER' : 'TASK'} [${e.role ? e.role + ' : ' : ''}${one(e.name)}]`); break;
        case 'host_result': {
          // continuation lines stay indented: a multi-line message cannot pass for another host's line
          const detail = outcomeDetail(e.outcome).split('\n').join('\n      ');
          line(`  ${one(e.host)}: ${outcomeWord(e.outcome)}${detail ? ` - ${detail}` : ''} (${formatMs(e.ms)})`);
          if (e.message) line(`    ${e.message.split('\n').join('\n    ')}`);
          if (opts.diff && e.outcome.status === 'changed' && e.outcome.diff) line(e.outcome.diff.trimEnd());
          break;
        }
        case 'output': if (opts.verbose) write(prefixLines(`    ${one(e.host)} ${e.stream}| `, e.chunk)); break;
        case 'host_unreachable': line(`  ${one(e.host)}: UNREACHABLE - ${e.msg}${e.task ? ` (during '${e.task}')` : ''}`); break;
        case 'warning': line(`  [WARNING]${e.host ? ` ${one(e.host)}:` : ''} ${e.msg}`); break;
        case 'task_end': case 'play_end': case 'run_end': break;
        case 'plan': line('\nPLAN (check mode: nothing was changed)'); planLines(e).forEach(line); break;
        case 'recap': line(`\nRECAP (${formatMs(e.ms)})`); recapLines(e.hosts).forEach(line); break;
        default: assertNever(e, 'event');
      }
    },
    async close() {},
  };
}

function prefixLines(prefix: string, chunk: string): string {
  return chunk.replace(/\n$/, '').split('\n').map((l) => prefix + l).join('\n') + '\n';
}
