// An in-memory Connection for executor tests: it records every command and upload, and replays
// scripted outputs. No process, no network: the real executor runs over it in milliseconds.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, ExecOptions, ExecResult } from '../../runner/connection/types.js';
import type { RunEvent } from '../../runner/events.js';
import type { ConnectionSpec } from '../../runner/types.js';
import type { ExecuteOptions } from '../../runner/execute/context.js';
import { executePlan, type RunSummary } from '../../runner/execute/run.js';
import type { AskVar } from '../../runner/execute/prompts.js';
import { loadPlan } from '../../runner/run.js';
import { Redactor } from '../../runner/secrets/redact.js';
import type { DoneRecord, StateSession } from '../../runner/state/types.js';

export interface Reply {
  code?: number;
  stdout?: string;
  stderr?: string;
}

/** A scripted answer: commands matching `match` get `reply` (a function sees the command and how often it matched). */
export interface Rule {
  match: RegExp;
  reply: Reply | ((cmd: string, nth: number) => Reply);
}

export class FakeConnection implements Connection {
  readonly cmds: string[] = [];
  readonly puts: Array<{ path: string; content: string; mode?: number; owner?: string }> = [];
  /** Thrown by put() for a path that matches, like a write the login user may not do. */
  denyPut?: { match: RegExp; error: (path: string) => Error };
  /** Thrown by exec() for a command that matches (a transport loss, a bug in a probe). */
  throwOn?: { match: RegExp; error: () => Error };
  #hits = new Map<Rule, number>();
  constructor(readonly host: string, private readonly rules: Rule[] = []) {}
  get execCount(): number {
    return this.cmds.length;
  }
  async exec(cmd: string, _opts?: ExecOptions): Promise<ExecResult> {
    this.cmds.push(cmd);
    if (this.throwOn?.match.test(cmd)) throw this.throwOn.error();
    for (const rule of this.rules) {
      if (!rule.match.test(cmd)) continue;
      const nth = (this.#hits.get(rule) ?? 0) + 1;
      this.#hits.set(rule, nth);
      const r = typeof rule.reply === 'function' ? rule.reply(cmd, nth) : rule.reply;
      return { code: r.code ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    }
    if (/machine-id/.test(cmd)) return { code: 0, stdout: `mid-${this.host}\n`, stderr: '' };
    return { code: 0, stdout: '', stderr: '' };
  }
  async put(path: string, content: Buffer, mode?: number, owner?: string): Promise<void> {
    if (this.denyPut?.match.test(path)) throw this.denyPut.error(path);
    this.puts.push({ path, content: content.toString('utf8'), mode, owner });
  }
  async close(): Promise<void> {}
  /** Commands that ran a task's own command line (the probe and facts scripts left out). */
  ran(re: RegExp): string[] {
    return this.cmds.filter((c) => re.test(c));
  }
}

/** The state seam in memory: records and pending notifications per identity, and every lookup made. */
export class MemoryState implements StateSession {
  readonly done = new Map<string, Map<string, DoneRecord>>();
  readonly pending = new Map<string, string[]>();
  readonly lookups: string[] = [];
  /** Identity by inventory name, as the executor reported it (identities are hashes). */
  readonly identityOf = new Map<string, string>();
  lookup(identity: string, taskId: string): DoneRecord | undefined {
    this.lookups.push(`${identity} ${taskId}`);
    return this.done.get(identity)?.get(taskId);
  }
  recordDone(rec: DoneRecord): void {
    this.identityOf.set(rec.host, rec.identity);
    if (!this.done.has(rec.identity)) this.done.set(rec.identity, new Map());
    this.done.get(rec.identity)!.set(rec.taskId, rec);
  }
  notify(identity: string, host: string, handlerId: string): void {
    this.identityOf.set(host, identity);
    const p = this.pending.get(identity) ?? [];
    if (!p.includes(handlerId)) p.push(handlerId);
    this.pending.set(identity, p);
  }
  handled(identity: string, handlerId: string): void {
    this.pending.set(identity, (this.pending.get(identity) ?? []).filter((h) => h !== handlerId));
  }
  pendingHandlers(identity: string): string[] {
    return [...(this.pending.get(identity) ?? [])];
  }
  flush(): void {}
  /** Pending handler ids and recorded task ids of an inventory host. */
  pendingOf(host: string): string[] {
    return this.pendingHandlers(this.identityOf.get(host) ?? '');
  }
  doneOf(host: string): string[] {
    return [...(this.done.get(this.identityOf.get(host) ?? '')?.keys() ?? [])];
  }
}

export interface FakeRun {
  events: RunEvent[];
  summary: RunSummary;
  conns: Map<string, FakeConnection>;
  /** Every spec the executor connected with, in order (login users, delegate targets). */
  specs: ConnectionSpec[];
}

export interface FakeRunOptions {
  /** Inventory YAML; default: hosts h1 and h2 in group web. */
  inventory?: string;
  /** Scripted connections by host name; other hosts get a FakeConnection with no rules. */
  conns?: Record<string, FakeConnection>;
  state?: StateSession | null;
  opts?: Partial<ExecuteOptions>;
  /** Extra files next to the playbook (roles, templates), by relative path. */
  files?: Record<string, string>;
  /** Receives the events as they come, also when the run throws. */
  events?: RunEvent[];
  /** -e values, as on the command line. */
  extraVars?: string[];
  /** Answers vars_prompt questions (none: no terminal). */
  askVar?: AskVar;
}

const INVENTORY = 'all:\n  children:\n    web:\n      hosts:\n        h1: {}\n        h2: {}\n';

/** Loads a playbook with the real loader and compiler, and runs it with the real executor over fake hosts. */
export async function runFake(playbook: string, o: FakeRunOptions = {}): Promise<FakeRun> {
  const dir = await mkdtemp(join(tmpdir(), 'play-fake-'));
  await writeFile(join(dir, 'site.yml'), playbook);
  await writeFile(join(dir, 'hosts.yml'), o.inventory ?? INVENTORY);
  for (const [rel, text] of Object.entries(o.files ?? {})) {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  const loaded = await loadPlan({ playbook: join(dir, 'site.yml'), inventory: [join(dir, 'hosts.yml')], extraVars: o.extraVars ?? [], cwd: dir, env: {} });
  const conns = new Map<string, FakeConnection>(Object.entries(o.conns ?? {}));
  const specs: ConnectionSpec[] = [];
  const events: RunEvent[] = o.events ?? [];
  const summary = await executePlan(loaded.plan, {
    check: false, diff: false, forks: 5, verbose: false, force: false, verify: false, defaultTimeoutSec: 60, ...o.opts,
  }, {
    connect: async (spec) => {
      specs.push(spec);
      if (!conns.has(spec.host)) conns.set(spec.host, new FakeConnection(spec.host));
      return conns.get(spec.host)!;
    },
    emit: (e) => events.push(e),
    redactor: loaded.redactor ?? new Redactor(),
    state: o.state === undefined ? null : o.state,
    askVar: o.askVar,
  });
  return { events, summary, conns, specs };
}

/** host_result events as `task=status` strings for one host, in order. */
export function outcomes(run: FakeRun, host: string): string[] {
  return run.events.flatMap((e) => (e.kind === 'host_result' && e.host === host ? [`${e.task}=${e.outcome.status === 'skipped' ? `skipped:${e.outcome.why}` : e.outcome.status}`] : []));
}
