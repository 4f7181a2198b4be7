// Executable dynamic inventory, as Ansible's script plugin runs it: `SCRIPT --list` prints JSON
// `{group: {hosts: [...], vars: {...}, children: [...]} | [hosts], _meta: {hostvars: {...}}}`;
// without `_meta`, `SCRIPT --host NAME` is asked once per host. The script's output is data, never a
// template; a failure is a diagnostic naming the script and its stderr.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { Diagnostic, Vars } from '../types.js';
import { isObj } from './util.js';

export type ScriptResult = { ok: true; data: Record<string, unknown> } | { ok: false; diagnostics: Diagnostic[] };

const MAX_OUTPUT = 64 * 1024 * 1024;
const TIMEOUT_MS = 300_000;

function run(file: string, args: string[]): Promise<{ ok: true; stdout: string } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: path.dirname(file), maxBuffer: MAX_OUTPUT, timeout: TIMEOUT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'cannot be started' : `failed (${err.killed ? 'timed out' : `exit ${String(err.code)}`})`;
        resolve({ ok: false, message: `${why}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}` });
      } else resolve({ ok: true, stdout });
    });
  });
}

/** Pure: `--list` JSON (and per-host vars) -> the inventory document shape. */
export function fromScriptJson(list: Record<string, unknown>, hostVars: (h: string) => Vars | undefined): { data: Record<string, unknown>; problems: string[] } {
  const data: Record<string, { hosts: Record<string, Vars | null>; children: Record<string, null>; vars: Vars }> = {};
  const problems: string[] = [];
  const group = (g: string) => (data[g] ??= { hosts: {}, children: {}, vars: {} });
  for (const [name, body] of Object.entries(list)) {
    if (name === '_meta') continue;
    const g = group(name);
    const hosts = Array.isArray(body) ? body : isObj(body) ? body['hosts'] ?? [] : undefined;
    if (!Array.isArray(hosts)) {
      problems.push(`group '${name}' must be a list of hosts or {hosts, vars, children}`);
      continue;
    }
    for (const h of hosts) {
      if (typeof h !== 'string') problems.push(`group '${name}': host ${JSON.stringify(h)} is not a name`);
      else g.hosts[h] = hostVars(h) ?? null;
    }
    if (isObj(body)) {
      if (isObj(body['vars'])) g.vars = body['vars'];
      const children = body['children'] ?? [];
      if (Array.isArray(children)) for (const c of children) if (typeof c === 'string') { g.children[c] = null; group(c); }
    }
  }
  return { data, problems };
}

export async function runDynamicInventory(file: string, display: string): Promise<ScriptResult> {
  const at = { file: display, line: 1, col: 1 };
  const listed = await run(file, ['--list']);
  if (!listed.ok) return { ok: false, diagnostics: [{ ...at, message: `dynamic inventory ${display} --list ${listed.message}` }] };
  const list = parseJson(listed.stdout);
  if (!isObj(list)) return { ok: false, diagnostics: [{ ...at, message: `dynamic inventory ${display} --list did not print a JSON object` }] };
  const meta = isObj(list['_meta']) && isObj(list['_meta']['hostvars']) ? (list['_meta']['hostvars'] as Record<string, unknown>) : undefined;
  const perHost = new Map<string, Vars>();
  const problems: string[] = [];
  if (!meta) {
    const names = new Set(Object.entries(list).flatMap(([k, b]) => (k === '_meta' ? [] : Array.isArray(b) ? b : isObj(b) && Array.isArray(b['hosts']) ? b['hosts'] : [])));
    for (const h of names) {
      if (typeof h !== 'string') continue;
      const r = await run(file, ['--host', h]);
      const v = r.ok ? parseJson(r.stdout) : undefined;
      if (!r.ok) problems.push(`--host ${h} ${r.message}`);
      else if (!isObj(v)) problems.push(`--host ${h} did not print a JSON object`);
      else perHost.set(h, v);
    }
  }
  const built = fromScriptJson(list, (h) => {
    const v = meta ? meta[h] : perHost.get(h);
    return isObj(v) && Object.keys(v).length ? v : undefined;
  });
  problems.push(...built.problems);
  if (problems.length) return { ok: false, diagnostics: problems.map((p) => ({ ...at, message: `dynamic inventory ${display}: ${p}` })) };
  return { ok: true, data: built.data };
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
