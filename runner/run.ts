// Composition root: load -> compile -> execute -> report. Nothing here decides; it wires.
import { hostname, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { compilePlan } from './compile/compile.js';
import { openLocal } from './connection/local.js';
import { openSsh, type HostKeyCheck } from './connection/ssh.js';
import { lookUp, readSshConfig, type SshConfigFiles } from './connection/ssh-config.js';
import type { Connection } from './connection/types.js';
import { EXIT } from './exit-codes.js';
import { LoadError, StateError, UsageError } from './errors.js';
import type { ExecuteOptions } from './execute/context.js';
import { executePlan, type RunSummary } from './execute/run.js';
import { unanswerablePrompts, type AskVar } from './execute/prompts.js';
import { buildInventory } from './inventory/build.js';
import { parseCommonArgs } from './connection/common-args.js';
import { connectionProblems } from './inventory/connection-spec.js';
import { connectionSpec, selectHosts } from './inventory/select.js';
import { loadExtraVars } from './load/extra-vars.js';
import { loadAdjacentVars, loadInventorySources, sourceDirs } from './load/inventory.js';
import { traced } from './connection/trace.js';
import { loadProjectPartly, sortDiagnostics } from './load/project.js';
import { registerAllModules } from './modules/all.js';
import { getModule, moduleNames } from './modules/registry.js';
import { conditionGuards, conditionRoots, parseCondition } from './render/condition.js';
import { renderString, templateFileRoots, templateRoots } from './render/template.js';
import type { Reporter } from './events.js';
import { secretHint, secretsFromEnv } from './secrets/env.js';
import { siteVarsFromEnv } from './modules/datadog/site.js';
import { Redactor } from './secrets/redact.js';
import { readVaultPassword, type VaultContext } from './secrets/vault.js';
import { formatShard, inShard, type Shard } from './inventory/shard.js';
import type { RunInfo, StateLocation } from './state/backend.js';
import { openBackend } from './state/open-backend.js';
import type { ConnectionDefaults, ConnectionSecrets, ConnectionSpec, Diagnostic, Inventory, InventoryHost, Plan, PlanTask, RawInventory, Vars } from './types.js';

export interface PlanOptions {
  playbook: string;
  /** Inventory sources (-i, repeatable), merged in order. */
  inventory?: readonly string[];
  extraVars: string[];
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  role?: string;
  rolesPath?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Vault password file (else env PLAY_VAULT_PASSWORD_FILE); opens vault-encrypted YAML. */
  vaultPasswordFile?: string;
  /** Passwords the CLI already has (--vault-id, --ask-vault-pass), tried in order; over vaultPasswordFile. */
  vaultPasswords?: string[];
  /** The CLI's connection defaults (-u, --private-key, -c, -T, --ssh-common-args, -k, -b, --become-user, -K). */
  connection?: ConnectionDefaults;
  /** --shard I/N: only this slice of the selected hosts (inventory/shard.ts). */
  shard?: Shard;
}

/** The executor's options, plus what the composition root opens: transports and the state store. */
export interface ExecOptions extends Omit<ExecuteOptions, 'defaultTimeoutSec'> {
  /** --task-timeout: the default limit for any one command. */
  timeoutSec: number;
  /** --ssh-host-key-check when given; else ssh_config's StrictHostKeyChecking, else strict. */
  hostKeyCheck?: HostKeyCheck;
  /** --step: asked before each task. */
  confirmTask?: (task: PlanTask) => Promise<boolean>;
  /** vars_prompt: asks on the terminal; absent without one (a prompt with no default and no -e is then an error). */
  askVar?: AskVar;
  /** -vvv and up: a line per connection and command (already masked); -vvvv adds the SSH library's debug. */
  trace?: { level: number; write: (line: string) => void };
  knownHostsFiles?: string[];
  /** -u, --private-key, -c, -T, --ssh-common-args... (a host's ansible_* vars win). */
  connection?: ConnectionDefaults;
  /** The answers to -k / -K (askConnectionSecrets). */
  secrets?: ConnectionSecrets;
  /** null disables the state store. */
  stateDir: string | null;
  /** A shared store (postgres://...) instead of stateDir; see state/backend.ts resolveStateLocation. */
  stateUrl?: string;
  stateWaitSec: number;
}

export interface Loaded {
  plan: Plan;
  redactor: Redactor;
  /** Load-time warnings (secret-named -e values given in clear), for the reporter. */
  warnings: string[];
  /** What the run was asked for, for the run history of a shared store. */
  asked?: { tags?: string[]; skipTags?: string[] };
}

/** Loads and validates everything; throws one LoadError carrying every problem. No host is contacted. */
export async function loadPlan(o: PlanOptions): Promise<Loaded> {
  registerAllModules();
  const cwd = o.cwd ?? process.cwd();
  const redactor = new Redactor();
  const diagnostics: Diagnostic[] = [];
  const collect = async <T>(fn: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LoadError) diagnostics.push(...err.diagnostics);
      else throw err;
      return undefined;
    }
  };
  const env = o.env ?? process.env;
  const secrets = secretsFromEnv(env, redactor);
  const vault = o.vaultPasswords?.length
    ? passwordsContext(o.vaultPasswords, redactor)
    : vaultContext(o.vaultPasswordFile ?? env.PLAY_VAULT_PASSWORD_FILE, cwd, redactor);
  const warnings: string[] = [];
  const extra = (await collect(() => loadExtraVars(o.extraVars, cwd, vault, (w) => warnings.push(w)))) ?? {};
  const sources = o.inventory ?? [];
  const raws = sources.length ? await collect(() => loadInventorySources(sources, cwd, vault)) : [emptyInventory(cwd)];
  // group_vars/ and host_vars/ next to the playbook, unless that is an inventory source's directory already
  const playbookDir = dirname(resolve(cwd, o.playbook));
  const adjacent = sourceDirs(sources, cwd).includes(playbookDir) ? undefined : await collect(() => loadAdjacentVars(playbookDir, cwd, vault));
  // what loads is compiled even when something did not: every problem comes out in one pass
  const partly = await collect(() => loadProjectPartly(o.playbook, { modules: { getModule, moduleNames }, rolesPath: o.rolesPath, cwd, vault }));
  if (partly) diagnostics.push(...partly.diagnostics);
  const project = partly?.project;
  let inventory: Inventory | undefined;
  if (raws) {
    const built = buildInventory(raws, adjacent);
    if (built.ok) inventory = withImplicitLocalhost(built.inventory);
    else diagnostics.push(...built.diagnostics);
  }
  if (o.connection?.sshCommonArgs !== undefined) {
    const r = parseCommonArgs(o.connection.sshCommonArgs);
    if (!r.ok) throw new UsageError(`--ssh-common-args: ${r.message}`);
  }
  if (inventory) diagnostics.push(...connectionDiagnostics(inventory, raws?.[0]?.file ?? cwd));
  if (!project || !inventory) throw new LoadError(hinted(diagnostics, redactor));
  // DD_SITE is the one non-secret from the environment: the same site for the Agent and the API.
  const extraVars = { ...siteVarsFromEnv(env), ...secrets, ...extra };
  const compiled = compilePlan(project, inventory, { limit: o.limit, tags: o.tags, skipTags: o.skipTags, role: o.role, extraVars }, {
    selectHosts, parseCondition, conditionRoots: conditionRoots as (e: unknown) => string[], conditionGuards: conditionGuards as (e: unknown) => string[], templateRoots, templateFileRoots, getModule,
  });
  if (!compiled.ok || diagnostics.length) throw new LoadError(hinted(sortDiagnostics([...diagnostics, ...(compiled.ok ? [] : compiled.diagnostics)]), redactor));
  const plays = compiled.plan.plays.map((p) => (o.shard ? { ...p, hosts: inShard(p.hosts, o.shard) } : p));
  return { plan: { ...compiled.plan, plays, limit: o.limit, shard: o.shard }, redactor, warnings, asked: { tags: o.tags, skipTags: o.skipTags } };
}

function passwordsContext(passwords: string[], redactor: Redactor): VaultContext {
  passwords.forEach((p) => redactor.add(p));
  return { password: passwords[0], others: passwords.slice(1), redactor };
}

/** An unreadable or empty password file is a usage error: nothing else is loaded. */
function vaultContext(file: string | undefined, cwd: string, redactor: Redactor): VaultContext {
  if (!file) return { password: undefined, redactor };
  try {
    const password = readVaultPassword(resolve(cwd, file));
    redactor.add(password);
    return { password, redactor };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(e.code ? `vault password file ${file} cannot be read: ${e.code}` : e.message);
  }
}

/** Runs a loaded plan. The reporter gets every event; the state store is closed (compacted) at the end. */
export async function execute(loaded: Loaded, o: ExecOptions, reporter: Reporter, onInterruptible?: (stop: () => void) => void): Promise<RunSummary> {
  const unanswered = unanswerablePrompts(loaded.plan, o.askVar !== undefined);
  if (unanswered) throw new UsageError(unanswered);
  const loc: StateLocation | null = o.stateUrl ? { kind: 'postgres', url: o.stateUrl } : o.stateDir ? { kind: 'local', dir: o.stateDir } : null;
  const state = loc ? await openBackend(loc, { waitMs: o.stateWaitSec * 1000, redactor: loaded.redactor, run: runInfo(loaded, o.check) }) : null;
  const connect = traced(o.trace, loaded.redactor, (spec: ConnectionSpec): Promise<Connection> =>
    spec.kind === 'local'
      ? Promise.resolve(openLocal(spec.host))
      : openSsh(spec, {
        hostKeyCheck: o.hostKeyCheck, knownHostsFiles: o.knownHostsFiles,
        ...(o.trace && o.trace.level >= 4 ? { debug: (line: string) => o.trace!.write(`<${spec.host}> SSH: ${loaded.redactor.redact(line)}`) } : {}),
      }));
  const specFor = hostSpecs(o, loaded);
  // A store whose write failed is abandoned as it is; otherwise what finished is kept, even when
  // the run ends in an internal error.
  let summary: RunSummary | undefined;
  let keep = false;
  try {
    summary = await executePlan(loaded.plan, {
      check: o.check, diff: o.diff, forks: o.forks, verbose: o.verbose, force: o.force, verify: o.verify, detailedExitcode: o.detailedExitcode, defaultTimeoutSec: o.timeoutSec, hostLockWaitSec: o.stateWaitSec,
      forceHandlers: o.forceHandlers, runTags: loaded.asked?.tags, skipTags: loaded.asked?.skipTags,
    }, {
      connect, specFor, emit: (e) => reporter.emit(e), redactor: loaded.redactor, state, confirmTask: o.confirmTask, askVar: o.askVar,
      onContext: (ctx) => onInterruptible?.(() => { ctx.interrupted = true; }),
    });
    return summary;
  } catch (err) {
    keep = !(err instanceof StateError);
    throw err;
  } finally {
    if (state) {
      if (summary) await state.close({ exitCode: summary.exitCode, hosts: summary.hosts });
      else if (keep) await state.close({ exitCode: EXIT.internal, hosts: {} });
      else await state.abandon();
    }
  }
}

/** Each host's ConnectionSpec through ssh_config (read once, lazily); passwords are registered as secrets. */
function hostSpecs(o: ExecOptions, loaded: Loaded): (host: InventoryHost) => ConnectionSpec {
  const redactor = loaded.redactor;
  let files: SshConfigFiles | undefined;
  let configError: string | undefined;
  // an unreadable ssh config is the host's problem (unreachable, with the reason), not an internal error
  const sshConfig = (destination: string, user?: string) => {
    try {
      return lookUp((files ??= readSshConfig()).config, destination, user);
    } catch (e) {
      configError = (e as Error).message;
      return { identityFiles: [], unsupported: [] };
    }
  };
  const localUser = (() => {
    try { return userInfo().username; } catch { return process.env.USER ?? 'root'; }
  })();
  return (host) => {
    configError = undefined;
    const spec = connectionSpec(renderedConnectionVars(host, loaded.plan.extraVars), o.connection, { secrets: o.secrets, sshConfig, localUser });
    if (configError && spec.kind === 'ssh') spec.problem = configError;
    redactor.add(spec.password);
    redactor.add(spec.becomePassword);
    return spec;
  };
}

/**
 * Connection variables may be templates (`ansible_password: "{{ vault_pw }}"`, a PLAY_SECRET_ value):
 * they are rendered against the host's vars and the extra vars, as Ansible does. One that cannot be
 * rendered stays as written, and connecting with it fails on that host.
 */
function renderedConnectionVars(host: InventoryHost, extraVars: Vars): InventoryHost {
  const vars = { ...host.vars, ...extraVars, inventory_hostname: host.name };
  const out: Vars = { ...host.vars };
  for (const [k, v] of Object.entries(host.vars)) {
    if (!k.startsWith('ansible_') || typeof v !== 'string' || !v.includes('{{')) continue;
    try {
      out[k] = renderString(v, vars, `${host.name}: ${k}`);
    } catch { /* left as written */ }
  }
  return { ...host, vars: out };
}

/** ansible_ssh_common_args and friends are checked before anything runs: an option play would drop is an error. */
function connectionDiagnostics(inv: Inventory, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const h of inv.hosts.values()) {
    for (const message of connectionProblems(h)) out.push({ ...(h.src ?? { file, line: 1, col: 1 }), message });
  }
  return out;
}

function runInfo(loaded: Loaded, check: boolean): RunInfo {
  const { plan } = loaded;
  return {
    who: whoAmI(), from: hostname(), playbook: plan.playbook, check,
    tags: loaded.asked?.tags, skipTags: loaded.asked?.skipTags, limit: plan.limit, shard: plan.shard && formatShard(plan.shard),
  };
}

/** Hints for missing secrets; and a diagnostic may quote a value, which may be a decrypted secret. */
function hinted(diagnostics: Diagnostic[], redactor: Redactor): Diagnostic[] {
  return diagnostics.map((d) => ({ ...d, message: redactor.redact(secretHint(d.message)) }));
}

function emptyInventory(cwd: string): RawInventory {
  return { file: join(cwd, '(no inventory)'), data: { all: { hosts: {} } }, groupVars: {}, hostVars: {}, hostPos: {} };
}

/** Like Ansible, `localhost` exists even when the inventory does not name it; it is in no group and not
 *  matched by `all`, but it uses the `all` group's vars (so all.vars such as datadog_site reach localhost plays). */
function withImplicitLocalhost(inv: Inventory): Inventory {
  if (!inv.hosts.has('localhost')) {
    const all = inv.groups.get('all')?.vars ?? {};
    inv.hosts.set('localhost', { name: 'localhost', groups: [], vars: { ...all, ansible_connection: 'local' }, implicit: true });
  }
  return inv;
}

function whoAmI(): string {
  try {
    return process.env.USER || userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`; // no passwd entry (a container)
  }
}
