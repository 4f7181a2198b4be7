// `-e key=value`, `-e '{"json": 1}'`, `-e @file.yml`, merged left to right.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { LoadError } from '../errors.js';
import type { Diagnostic, Vars } from '../types.js';
import { MAX_YAML_BYTES, parseYaml } from './yaml.js';
import { openMaybeVault, registerLeaves, type VaultContext } from '../secrets/vault.js';
import { isObj } from './util.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names Ansible users give secrets. An -e value under such a name is registered as a secret. */
export const SECRET_NAME = /password|passwd|secret|token|api_key|app_key|private_key/i;

/** `warn` receives one message per secret-named value given in clear (argv, shell history, a plain file). */
export function loadExtraVars(args: string[], cwd = process.cwd(), vault?: VaultContext, warn?: (msg: string) => void): Vars {
  const diags: Diagnostic[] = [];
  let out: Vars = {};
  args.forEach((arg, i) => {
    const where = { file: `-e #${i + 1}`, line: 1, col: 1 };
    const r = parseOne(arg, cwd, vault);
    if (r.ok && vault && !r.encrypted) {
      for (const name of secretNamed(r.vars, vault)) {
        warn?.(`-e ${name}: a value named like a secret is masked in output; pass it as PLAY_SECRET_${name.split('.').pop()!.toUpperCase()} in the environment or from a vault file (-e @vault.yml) instead of in clear`);
      }
    }
    if (r.ok) out = { ...out, ...r.vars };
    else diags.push({ ...where, ...(r.diags[0]?.file ? { file: r.diags[0].file, line: r.diags[0].line, col: r.diags[0].col } : {}), message: r.message });
  });
  if (diags.length) throw new LoadError(diags);
  return out;
}

type One = { ok: true; vars: Vars; encrypted?: boolean } | { ok: false; message: string; diags: Diagnostic[] };

/** Registers every value under a secret-looking name (at any depth); returns the dotted names. */
function secretNamed(vars: Vars, vault: VaultContext, prefix = ''): string[] {
  const names: string[] = [];
  for (const [k, v] of Object.entries(vars)) {
    const name = prefix + k;
    if (SECRET_NAME.test(k)) {
      // a flag like use_token=true is no secret: masking "true" would hide every true in the output
      if (typeof v === 'string' && /^(true|false|yes|no|none|null)$/i.test(v)) continue;
      registerLeaves(v, vault.redactor);
      names.push(name);
    } else if (isObj(v)) names.push(...secretNamed(v, vault, `${name}.`));
  }
  return names;
}

function parseOne(arg: string, cwd: string, vault?: VaultContext): One {
  const t = arg.trim();
  if (t.startsWith('@')) {
    const file = t.slice(1);
    if (!file) return bad(`-e @ needs a file name, e.g. -e @vars.yml`);
    let buf: Buffer;
    try {
      const size = statSync(path.resolve(cwd, file)).size;
      if (size > MAX_YAML_BYTES) return bad(`extra vars file '${file}' is ${size} bytes; YAML input is limited to ${MAX_YAML_BYTES} bytes`);
      buf = readFileSync(path.resolve(cwd, file));
    } catch (err) {
      return bad(`extra vars file '${file}' cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const opened = openMaybeVault(buf, vault);
    if (!opened.ok) return bad(`extra vars file '${file}': ${opened.message}`);
    const y = parseYaml(file, opened.content, vault);
    if (!y.ok) return { ok: false, message: `extra vars file '${file}': ${y.diagnostics[0]!.message}`, diags: y.diagnostics };
    if (!isObj(y.value.data)) return bad(`extra vars file '${file}' must hold a mapping of names to values`);
    if (opened.encrypted && vault) registerLeaves(y.value.data, vault.redactor);
    return { ok: true, vars: y.value.data, encrypted: opened.encrypted };
  }
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (!isObj(v)) return bad(`-e '${t}' must be a JSON object, e.g. -e '{"name": "value"}'`);
      return { ok: true, vars: v };
    } catch (err) {
      return bad(`-e '${t}' is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!t) return bad('-e needs key=value, a JSON object, or @file');
  const vars: Vars = {};
  for (const pair of t.split(/\s+/)) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0) return bad(`-e '${pair}' is not key=value, a JSON object, or @file`);
    if (!KEY.test(key)) return bad(`-e '${pair}': '${key}' is not a valid variable name`);
    vars[key] = pair.slice(eq + 1);
  }
  return { ok: true, vars };
}

function bad(message: string): One {
  return { ok: false, message, diags: [] };
}
