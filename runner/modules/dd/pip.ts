// pip (Ansible's): packages in a virtualenv (created when missing) or the system Python.
// Probe (1 exec, read-only): does the venv exist, `python -m pip list --format=json`, and for
// state=latest `pip list --outdated` with extra_args. Decide is pure: requirement specs against versions.
import { defineModule, type Decision, type Step } from '../types.js';
import { quote, shlexSplit } from '../../shell-quote.js';

export interface PipArgs {
  name: string[];
  virtualenv?: string;
  virtualenv_command?: string;
  virtualenv_site_packages?: boolean;
  extra_args?: string;
  state?: 'present' | 'latest' | 'absent' | 'forcereinstall';
  executable?: string;
}

export interface PipProbe {
  venvExists: boolean;
  /** Installed packages by normalized name -> version; undefined when pip could not be run. */
  installed?: Record<string, string>;
  outdated?: string[];
  error?: string;
}

export interface Requirement {
  raw: string;
  name: string;
  /** [operator, version] pairs, e.g. [['==', '3.0.3']]. */
  specs: [string, string][];
}

const MARK = '@@play@@';

/** PEP 503 normalized name. */
export function normalizeName(n: string): string {
  return n.toLowerCase().replace(/[-_.]+/g, '-');
}

export function parseRequirement(raw: string): Requirement | { error: string } {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$/.exec(raw);
  if (!m) return { error: `cannot read requirement '${raw}'` };
  const specs: [string, string][] = [];
  for (const part of m[3]!.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const s = /^(===|==|!=|~=|>=|<=|>|<)\s*(\S+)$/.exec(part);
    if (!s) return { error: `cannot read version specifier '${part}' in '${raw}'` };
    specs.push([s[1]!, s[2]!]);
  }
  return { raw: raw.trim(), name: normalizeName(m[1]!), specs };
}

/** Compares release segments numerically, then the rest as text (enough for pins and simple ranges). */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [pub = '', local = ''] = v.toLowerCase().replace(/^v/, '').split('+');
    const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(pub);
    return { rel: m ? m[1]!.split('.').map(Number) : [], rest: m ? m[2]! : pub, local };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.rel.length, y.rel.length); i++) {
    const d = (x.rel[i] ?? 0) - (y.rel[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  // A pre-release suffix (rc1, a1, .dev0) sorts before the bare release; .postN after it.
  const rank = (r: string) => (r === '' ? 0 : /^\.?post/.test(r) ? 1 : -1);
  if (rank(x.rest) !== rank(y.rest)) return Math.sign(rank(x.rest) - rank(y.rest));
  if (x.rest !== y.rest) return x.rest < y.rest ? -1 : 1;
  return x.local === y.local ? 0 : x.local < y.local ? -1 : 1;
}

export function satisfies(version: string, specs: [string, string][]): boolean {
  return specs.every(([op, want]) => {
    const c = compareVersions(version, want);
    switch (op) {
      case '==': return want.endsWith('.*') ? version.startsWith(want.slice(0, -1)) : c === 0;
      case '===': return version === want;
      case '!=': return c !== 0;
      case '>=': return c >= 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '<': return c < 0;
      case '~=': {
        const prefix = want.split('.').slice(0, -1).join('.');
        return c >= 0 && (version === prefix || version.startsWith(prefix + '.'));
      }
      default: return false;
    }
  });
}

function python(args: PipArgs): string {
  if (args.virtualenv) return quote(`${args.virtualenv.replace(/\/+$/, '')}/bin/python`);
  return args.executable ? quote(args.executable) : 'python3';
}

function extra(args: PipArgs): string {
  return args.extra_args ? shlexSplit(args.extra_args).map((t) => quote(t.value)).join(' ') : '';
}

export function probeScript(args: PipArgs): string {
  const py = python(args);
  const lines: string[] = [];
  if (args.virtualenv) lines.push(`if [ -x ${py} ]; then echo venv=yes; else echo venv=no; exit 0; fi`);
  lines.push(`echo ${MARK}list; ${py} -m pip list --disable-pip-version-check --format=json 2>&1 || echo "${MARK}error"`);
  if (args.state === 'latest') {
    lines.push(`echo ${MARK}outdated; ${py} -m pip list --disable-pip-version-check --outdated --format=json ${extra(args)} 2>/dev/null || echo '[]'`);
  }
  return lines.join('\n');
}

export function parseProbe(stdout: string, hasVenv: boolean): PipProbe {
  const parts = stdout.split(MARK);
  const probe: PipProbe = { venvExists: !hasVenv || /venv=yes/.test(parts[0] ?? '') };
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const key = nl < 0 ? part : part.slice(0, nl);
    const body = nl < 0 ? '' : part.slice(nl + 1).trim();
    if (key === 'error') probe.error = 'pip list failed';
    else if (key === 'list' || key === 'outdated') {
      try {
        const rows = JSON.parse(body.split('\n').find((l) => l.startsWith('[')) ?? 'null') as { name: string; version: string }[] | null;
        if (!rows) throw new Error('no JSON');
        if (key === 'list') probe.installed = Object.fromEntries(rows.map((r) => [normalizeName(r.name), r.version]));
        else probe.outdated = rows.map((r) => normalizeName(r.name));
      } catch {
        if (key === 'list') probe.error = `pip list gave no JSON: ${body.slice(0, 300)}`;
      }
    }
  }
  return probe;
}

export function decidePip(args: PipArgs, probe: PipProbe): Decision {
  const reqs: Requirement[] = [];
  for (const n of args.name) {
    const r = parseRequirement(n);
    if ('error' in r) return { kind: 'fail', msg: r.error };
    reqs.push(r);
  }
  const state = args.state ?? 'present';
  const py = python(args);
  const pip = `${py} -m pip --disable-pip-version-check`;
  const steps: Step[] = [];
  if (args.virtualenv && !probe.venvExists) {
    if (state === 'absent') return { kind: 'noop', reason: `virtualenv ${args.virtualenv} does not exist, so neither do the packages` };
    const cmd = args.virtualenv_command ?? 'python3 -m venv';
    steps.push({ kind: 'exec', describe: `create virtualenv ${args.virtualenv}`, cmd: `${cmd}${args.virtualenv_site_packages ? ' --system-site-packages' : ''} ${quote(args.virtualenv)}` });
  } else if (probe.installed === undefined) {
    return { kind: 'fail', msg: probe.error ?? 'cannot list installed packages' };
  }
  const installed = probe.installed ?? {};
  const outdated = new Set(probe.outdated ?? []);
  let todo: Requirement[];
  let verb: string;
  switch (state) {
    case 'absent':
      todo = reqs.filter((r) => installed[r.name] !== undefined);
      verb = 'uninstall';
      if (todo.length > 0) steps.push({ kind: 'exec', describe: `pip uninstall ${todo.map((r) => r.name).join(' ')}`, cmd: `${pip} uninstall -y ${todo.map((r) => quote(r.name)).join(' ')}` });
      break;
    case 'present':
    case 'latest':
    case 'forcereinstall': {
      todo = reqs.filter((r) => {
        const v = installed[r.name];
        if (v === undefined || state === 'forcereinstall') return true;
        if (!satisfies(v, r.specs)) return true;
        return state === 'latest' && (probe.outdated === undefined || outdated.has(r.name));
      });
      verb = state === 'present' ? 'install' : state === 'latest' ? 'upgrade' : 'reinstall';
      const flags = state === 'latest' ? ' -U' : state === 'forcereinstall' ? ' -U --force-reinstall' : '';
      if (todo.length > 0) {
        steps.push({ kind: 'exec', describe: `pip install ${todo.map((r) => r.raw).join(' ')}`, cmd: `${pip} install${flags} ${extra(args)} ${todo.map((r) => quote(r.raw)).join(' ')}`.replace(/ {2,}/g, ' ') });
      }
      break;
    }
  }
  const where = args.virtualenv ? ` in ${args.virtualenv}` : '';
  if (steps.length === 0) {
    const have = reqs.map((r) => (installed[r.name] ? `${r.name} ${installed[r.name]}` : r.name)).join(', ');
    return { kind: 'noop', reason: state === 'absent' ? `none of ${have} is installed${where}` : `${have} already installed${where}, matching ${reqs.map((r) => r.raw).join(' ')}` };
  }
  const what = todo.map((r) => (installed[r.name] ? `${r.raw} (have ${installed[r.name]})` : r.raw)).join(', ');
  return { kind: 'change', summary: `${todo.length > 0 ? `${verb} ${what}` : 'create virtualenv'}${where}`, steps };
}

export const pipModule = defineModule<PipArgs, PipProbe>({
  name: 'pip',
  schema: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      virtualenv: { type: 'string', pattern: '^/' },
      virtualenv_command: { type: 'string', minLength: 1 },
      virtualenv_site_packages: { type: 'boolean' },
      extra_args: { type: 'string' },
      state: { enum: ['present', 'latest', 'absent', 'forcereinstall'] },
      executable: { type: 'string' },
    },
  },
  normalize(raw) {
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const r = raw as Record<string, unknown>;
      if (typeof r.name === 'string') return { ...r, name: [r.name] };
    }
    return raw;
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(probeScript(args));
    return parseProbe(r.stdout, args.virtualenv !== undefined);
  },
  decide(args, probe) {
    return decidePip(args, probe);
  },
});
