// `play [run] PLAYBOOK...` and `play validate PLAYBOOK...`: Ansible's ansible-playbook flags, with
// Ansible's meanings, over the config settings. Every playbook is loaded and validated before any runs.
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { loadSettings } from '../config/files.js';
import { listHosts, listTasks } from '../report/listing.js';
import { jsonReporter } from '../report/json.js';
import { plainReporter } from '../report/plain.js';
import { fanOut, redacting } from '../report/redacting.js';
import { askConnectionSecrets, promptSecret } from '../connection/prompt.js';
import type { VarsPrompt } from '../types.js';
import { readVaultPassword } from '../secrets/vault.js';
import { resolveStateLocation } from '../state/backend.js';
import { parseShard } from '../inventory/shard.js';
import { execute, loadPlan, type Loaded, type PlanOptions } from '../run.js';
import { defaultStateDir } from '../state/location.js';
import type { PlanTask } from '../types.js';
import { loadOptions, runOptions, type LoadOptions, type RunOptions, type VaultId } from './options.js';
import { askHidden, askLine } from './prompt.js';
import { listTags, startAtTask } from './run-control.js';
import { detailReporter } from './verbosity.js';

type Done = (code: number) => never;
const collect = (v: string, prev: string[] = []) => [...prev, v];
const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
const count = (_: unknown, prev: number) => prev + 1;

export function wholeNumber(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n)) throw new UsageError(`${flag} expects a whole number, got '${v}'`);
    return n;
  };
}

/** Options shared by run and validate: what is needed to load a playbook. */
function loadFlags(c: Command): Command {
  return c
    .option('-i, --inventory <source>', 'inventory: YAML or INI file, directory, executable script, or host1,host2, list (repeatable)', collect)
    .option('-e, --extra-vars <var>', 'key=value, JSON, or @file.yml (repeatable)', collect, [])
    .option('--roles-path <dir>', 'extra directory to search for roles (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'vault password file, or an executable printing it (repeatable)', collect)
    .option('--vault-id <id>', 'vault identity label@file or label@prompt (repeatable)', collect)
    .option('-J, --ask-vault-pass', 'prompt for the vault password', false);
}

export function registerRunCommands(program: Command, done: Done): void {
  const run = program.command('run', { isDefault: true }).argument('<playbooks...>', 'playbook YAML files, run in order').description('run playbooks (the default command)');
  runFlags(run)
    .action(async (playbooks: string[], raw: Record<string, unknown>) => done(await runAction(runOptions(playbooks, raw, loadSettings().settings))));

  loadFlags(program.command('validate').argument('<playbooks...>', 'playbook YAML files'))
    .description('load and validate the playbooks, their roles and the inventory; contact no host')
    .action(async (playbooks: string[], raw: Record<string, unknown>) => {
      const o = loadOptions(playbooks, raw, loadSettings().settings);
      for (const { plan, warnings } of await loadAll(o, await vaultPasswords(o.vaultIds))) {
        for (const w of warnings) process.stderr.write(`[WARNING] ${w}\n`);
        const tasks = plan.plays.reduce((n, p) => n + countTasks(p.tasks), 0);
        process.stdout.write(`${plan.playbook}: valid (${plan.plays.length} plays, ${tasks} tasks)\n`);
      }
      return done(EXIT.ok);
    });
}

/** Every flag of `play run` (ansible-playbook's and play's own); commander's raw values feed runOptions(). */
export function runFlags(run: Command): Command {
  return loadFlags(run)
    .option('-l, --limit <pattern>', 'only these hosts (names, groups, globs, !exclusions)')
    .option('-t, --tags <tags>', 'only tasks with these tags', list)
    .option('--skip-tags <tags>', 'skip tasks with these tags', list)
    .option('--role <name>', "only this role's tasks")
    .option('-C, --check', 'change nothing; report what would change', false)
    .option('-D, --diff', 'show unified diffs of file contents', false)
    .option('-f, --forks <n>', 'hosts in parallel (default 50)', wholeNumber('--forks'))
    .option('-v, --verbose', '-v command output, -vv task sources and timings, -vvv connections and commands, -vvvv SSH debug', count, 0)
    .option('--json', 'newline-delimited JSON events on stdout', false)
    .option('--force', 'ignore the state records and rewrite them', false)
    .option('--verify', 'probe recorded tasks anyway; report and repair drift', false)
    .option('--detailed-exitcode', `with --check: exit 7 when nothing would fail but changes are pending (docs/check-mode.md)`, false)
    .option('--list-tasks', 'print the tasks each play would run, then exit', false)
    .option('--list-hosts', 'print the hosts each play would target, then exit', false)
    .option('--list-tags', 'print the tags of each play, then exit', false)
    .option('--syntax-check', 'load and validate the playbooks, then exit', false)
    .option('--start-at-task <name>', 'start at the first task with this name (or fnmatch pattern)')
    .option('--step', 'confirm each task before it runs', false)
    .option('--force-handlers', 'run notified handlers even on hosts that failed', false)
    .option('-u, --user <user>', 'connect as this user (a host\'s ansible_user wins)')
    .option('--private-key <file>', 'SSH private key file')
    .addOption(new Option('--key-file <file>', 'the same as --private-key').hideHelp())
    .option('-k, --ask-pass', 'prompt for the SSH password', false)
    .option('-c, --connection <type>', 'connection type: ssh or local')
    .option('-T, --timeout <seconds>', 'SSH connection timeout', wholeNumber('--timeout'))
    .option('--ssh-common-args <args>', 'ssh options for every host (the subset play implements)')
    .option('-b, --become', 'run tasks with become (sudo)', false)
    .option('--become-user <user>', 'user to become (default root)')
    .option('-K, --ask-become-pass', 'prompt for the become (sudo) password', false)
    .addOption(new Option('--ssh-host-key-check <mode>', 'known_hosts policy (default strict)').choices(['strict', 'accept-new', 'off']))
    .option('--known-hosts <file>', 'known_hosts file (repeatable)', collect, [])
    .option('--state-dir <dir>', 'state store directory (default: .play/ next to the inventory)')
    .option('--state <backend>', "state store: 'local' (default) or postgres://user@host:port/db (default: env PLAY_STATE_URL)")
    .option('--no-state', 'do not read or write the state store')
    .option('--shard <I/N>', 'only the I-th of N slices of the selected hosts (stable, by host name)')
    .option('--state-wait <seconds>', 'wait this long for another run holding the store', wholeNumber('--state-wait'))
    .option('--task-timeout <seconds>', 'default limit for any one command (default 3600; per task: timeout:)', wholeNumber('--task-timeout'));
}

/** Every playbook is loaded before the first runs: one bad file means nothing runs. */
async function loadAll(o: LoadOptions, passwords: string[]): Promise<Loaded[]> {
  const out: Loaded[] = [];
  for (const playbook of o.playbooks) out.push(await loadPlan(planOptions(playbook, o, passwords)));
  return out;
}

function planOptions(playbook: string, o: LoadOptions & Partial<RunOptions>, passwords: string[]): PlanOptions {
  return {
    playbook, inventory: o.inventory, extraVars: o.extraVars, limit: o.limit, tags: o.tags, skipTags: o.skipTags,
    role: o.role, rolesPath: o.rolesPath, vaultPasswords: passwords, connection: o.connection,
    shard: o.shard === undefined ? undefined : parseShard(o.shard),
  };
}

/** --vault-id / --vault-password-file / --ask-vault-pass, read once, in order. */
export async function vaultPasswords(ids: VaultId[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    if (id.source.kind === 'prompt') out.push(askHidden(id.label === 'default' ? 'Vault password: ' : `Vault password (${id.label}): `, '--ask-vault-pass'));
    else {
      try {
        out.push(readVaultPassword(resolve(id.source.path)));
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new UsageError(e.code ? `vault password file ${id.source.path} cannot be read: ${e.code}` : e.message);
      }
    }
  }
  return out;
}

async function runAction(o: RunOptions): Promise<number> {
  let loaded = await loadAll(o, await vaultPasswords(o.vaultIds));
  if (o.syntaxCheck) {
    for (const l of loaded) process.stdout.write(`\nplaybook: ${l.plan.playbook}\n`);
    return EXIT.ok;
  }
  if (o.list) {
    const lines = loaded.flatMap((l) => (o.list === 'hosts' ? listHosts(l.plan) : o.list === 'tasks' ? listTasks(l.plan) : listTags(l.plan)));
    process.stdout.write(lines.join('\n') + '\n');
    return EXIT.ok;
  }
  if (o.startAtTask) loaded = startAt(loaded, o.startAtTask);
  // -k / -K: asked once, before any host is contacted, and registered as secrets at once
  const secrets = await askConnectionSecrets(o.connection, loaded[0]!.redactor).catch((e: Error) => {
    throw new UsageError(e.message);
  });
  for (const l of loaded.slice(1)) [secrets.password, secrets.becomePassword].forEach((p) => l.redactor.add(p));
  const stateDir = o.stateDir === null ? null : (o.stateDir ?? defaultStateDir(o.inventory, process.cwd()));
  const stateLoc = stateDir === null ? null : resolveStateLocation(o.stateBackend, process.env, stateDir);
  const trace = o.verbosity >= 3 ? { level: o.verbosity, write: (l: string) => process.stderr.write(`${l}\n`) } : undefined;
  const confirmTask = o.step ? stepper() : undefined;
  // vars_prompt reads the terminal, as Ansible reads stdin: without one, a prompt needs -e or a default
  const askVar = process.stdin.isTTY ? (p: VarsPrompt, q: string) => promptSecret(q, { echo: !p.private }) : undefined;
  let code: number = EXIT.ok;
  for (const l of loaded) {
    const sink = o.json
      ? jsonReporter((s) => process.stdout.write(s), () => new Promise((done) => process.stdout.write('', () => done())))
      // a pseudo-terminal that reports no width (script(1), some CI runners) gets plain lines: the live
      // view would wrap at every character; so does -vv and up, whose lines on stderr would break it
      : process.stdout.isTTY && process.stdout.columns > 0 && o.verbosity < 2
        ? (await import('../report/listr.js')).listrReporter({ diff: o.diff, verbose: o.verbosity >= 1 })
        : plainReporter((s) => process.stdout.write(s), { verbose: o.verbosity >= 1, diff: o.diff });
    const detail = o.verbosity >= 2 ? [detailReporter((line) => process.stderr.write(`${line}\n`))] : [];
    const reporter = redacting(fanOut(sink, ...detail), l.redactor);
    for (const msg of l.warnings) reporter.emit({ kind: 'warning', msg });
    const summary = await execute(l, {
      check: o.check, diff: o.diff, forks: o.forks, verbose: o.verbosity >= 1, force: o.force, verify: o.verify, detailedExitcode: o.detailedExitcode,
      timeoutSec: o.taskTimeoutSec, hostKeyCheck: o.hostKeyCheck, secrets,
      knownHostsFiles: o.knownHostsFiles.length ? o.knownHostsFiles : undefined,
      stateDir, stateUrl: stateLoc?.kind === 'postgres' ? stateLoc.url : undefined, stateWaitSec: o.stateWaitSec, connection: o.connection, forceHandlers: o.forceHandlers, confirmTask, askVar, trace,
    }, reporter, (stop) => onSigint(stop)).finally(() => reporter.close()); // the recap shows even on an internal error
    code = summary.exitCode;
    // a failed playbook ends the run: the next ones may depend on it
    if ((code !== EXIT.ok && code !== EXIT.changesPending) || summary.interrupted) break;
  }
  return code;
}

/** --start-at-task across several playbooks: the earlier ones keep their plays but no tasks. */
function startAt(loaded: Loaded[], pattern: string): Loaded[] {
  let found = false;
  const out = loaded.map((l) => {
    if (found) return l;
    const r = startAtTask(l.plan, pattern);
    if (r.ok) {
      found = true;
      return { ...l, plan: r.plan };
    }
    return { ...l, plan: { ...l.plan, plays: l.plan.plays.map((p) => ({ ...p, tasks: [] })) } };
  });
  if (!found) throw new UsageError(`--start-at-task: no task matches '${pattern}'`);
  return out;
}

/** ansible-playbook's --step: (N)o skips the task, (y)es runs it, (c)ontinue runs the rest without asking. */
function stepper(): (task: PlanTask) => Promise<boolean> {
  let asking = true;
  return async (task) => {
    if (!asking) return true;
    for (;;) {
      const a = askLine(`Perform task: TASK: ${task.role ? `${task.role} : ` : ''}${task.name} (N)o/(y)es/(c)ontinue: `, '--step').trim().toLowerCase();
      if (a === 'y' || a === 'yes') return true;
      if (a === 'c' || a === 'continue') {
        asking = false;
        return true;
      }
      if (a === '' || a === 'n' || a === 'no') return false;
    }
  };
}

function countTasks(items: readonly { kind: string; block?: unknown[]; rescue?: unknown[]; always?: unknown[] }[]): number {
  return items.reduce((n, i) => n + (i.kind === 'block' ? countTasks([...(i.block as []), ...(i.rescue as []), ...(i.always as [])]) : 1), 0);
}

let interrupts = 0;
let sigintInstalled = false;
function onSigint(stop: () => void): void {
  current = stop;
  if (sigintInstalled) return;
  sigintInstalled = true;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write('\nInterrupted: finishing the tasks in flight and saving the state (Ctrl-C again to quit at once)\n');
    current?.();
  });
}
let current: (() => void) | undefined;
