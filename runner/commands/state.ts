// `play state show|forget`: look at and prune the record of completed work.
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { defaultStateDir } from '../state/location.js';
import { readSnapshot } from '../state/journal.js';
import { showRows, type StateRow } from '../state/rows.js';
export { showRows, type StateRow };
import { StateStore } from '../state/store.js';
import { forgetCommand, locationOf, registerSharedStateCommands, showCommand } from '../state/backend-cli.js';

export function registerStateCommands(program: Command, done: (code: number) => never): void {
  const state = program.command('state').description('show or forget recorded work');
  const dirOf = (o: Record<string, unknown>) => (o.stateDir as string | undefined) ?? defaultStateDir(o.inventory as string | undefined, process.cwd());
  state
    .command('show')
    .option('-i, --inventory <file>', 'inventory whose .play/ store to read')
    .option('--state-dir <dir>', 'state store directory')
    .option('--host <name>', 'only this host')
    .option('--json', 'print JSON')
    .option('--state <backend>', "'local' or postgres://user@host:port/db (default: env PLAY_STATE_URL)")
    .action(async (o: Record<string, unknown>) => {
      if (locationOf(o).kind === 'postgres') return (process.stdout.write(await showCommand(o)), done(EXIT.ok));
      const snap = readSnapshot(dirOf(o));
      const rows = showRows(snap, o.host as string | undefined);
      process.stdout.write(o.json ? JSON.stringify(rows, null, 2) + '\n' : formatRows(rows));
      done(EXIT.ok);
    });
  state
    .command('forget')
    .option('-i, --inventory <file>', 'inventory whose .play/ store to change')
    .option('--state-dir <dir>', 'state store directory')
    .option('--host <name>', 'only this host')
    .option('--role <name>', 'only tasks of this role')
    .option('--task <id>', 'only this task id')
    .option('--state <backend>', "'local' or postgres://user@host:port/db (default: env PLAY_STATE_URL)")
    .action(async (o: Record<string, unknown>) => {
      if (locationOf(o).kind === 'postgres') return (process.stdout.write(await forgetCommand(o)), done(EXIT.ok));
      const store = await StateStore.open(dirOf(o));
      const n = store.forget({ host: o.host as string | undefined, role: o.role as string | undefined, taskId: o.task as string | undefined });
      store.close();
      process.stdout.write(`forgot ${n} record(s)\n`);
      done(EXIT.ok);
    });
  registerSharedStateCommands(state, done);
}

function formatRows(rows: StateRow[]): string {
  if (!rows.length) return 'no recorded work\n';
  return rows.map((r) => [
    `${r.host} (identity ${r.identity.slice(0, 12)}): ${r.tasks.length} task(s) done${r.pendingHandlers.length ? `, handlers pending: ${r.pendingHandlers.join(', ')}` : ''}`,
    ...r.tasks.map((t) => `  ${t.id}  ${t.at}`),
  ].join('\n')).join('\n') + '\n';
}
