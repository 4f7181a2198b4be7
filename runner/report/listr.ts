// The TTY view: listr2 shows tasks × hosts with spinners and timers. It only displays:
// each host row is a promise that the event stream settles; it never drives execution.
import { color, Listr } from 'listr2';
import type { Reporter, RunEvent } from '../events.js';
import { formatMs, outcomeDetail, recapLines } from './format.js';
import type { Outcome } from '../types.js';
import { escapeControls, escapeLine as one } from './sanitize.js';
import { planLines } from '../execute/plan-summary.js';

interface Row {
  settle: (o: Outcome, ms: number) => void;
  /** -v: the command's latest output lines, shown under the running row. */
  show: (text: string) => void;
  /** Redraws the running row's title with the time elapsed since it started. */
  tick: (now: number) => void;
}

/** A running row's title: the host, and after a second the time it has been running. */
export function runningTitle(host: string, elapsedMs: number): string {
  return elapsedMs < 1000 ? host : `${host} ${color.dim(`running ${formatMs(Math.floor(elapsedMs / 1000) * 1000)}`)}`;
}

/** -v output under a row: each line carries the host name, control characters escaped. */
export function outputLines(host: string, chunk: string): string {
  return chunk.replace(/\n$/, '').split('\n').map((l) => `${color.dim(`${host} |`)} ${escapeControls(l)}`).join('\n');
}

export function listrReporter(opts: { diff: boolean; verbose: boolean }): Reporter {
  let chain: Promise<unknown> = Promise.resolve();
  const rows = new Map<string, Row>();
  const pending = new Map<string, { outcome: Outcome; ms: number }>();
  const print = (text: string) => {
    chain = chain.then(() => void process.stdout.write(text + '\n'));
  };
  // one clock for every running row; unref'd so it never keeps the process alive
  const clock = setInterval(() => { const now = Date.now(); rows.forEach((r) => r.tick(now)); }, 1000);
  clock.unref();

  const startTask = (e: Extract<RunEvent, { kind: 'task_start' }>) => {
    const title = `${e.handler ? color.magenta('handler') + ' ' : ''}${e.role ? color.dim(one(e.role) + ' : ') : ''}${one(e.name)}`;
    const list = new Listr(
      [{
        title,
        task: (_ctx, task) => task.newListr(e.hosts.map((name) => one(name)).map((host, i) => ({
          title: host,
          rendererOptions: { bottomBar: 5 },
          task: (_c: unknown, row) => new Promise<void>((resolve, reject) => {
            const settle = (o: Outcome, ms: number) => {
              const detail = escapeControls(outcomeDetail(o));
              const suffix = color.dim(` ${formatMs(ms)}`);
              if (o.status === 'changed') { row.title = `${host} ${color.yellow('changed')} ${detail}${suffix}`; resolve(); }
              else if (o.status === 'unknown') { row.title = `${host} ${color.magenta('unknown')} ${detail}${suffix}`; resolve(); }
              else if (o.status === 'ok') { row.title = `${host} ${color.green('ok')} ${color.dim(detail)}${suffix}`; resolve(); }
              else if (o.status === 'skipped') { row.skip(`${host} ${o.why === 'done-before' ? color.cyan('done before') : 'skipped'} ${color.dim(detail)}`); resolve(); }
              else reject(new Error(`${host} ${o.status === 'failed' ? 'failed' : 'unreachable'}: ${detail}`));
            };
            const k = key(e.taskId, e.hosts[i]!);
            const early = pending.get(k);
            const started = Date.now();
            if (early) { pending.delete(k); settle(early.outcome, early.ms); }
            else rows.set(k, { settle, show: (text) => { row.output = text; }, tick: (now) => { row.title = runningTitle(host, now - started); } });
          }),
        })), { concurrent: true, exitOnError: false }),
      }],
      { exitOnError: false, rendererOptions: { collapseSubtasks: false, collapseSkips: true, suffixSkips: false } },
    );
    chain = chain.then(() => list.run().catch(() => undefined));
  };

  return {
    emit(e: RunEvent) {
      switch (e.kind) {
        case 'play_start': print(color.bold(`\nPLAY [${one(e.play)}] on ${e.hosts.length} host(s)`)); break;
        case 'task_start': startTask(e); break;
        case 'host_result': {
          const row = rows.get(key(e.taskId, e.host));
          if (row) { rows.delete(key(e.taskId, e.host)); row.settle(e.outcome, e.ms); }
          else pending.set(key(e.taskId, e.host), { outcome: e.outcome, ms: e.ms });
          if (e.message) print(`    ${one(e.host)}: ${escapeControls(e.message).split('\n').join('\n    ')}`);
          if (opts.diff && e.outcome.status === 'changed' && e.outcome.diff) print(escapeControls(e.outcome.diff.trimEnd()));
          break;
        }
        case 'host_unreachable': if (!e.taskId) print(color.red(`  ${one(e.host)}: UNREACHABLE - ${one(e.msg)}`)); break;
        case 'warning': print(color.yellow(`  [WARNING]${e.host ? ` ${one(e.host)}:` : ''} ${one(e.msg)}`)); break;
        case 'plan': print(color.bold('\nPLAN (check mode: nothing was changed)')); planLines(e).forEach((l) => print(l)); break;
        case 'recap': print(color.bold(`\nRECAP (${formatMs(e.ms)})`)); recapLines(e.hosts).forEach((l) => print(l)); break;
        case 'output': {
          const row = rows.get(key(e.taskId, e.host));
          if (opts.verbose && row) row.show(outputLines(one(e.host), e.chunk));
          break;
        }
        default: break;
      }
    },
    async close() {
      clearInterval(clock);
      await chain;
    },
  };
}

function key(taskId: string, host: string): string {
  return `${taskId}\u0000${host}`;
}
