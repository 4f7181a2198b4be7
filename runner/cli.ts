// argv -> options; the only process.exit; error kind -> exit code. bin.ts and the start-up snapshot call main.
import { Command, Option } from 'commander';
import { LoadError, StateError, UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { takeDeferredCaCerts } from './tls-trust.js';
import { PLAY_VERSION } from './version.js';
import { askConnectionSecrets } from './connection/prompt.js';
import type { ConnectionDefaults } from './types.js';
import { listHosts, listTasks } from './report/listing.js';
import { jsonReporter } from './report/json.js';
import { plainReporter } from './report/plain.js';
import { redacting } from './report/redacting.js';
import { escapeControls } from './report/sanitize.js';
import { execute, loadPlan, type PlanOptions } from './run.js';
import { defaultStateDir } from './state/location.js';
import { registerStateCommands } from './state/cli.js';
import { resolveStateLocation } from './state/backend.js';
import { parseShard } from './inventory/shard.js';
import { registerVaultCommands } from './secrets/vault-cli.js';

const collect = (v: string, prev: string[]) => [...prev, v];
const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function planOptions(playbook: string, o: Record<string, unknown>): PlanOptions {
  return {
    playbook, inventory: o.inventory as string | undefined, extraVars: (o.extraVars as string[]) ?? [],
    limit: o.limit as string | undefined, tags: o.tags as string[] | undefined, skipTags: o.skipTags as string[] | undefined,
    role: o.role as string | undefined, rolesPath: o.rolesPath as string[] | undefined,
    vaultPasswordFile: o.vaultPasswordFile as string | undefined,
    shard: o.shard === undefined ? undefined : parseShard(o.shard as string),
  };
}

const program = new Command('play')
  .description('Run declarative playbooks over SSH; reruns skip what already completed.')
  .showHelpAfterError()
  .exitOverride();

program
  .command('run', { isDefault: true })
  .argument('<playbook>', 'playbook YAML file')
  .description('run a playbook (the default command)')
  .option('-i, --inventory <file>', 'Ansible YAML inventory')
  .option('-e, --extra-vars <var>', 'key=value, JSON, or @file.yml (repeatable)', collect, [])
  .option('-l, --limit <pattern>', 'only these hosts (names, groups, globs, !exclusions)')
  .option('-t, --tags <tags>', 'only tasks with these tags', list)
  .option('--skip-tags <tags>', 'skip tasks with these tags', list)
  .option('--role <name>', "only this role's tasks")
  .option('-C, --check', 'change nothing; report what would change', false)
  .option('-D, --diff', 'show unified diffs of file contents', false)
  .option('-f, --forks <n>', 'hosts in parallel', (v) => positiveInt(v, '--forks'), 50)
  .option('-v, --verbose', 'stream command output', false)
  .option('--json', 'newline-delimited JSON events on stdout', false)
  .option('--force', 'ignore the state records and rewrite them', false)
  .option('--verify', 'probe recorded tasks anyway; report and repair drift', false)
  .option('--list-tasks', 'print the tasks each play would run, then exit', false)
  .option('--list-hosts', 'print the hosts each play would target, then exit', false)
  .addOption(new Option('--ssh-host-key-check <mode>', 'known_hosts policy (default: ssh_config StrictHostKeyChecking, else strict)').choices(['strict', 'accept-new', 'off']))
  .option('-u, --user <name>', 'connect as this user (a host\'s ansible_user wins)')
  .option('--private-key <file>', 'use this private key file (a host\'s ansible_ssh_private_key_file wins)')
  .option('-k, --ask-pass', 'ask once for the SSH password', false)
  .addOption(new Option('-c, --connection <type>', 'connection type').choices(['ssh', 'local', 'smart', 'paramiko']))
  .option('-T, --timeout-connect <seconds>', 'SSH connect timeout', (v) => positiveInt(v, '-T'))
  .option('--ssh-common-args <args>', 'ssh options for every host (the subset in docs/ssh.md)')
  .option('-b, --become', 'run tasks with become (sudo) unless a play or task says otherwise', false)
  .option('--become-user <name>', 'become this user (default root)')
  .option('-K, --ask-become-pass', 'ask once for the become (sudo) password', false)
  .option('--known-hosts <file>', 'known_hosts file (repeatable)', collect, [])
  .option('--state-dir <dir>', 'state store directory (default: .play/ next to the inventory)')
  .option('--state <backend>', "state store: 'local' (default) or postgres://user@host:port/db (default: env PLAY_STATE_URL)")
  .option('--no-state', 'do not read or write the state store')
  .option('--shard <I/N>', 'only the I-th of N slices of the selected hosts (stable, by host name)')
  .option('--state-wait <seconds>', 'wait this long for another run holding the store', (v) => positiveInt(v, '--state-wait'), 0)
  .option('--timeout <seconds>', 'default limit for any one command', (v) => positiveInt(v, '--timeout'), 3600)
  .option('--roles-path <dir>', 'extra directory to search for roles (repeatable)', collect, [])
  .option('--vault-password-file <file>', 'opens vault-encrypted YAML (default: env PLAY_VAULT_PASSWORD_FILE)')
  .action(async (playbook: string, o: Record<string, unknown>) => {
    const connection = connectionDefaults(o);
    const loaded = await loadPlan({ ...planOptions(playbook, o), connection });
    if (o.listHosts || o.listTasks) {
      process.stdout.write((o.listHosts ? listHosts(loaded.plan) : listTasks(loaded.plan)).join('\n') + '\n');
      return done(EXIT.ok);
    }
    // -k / -K: asked once, before any host is contacted, and registered as secrets at once
    const secrets = await askConnectionSecrets(connection, loaded.redactor).catch((e: Error) => {
      throw new UsageError(e.message);
    });
    const sink = o.json
      ? jsonReporter((s) => process.stdout.write(s))
      // a pseudo-terminal that reports no width (script(1), some CI runners) gets plain lines: the live
      // view would wrap at every character
      : process.stdout.isTTY && process.stdout.columns > 0
        ? (await import('./report/listr.js')).listrReporter({ diff: Boolean(o.diff), verbose: Boolean(o.verbose) })
        : plainReporter((s) => process.stdout.write(s), { verbose: Boolean(o.verbose), diff: Boolean(o.diff) });
    const reporter = redacting(sink, loaded.redactor);
    for (const msg of loaded.warnings) reporter.emit({ kind: 'warning', msg });
    const stateDir = o.state === false ? null : ((o.stateDir as string | undefined) ?? defaultStateDir(o.inventory as string | undefined, process.cwd()));
    const stateLoc = stateDir === null ? null : resolveStateLocation(o.state as string | undefined, process.env, stateDir);
    const summary = await execute(loaded, {
      check: Boolean(o.check), diff: Boolean(o.diff), forks: o.forks as number, verbose: Boolean(o.verbose),
      force: Boolean(o.force), verify: Boolean(o.verify), timeoutSec: o.timeout as number,
      hostKeyCheck: o.sshHostKeyCheck as 'strict' | undefined, connection, secrets, knownHostsFiles: (o.knownHosts as string[]).length ? (o.knownHosts as string[]) : undefined,
      stateDir, stateUrl: stateLoc?.kind === 'postgres' ? stateLoc.url : undefined, stateWaitSec: o.stateWait as number,
    }, reporter, (stop) => onSigint(stop)).finally(() => reporter.close()); // the recap shows even on an internal error
    return done(summary.exitCode);
  });

program
  .command('validate')
  .argument('<playbook>', 'playbook YAML file')
  .description('load and validate the playbook, its roles and the inventory; contact no host')
  .option('-i, --inventory <file>', 'Ansible YAML inventory')
  .option('-e, --extra-vars <var>', 'key=value, JSON, or @file.yml (repeatable)', collect, [])
  .option('--roles-path <dir>', 'extra directory to search for roles (repeatable)', collect, [])
  .option('--vault-password-file <file>', 'opens vault-encrypted YAML (default: env PLAY_VAULT_PASSWORD_FILE)')
  .action(async (playbook: string, o: Record<string, unknown>) => {
    const { plan, warnings } = await loadPlan(planOptions(playbook, o));
    for (const w of warnings) process.stderr.write(`[WARNING] ${w}\n`);
    const tasks = plan.plays.reduce((n, p) => n + countTasks(p.tasks), 0);
    process.stdout.write(`${plan.playbook}: valid (${plan.plays.length} plays, ${tasks} tasks)\n`);
    return done(EXIT.ok);
  });

registerStateCommands(program, done);
registerVaultCommands(program, done);

function countTasks(items: readonly { kind: string; block?: unknown[]; rescue?: unknown[]; always?: unknown[] }[]): number {
  return items.reduce((n, i) => n + (i.kind === 'block' ? countTasks([...(i.block as []), ...(i.rescue as []), ...(i.always as [])]) : 1), 0);
}

/** The connection flags as ConnectionDefaults (runner/types.ts): a host's ansible_* vars win over them. */
function connectionDefaults(o: Record<string, unknown>): ConnectionDefaults {
  const d: ConnectionDefaults = {};
  if (o.user) d.user = String(o.user);
  if (o.privateKey) d.privateKeyFile = String(o.privateKey);
  if (o.sshCommonArgs) d.sshCommonArgs = String(o.sshCommonArgs);
  if (o.connection) d.connection = o.connection === 'local' ? 'local' : 'ssh';
  if (o.timeoutConnect !== undefined) d.timeoutSec = o.timeoutConnect as number;
  if (o.askPass) d.askPass = true;
  if (o.become) d.become = true;
  if (o.becomeUser) d.becomeUser = String(o.becomeUser);
  if (o.askBecomePass) d.askBecomePass = true;
  return d;
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} expects a whole number, got '${v}'`);
  return n;
}

let interrupts = 0;
function onSigint(stop: () => void): void {
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write('\nInterrupted: finishing the tasks in flight and saving the state (Ctrl-C again to quit at once)\n');
    stop();
  });
}

function done(code: number): never {
  process.exit(code);
}

/** How the process started: from the start-up snapshot (bin/play, when the build made one) or from source or the bundle. */
export type StartedFrom = 'snapshot' | 'module';

/**
 * Runs the CLI on argv (node, script, ...args). Errors end the process with their exit code.
 * Called by runner/bin.ts, and by the snapshot's start (scripts/snapshot-entry.mjs).
 */
export async function main(argv: string[], startedFrom: StartedFrom): Promise<void> {
  takeDeferredCaCerts();
  // set here, not when the module loads: the snapshot loads it at build time
  const version = `play ${PLAY_VERSION} (Node ${process.version}${startedFrom === 'snapshot' ? ', start-up snapshot' : ''})`;
  program.version(version, '-V, --version', 'print the versions of play and Node, and how play started');
  try {
    await program.parseAsync(argv);
  } catch (err) {
    fail(err);
  }
}

function fail(err: unknown): never {
  const e = err as Error & { code?: string; exitCode?: number };
  if (err instanceof LoadError) {
    process.stderr.write(`${escapeControls(err.message)}\n${err.diagnostics.length} problem(s) found; nothing was run.\n`);
    done(EXIT.invalidInput);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`play: ${err.message}\n`);
    done(EXIT.usage);
  }
  if (err instanceof StateError) {
    process.stderr.write(`play: ${err.message}\n`);
    done(EXIT.stateBusy);
  }
  if (e.code?.startsWith('commander.')) done(e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.ok : EXIT.usage);
  process.stderr.write(`play: internal error: ${e.stack ?? e.message}\n`);
  return done(EXIT.internal);
}
