// `play state show|forget|runs|push|pull` over either backend. Small functions of parsed options, so the
// command registration can live anywhere (runner/commands/state.ts).
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { defaultStateDir } from './location.js';
import { UsageError } from '../errors.js';
import { resolveStateLocation, type HostRow, type StateLocation } from './backend.js';
import { openBackend } from './open-backend.js';
import type { PgBackend } from './postgres/backend.js';

export interface StateCliOptions {
  state?: string;
  stateDir?: string;
  inventory?: string;
  host?: string;
  json?: boolean;
}

export function locationOf(o: StateCliOptions, env: NodeJS.ProcessEnv = process.env): StateLocation {
  return resolveStateLocation(o.state, env, o.stateDir ?? defaultStateDir(o.inventory, process.cwd()));
}

export async function showCommand(o: StateCliOptions): Promise<string> {
  const backend = await openBackend(locationOf(o), { waitMs: 0 });
  try {
    const rows = await backend.show(o.host);
    return o.json ? JSON.stringify(rows, null, 2) + '\n' : formatHostRows(rows);
  } finally {
    await backend.close();
  }
}

export async function forgetCommand(o: StateCliOptions & { role?: string; task?: string }): Promise<string> {
  const backend = await openBackend(locationOf(o), { waitMs: 0 });
  try {
    return `forgot ${await backend.forget({ host: o.host, role: o.role, taskId: o.task })} record(s)\n`;
  } finally {
    await backend.close();
  }
}

export async function runsCommand(o: StateCliOptions & { last?: number }): Promise<string> {
  const pg = await sharedBackend(o, 'runs');
  try {
    const rows = await pg.runs(o.last ?? 20);
    return o.json ? JSON.stringify(rows, null, 2) + '\n' : formatRuns(rows);
  } finally {
    await pg.close();
  }
}

/** The local store (--state-dir / -i) into the shared one (--state / PLAY_STATE_URL). */
export async function pushCommand(o: StateCliOptions): Promise<string> {
  const { pushLocal } = await import('./postgres/transfer.js');
  const dir = o.stateDir ?? defaultStateDir(o.inventory, process.cwd());
  const pg = await sharedBackend(o, 'push');
  try {
    const n = await pushLocal(dir, pg);
    return `pushed ${n.records} record(s) and ${n.pending} pending handler(s) from ${dir} to ${pg.where}\n`;
  } finally {
    await pg.close();
  }
}

/** The shared store into the local one. */
export async function pullCommand(o: StateCliOptions): Promise<string> {
  const { pullToLocal } = await import('./postgres/transfer.js');
  const dir = o.stateDir ?? defaultStateDir(o.inventory, process.cwd());
  const pg = await sharedBackend(o, 'pull');
  try {
    const n = await pullToLocal(pg, dir);
    return `pulled ${n.records} record(s) and ${n.pending} pending handler(s) from ${pg.where} into ${dir}\n`;
  } finally {
    await pg.close();
  }
}

async function sharedBackend(o: StateCliOptions, what: string): Promise<PgBackend> {
  const loc = resolveStateLocation(o.state, process.env, '');
  if (loc.kind !== 'postgres') throw new UsageError(`play state ${what} needs a shared store: --state postgres://... or env PLAY_STATE_URL`);
  const { PgBackend } = await import('./postgres/backend.js');
  return PgBackend.open(loc.url, { waitMs: 0 });
}

export function formatHostRows(rows: HostRow[]): string {
  if (!rows.length) return 'no recorded work\n';
  return rows.map((r) => [
    `${r.host} (identity ${r.identity.slice(0, 12)}): ${r.tasks.length} task(s) done${r.pendingHandlers.length ? `, handlers pending: ${r.pendingHandlers.join(', ')}` : ''}`,
    ...r.tasks.map((t) => `  ${t.id}  ${t.at}${t.run ? `  run #${t.run.id} by ${t.run.who}@${t.run.from} (${t.run.playbook})` : ''}`),
  ].join('\n')).join('\n') + '\n';
}

function formatRuns(rows: Array<Record<string, unknown>>): string {
  if (!rows.length) return 'no runs recorded\n';
  return rows.map((r) => {
    const recap = (r.recap ?? {}) as Record<string, { ok: number; changed: number; failed: number; unreachable: number; doneBefore: number }>;
    const hosts = Object.entries(recap).map(([h, t]) => `    ${h}: ok=${t.ok} changed=${t.changed} failed=${t.failed} unreachable=${t.unreachable} done-before=${t.doneBefore}`);
    const sel = [r.tags && `tags ${(r.tags as string[]).join(',')}`, r.skip_tags && `skip-tags ${(r.skip_tags as string[]).join(',')}`,
      r.limit_pattern && `limit ${String(r.limit_pattern)}`, r.shard && `shard ${String(r.shard)}`, r.check_mode && 'check'].filter(Boolean).join(', ');
    const end = r.ended_at ? `exit ${String(r.exit_code)}` : 'did not finish';
    return [`#${String(r.id)} ${iso(r.started_at)} ${String(r.who)}@${String(r.from_host)} ${String(r.playbook)}${sel ? ` (${sel})` : ''}: ${end}`, ...hosts].join('\n');
  }).join('\n') + '\n';
}

function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}

const STATE_OPT = ['--state <backend>', "'local' or postgres://user@host:port/db (default: env PLAY_STATE_URL)"] as const;

/** `state runs|push|pull`; `show` and `forget` gain --state (see runner/commands/state.ts). */
export function registerSharedStateCommands(state: Command, done: (code: number) => never): void {
  const out = (fn: (o: Record<string, unknown>) => Promise<string>) => async (o: Record<string, unknown>) => {
    process.stdout.write(await fn(o));
    done(EXIT.ok);
  };
  state.command('runs').description('the run history of a shared store: who ran what, from where, when, and its recap')
    .option(...STATE_OPT).option('--last <n>', 'this many runs, newest first', (v) => Number(v), 20).option('--json', 'print JSON')
    .action(out((o) => runsCommand(o as StateCliOptions & { last?: number })));
  state.command('push').description('copy the local store (.play/) into the shared store; the newer record wins')
    .option(...STATE_OPT).option('-i, --inventory <file>', 'inventory whose .play/ store to copy').option('--state-dir <dir>', 'local state store directory')
    .action(out((o) => pushCommand(o as StateCliOptions)));
  state.command('pull').description('copy the shared store into the local store (.play/); the newer record wins')
    .option(...STATE_OPT).option('-i, --inventory <file>', 'inventory whose .play/ store to fill').option('--state-dir <dir>', 'local state store directory')
    .action(out((o) => pullCommand(o as StateCliOptions)));
}
