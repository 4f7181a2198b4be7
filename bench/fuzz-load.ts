// Hostile input for the loader: mutate the project's own playbook, roles and inventory one edit at a
// time (text edits and YAML value swaps, from a seeded generator), load each through play's real
// loadPlan, and collect every outcome that is not "loads" or "one LoadError whose diagnostics all
// point at a file and line". Those are internal errors: no input may cause one.
// usage: node dist/bench/fuzz-load.js [iterations=300] [seed=1] [target=project|jinja]
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { LoadError } from '../runner/errors.js';
import { loadPlan } from '../runner/run.js';

/** The checkout: the first directory up from this file that holds package.json (from bench/ or dist/bench/). */
const ROOT = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
})();
// the secrets a real run takes from the environment (dummies): without them nothing would load at all
const SECRETS = { DD_API_KEY: 'f'.repeat(32), DD_APP_KEY: 'a'.repeat(40), DD_MYSQL_PASSWORD: 'fuzz-pw' };

/** Mulberry32: small, seeded, good enough to pick edits reproducibly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JUNK = ['{{', '}}', '{%', '%}', '{{ x | }}', '{% for %}', '{{ a.b[0]( }}', ':', '- ', '\t', '&a', '*a', '<<: *a', '!!binary', '!vault |', '"', "'", '\\', '\u0000', '\u202e', '0777', '1e999', '-1', 'null', '~', '[', ']', '{', '}', '#', '? ', '|', '>', '%YAML 1.1', '---', '...', 'é', '😀'];
const VALUES: unknown[] = [null, true, false, 0, -1, 1e308, 0.5, '', ' ', '{{ undefined_var }}', '{{ 1/0 }}', '{% if %}', 'x'.repeat(5000), [], [[]], {}, { a: { b: { c: [1, { d: null }] } } }, ['{{ x }}'], { '{{ k }}': 'v' }, 'yes', '0o777', '08', '{{ lookup("nope") }}', '{{ range(10**9) | list }}'];

type Mutation = { file: string; what: string; text: string };

function filesOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|j2)$/.test(f)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function textEdit(text: string, r: () => number): { what: string; text: string } {
  const at = Math.floor(r() * (text.length + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  switch (Math.floor(r() * 5)) {
    case 0: { const j = pick(JUNK); return { what: `insert ${JSON.stringify(j)} at ${at}`, text: text.slice(0, at) + j + text.slice(at) }; }
    case 1: { const n = 1 + Math.floor(r() * 20); return { what: `delete ${n} chars at ${at}`, text: text.slice(0, at) + text.slice(at + n) }; }
    case 2: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      return { what: `duplicate line ${i + 1}`, text: [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join('\n') };
    }
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      const d = pick(['  ', '', ' ', '    ']);
      return { what: `reindent line ${i + 1} by ${JSON.stringify(d)}`, text: lines.map((l, k) => (k === i ? d + l.trimStart() : l)).join('\n') };
    }
    default: return { what: `truncate at ${at}`, text: text.slice(0, at) };
  }
}

function valueSwap(text: string, r: () => number): { what: string; text: string } | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length) return undefined;
  const nodes: Node[] = [];
  visit(doc, { Scalar: (_k, n) => { nodes.push(n); }, Map: (_k, n) => { nodes.push(n); }, Seq: (_k, n) => { nodes.push(n); } });
  if (nodes.length === 0) return undefined;
  const target = nodes[Math.floor(r() * nodes.length)]!;
  const value = VALUES[Math.floor(r() * VALUES.length)];
  let done = false;
  visit(doc, {
    Node: (_k, n) => {
      if (n !== target || done) return undefined;
      done = true;
      return doc.createNode(value);
    },
  });
  const kind = isScalar(target) ? 'scalar' : isMap(target) ? 'map' : isSeq(target) ? 'list' : 'node';
  return { what: `replace a ${kind} with ${JSON.stringify(value)?.slice(0, 60)}`, text: doc.toString() };
}

export interface FuzzFinding { mutation: Mutation; error: string }

/** What to mutate: directories copied from the checkout, and how that copy is loaded. */
export interface FuzzTarget {
  copy: string[]; playbook: string; inventory?: string; extraVars: string[]; env: Record<string, string>;
  /** Also run what loads (bin/play, the controller itself as the host): a template that fails must fail its task, never play. */
  run?: boolean;
}

export const TARGETS: Record<'project' | 'jinja', FuzzTarget> = {
  // the product's own playbook, roles and inventory, as the demo loads them
  project: { copy: ['playbooks', 'roles', 'inventory'], playbook: 'playbooks/site.yml', inventory: 'inventory/hosts.yml', extraVars: ['{"datadog_notify": "ops@example.com"}'], env: SECRETS },
  // foreign content: the Jinja oracle's playbook, vars and .j2 templates (filters, loops, includes, macros)
  jinja: { copy: ['spec/fixtures/jinja-oracle'], playbook: 'spec/fixtures/jinja-oracle/site.yml', extraVars: ['{"out": "/tmp/play-fuzz-out"}'], env: {}, run: true },
};

/** Runs `iterations` single-edit mutations of a copy of the project; returns the internal errors. */
export async function fuzzLoad(iterations: number, seed: number, log: (s: string) => void = () => undefined, target: FuzzTarget = TARGETS.project): Promise<{ findings: FuzzFinding[]; loaded: number; rejected: number }> {
  const work = mkdtempSync(join(tmpdir(), 'play-fuzz-'));
  for (const d of target.copy) cpSync(join(ROOT, d), join(work, d), { recursive: true });
  const files = target.copy.flatMap((d) => filesOf(join(work, d)));
  const r = rng(seed);
  const findings: FuzzFinding[] = [];
  let loaded = 0;
  let rejected = 0;
  try {
    for (let i = 0; i < iterations; i++) {
      const file = files[Math.floor(r() * files.length)]!;
      const original = readFileSync(file, 'utf8');
      const edit = (r() < 0.5 && !file.endsWith('.j2') ? valueSwap(original, r) : undefined) ?? textEdit(original, r);
      const mutation = { file: relative(work, file), what: edit.what, text: edit.text };
      writeFileSync(file, edit.text);
      try {
        await loadPlan({ playbook: join(work, target.playbook), inventory: target.inventory ? [join(work, target.inventory)] : undefined, extraVars: target.extraVars, cwd: work, env: target.env });
        loaded++;
        if (target.run) {
          const r = spawnSync(join(ROOT, 'bin', 'play'), [join(work, target.playbook), '--no-state', ...target.extraVars.flatMap((e) => ['-e', e])], { cwd: work, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...target.env } });
          const said = `${r.stdout}\n${r.stderr}`;
          if (r.status !== 0 && r.status !== 2) findings.push({ mutation, error: `run exited ${r.status ?? r.signal}: ${said.slice(-1500)}` });
          else if (/TypeError|RangeError|ReferenceError|\bat \S+ \(file:/.test(said)) findings.push({ mutation, error: `engine internals in the output: ${said.slice(-1500)}` });
        }
      } catch (err) {
        if (err instanceof LoadError && err.diagnostics.length > 0 && err.diagnostics.every((d) => d.file && d.line > 0 && !/\bat [\w.]+ \(|TypeError|undefined is not|Cannot read prop/.test(d.message))) rejected++;
        else findings.push({ mutation, error: err instanceof LoadError ? `LoadError: ${err.message}` : String((err as Error)?.stack ?? err) });
      } finally {
        writeFileSync(file, original);
      }
      if ((i + 1) % 50 === 0) log(`${i + 1}/${iterations}: ${loaded} loaded, ${rejected} rejected cleanly, ${findings.length} internal`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { findings, loaded, rejected };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const iterations = Number(process.argv[2] ?? 300);
  const seed = Number(process.argv[3] ?? 1);
  const name = (process.argv[4] ?? 'project') as keyof typeof TARGETS;
  if (!TARGETS[name]) throw new Error(`target is one of ${Object.keys(TARGETS).join(', ')}`);
  const out = await fuzzLoad(iterations, seed, (s) => console.error(s), TARGETS[name]);
  for (const f of out.findings) console.log(`--- ${f.mutation.file}: ${f.mutation.what}\n${f.error.split('\n').slice(0, 8).join('\n')}`);
  console.log(`${iterations} mutations (seed ${seed}): ${out.loaded} loaded, ${out.rejected} rejected with diagnostics, ${out.findings.length} internal errors`);
  process.exitCode = out.findings.length ? 1 : 0;
}
