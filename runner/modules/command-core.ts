// What command and shell share: free-form parsing, the creates/removes probe, the decision.
import type { ChangeDecision, Decision, PredictedEffect, PredictView, ProbeContext } from './types.js';
import { overlayExists } from '../predict/files.js';
import { globQuote, quote, quoteArgs, shlexSplit } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';

export interface CommandArgs {
  cmd?: string;
  argv?: string[];
  creates?: string;
  removes?: string;
  chdir?: string;
  stdin?: string;
  stdin_add_newline?: boolean;
  /** shell only. */
  executable?: string;
}

export interface CommandProbe {
  chdirMissing?: boolean;
  createsExists?: boolean;
  removesExists?: boolean;
}

export const commandSchemaProps = {
  cmd: { type: 'string', minLength: 1 },
  creates: { type: 'string' },
  removes: { type: 'string' },
  chdir: { type: 'string' },
  stdin: { type: 'string' },
  stdin_add_newline: { type: 'boolean' },
} as const;

const FREE_FORM_KEYS = ['creates', 'removes', 'chdir', 'executable', 'stdin', 'stdin_add_newline'];

/** `command: ls -l creates=/x` -> {cmd: 'ls -l', creates: '/x'}; objects pass, _raw_params -> cmd. */
/** A command is an action, not a state: only creates/removes let a probe tell that it still holds. */
export function commandVerifiable(a: CommandArgs): boolean {
  return a.creates !== undefined || a.removes !== undefined;
}

export function normalizeCommand(raw: unknown): unknown {
  if (typeof raw === 'string') return parseFreeForm(raw);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if ('_raw_params' in r) {
    const free = typeof r._raw_params === 'string' ? parseFreeForm(r._raw_params) : { cmd: r._raw_params };
    delete r._raw_params;
    return { ...free, ...r };
  }
  return r;
}

export function parseFreeForm(s: string): Record<string, unknown> {
  let tokens;
  try {
    tokens = shlexSplit(s);
  } catch {
    return { cmd: s.trim() };
  }
  const out: Record<string, unknown> = {};
  let rest = s;
  for (const t of [...tokens].reverse()) {
    const eq = t.value.indexOf('=');
    const key = eq > 0 ? t.value.slice(0, eq) : '';
    if (!FREE_FORM_KEYS.includes(key)) continue;
    const v = t.value.slice(eq + 1);
    out[key] = key === 'stdin_add_newline' ? !/^(no|false|0)$/i.test(v) : v;
    // cut the token and the blanks before it; every other byte stays, newlines of `shell: |` included
    let from = t.start;
    while (from > 0 && /[ \t]/.test(rest[from - 1]!)) from--;
    rest = rest.slice(0, from) + rest.slice(t.end);
  }
  // As Ansible's parse_kv(check_raw=True) keeps it: inner whitespace and newlines as written.
  return { cmd: rest.trim(), ...out };
}

/** The creates/removes/chdir checks as one read-only script; null when there is nothing to check. */
export function commandProbeScript(a: CommandArgs): string | null {
  if (a.creates === undefined && a.removes === undefined && a.chdir === undefined) return null;
  const lines: string[] = [];
  if (a.chdir !== undefined) lines.push(`cd ${quote(a.chdir)} 2>/dev/null || { echo chdir=missing; exit 0; }`);
  const test = (key: string, pat: string): string => `${key}=no; for f in ${globQuote(pat)}; do if [ -e "$f" ] || [ -L "$f" ]; then ${key}=yes; break; fi; done; echo "${key}=$${key}"`;
  if (a.creates !== undefined) lines.push(test('creates', a.creates));
  if (a.removes !== undefined) lines.push(test('removes', a.removes));
  return lines.join('\n');
}

export function parseCommandProbe(stdout: string): CommandProbe {
  const kv = parseKv(stdout);
  const p: CommandProbe = {};
  if (kv.get('chdir') === 'missing') p.chdirMissing = true;
  if (kv.has('creates')) p.createsExists = kv.get('creates') === 'yes';
  if (kv.has('removes')) p.removesExists = kv.get('removes') === 'yes';
  return p;
}

export async function probeCommand(a: CommandArgs, ctx: ProbeContext): Promise<CommandProbe> {
  const script = commandProbeScript(a);
  if (script === null) return {};
  const r = await ctx.conn.exec(script);
  if (r.code !== 0) throw new Error(`creates/removes check failed (rc ${r.code}): ${r.stderr.trim()}`);
  return parseCommandProbe(r.stdout);
}

/** The host command line: no shell interpretation for command, `sh -c` semantics for shell. */
export function buildCommand(a: CommandArgs, shell: boolean): { ok: true; cmd: string; shown: string } | { ok: false; msg: string } {
  let body: string;
  let shown: string;
  if (shell) {
    if (a.cmd === undefined) return { ok: false, msg: 'shell needs a command (cmd or free form)' };
    shown = a.cmd;
    body = a.executable !== undefined ? `exec ${quote(a.executable)} -c ${quote(a.cmd)}` : a.cmd;
  } else {
    if ((a.cmd === undefined) === (a.argv === undefined)) return { ok: false, msg: 'command needs exactly one of cmd (or free form) and argv' };
    let words: string[];
    try {
      words = a.argv ?? shlexSplit(a.cmd!).map((t) => t.value);
    } catch (e) {
      return { ok: false, msg: `cannot split command: ${(e as Error).message}` };
    }
    if (words.length === 0) return { ok: false, msg: 'no command given' };
    shown = a.cmd ?? quoteArgs(words);
    body = quoteArgs(words);
  }
  const cmd = a.chdir !== undefined ? `cd ${quote(a.chdir)} && ${shell ? `{ ${body}\n}` : body}` : body;
  return { ok: true, cmd, shown };
}

export function decideCommand(a: CommandArgs, p: CommandProbe, shell: boolean): Decision {
  if (p.chdirMissing) return { kind: 'fail', msg: `Unable to change directory before execution: ${a.chdir} does not exist` };
  if (p.createsExists === true) return { kind: 'noop', reason: `Did not run command since '${a.creates}' exists`, result: { rc: 0, stdout: '', stderr: '' } };
  if (p.removesExists === false) return { kind: 'noop', reason: `Did not run command since '${a.removes}' does not exist`, result: { rc: 0, stdout: '', stderr: '' } };
  const b = buildCommand(a, shell);
  if (!b.ok) return { kind: 'fail', msg: b.msg };
  const stdin = a.stdin === undefined ? undefined : a.stdin_add_newline === false ? a.stdin : `${a.stdin}\n`;
  return {
    kind: 'change',
    summary: `run: ${b.shown}`,
    steps: [stdin === undefined ? { kind: 'exec', describe: b.shown, cmd: b.cmd } : { kind: 'exec', describe: b.shown, cmd: b.cmd, stdin }],
    result: { cmd: a.argv ?? b.shown },
  };
}

const GLOB = /[*?[]/;

/** --check: creates/removes/chdir as earlier tasks would have left them (exact paths only, not globs). */
export function overlayCommand(a: CommandArgs, p: CommandProbe, view: PredictView): CommandProbe {
  const out: CommandProbe = { ...p };
  const at = (path: string) => (a.chdir !== undefined && !path.startsWith('/') ? `${a.chdir}/${path}` : path);
  if (a.chdir !== undefined) {
    const d = view.state.dirExists(a.chdir);
    if (d) { if (d.fact) delete out.chdirMissing; else out.chdirMissing = true; }
  }
  if (a.creates !== undefined && p.createsExists !== undefined && !GLOB.test(a.creates)) out.createsExists = overlayExists(at(a.creates), p.createsExists, view);
  if (a.removes !== undefined && p.removesExists !== undefined && !GLOB.test(a.removes)) out.removesExists = overlayExists(at(a.removes), p.removesExists, view);
  return out;
}

/** --check: a command that would run is opaque; what it says it makes (creates) or removes (removes) is known. */
export function predictCommand(a: CommandArgs, _p: CommandProbe, d: ChangeDecision): PredictedEffect[] {
  const out: PredictedEffect[] = [{ kind: 'opaque', what: d.summary }];
  const at = (path: string) => (a.chdir !== undefined && !path.startsWith('/') ? `${a.chdir}/${path}` : path);
  if (a.creates !== undefined && !GLOB.test(a.creates)) out.push({ kind: 'path', path: at(a.creates), fact: { kind: 'exists' } });
  if (a.removes !== undefined && !GLOB.test(a.removes)) out.push({ kind: 'path', path: at(a.removes), fact: { kind: 'absent' } });
  return out;
}
