// How much real Ansible content, written by others, play loads unchanged. For every role in
// bench/corpus/manifest.json (a repository at a pinned commit), each top-level item of each task file
// (and of handlers/) is loaded after the items before it that loaded, in its role's context (defaults, vars, templates, files,
// the other task files; no meta dependencies), through play's real loader and compiler (loadPlan: schemas, modules, conditions,
// templates, variables). The unit counts its leaf tasks; a block that does not load is split into its tasks, each measured
// inside a block with the same keywords. Windows-only units are left out (of the role's copies too).
// A unit sees what Ansible would have set when it reaches the unit's file: the file is included from
// main.yml (or from the file that includes it) after that file's loaded items before the include, with
// the include's vars and loop (bench/corpus-context.ts); the role's handlers are there by name, each
// measured as a unit of its own. Items after the include are never context: they may use what the
// rest of the unit's file sets (that is why an earlier try, with all of main.yml as context, lost
// postgresql's variables.yml: main.yml's later service task needs postgresql_daemon, set at its end).
// usage: node dist/bench/corpus.js [--mirror DIR] [--out bench/corpus/results.md] [--role NAME] [--dump units.json]
// (--role measures one role of the manifest; --dump writes every unit's outcome, to compare two runs)
// Sources come from DIR/<owner>+<name>/repo (git directories, e.g. made by the search tool's fetch).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { LoadError } from '../runner/errors.js';
import { loadPlan } from '../runner/run.js';
import { fileOrder, includeSites, includeText, reaches } from './corpus-context.js';

interface Entry { repo: string; commit: string; roles: Array<{ path: string; name: string }>; rolesPath?: string; extraVars?: Record<string, unknown> }
interface Unit { dir: 'tasks' | 'handlers'; file: string; index: number; leaves: number; item: unknown; text: string; node: Node; source: Source }
interface Source { text: string; lc: LineCounter }
interface Outcome { unit: Unit; ok: boolean; reason?: string }
/** A file on the way from main.yml to a unit's file: its loaded items before the include, then the include. */
interface Level { file: string; text: string }
interface HandlerName { name?: string; listen?: unknown }

/** Generated YAML items indented as the author's items they follow (`- ` at the same column), so the list stays one list. */
function after(authored: string, generated: string): string {
  const pad = /^( *)- /.exec(authored)?.[1] ?? '';
  return authored + generated.replace(/^(?=.)/gm, pad);
}

function standIns(hs: HandlerName[]): string {
  return stringify(hs.map((h) => ({ ...h, debug: { msg: 'a handler of the role (measured on its own)' } })));
}

/** The names and topics of the role's handlers (handlers/main.yml's items), for the tasks that notify them. */
function handlerNamesOf(us: Unit[]): HandlerName[] {
  return us.filter((u) => u.dir === 'handlers' && u.file === 'main.yml').flatMap((u) => {
    const h = u.item as Record<string, unknown>;
    if (!h || typeof h !== 'object' || (typeof h.name !== 'string' && h.listen === undefined)) return [];
    return [{ ...(typeof h.name === 'string' ? { name: h.name } : {}), ...(h.listen !== undefined ? { listen: h.listen } : {}) }];
  });
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function leafCount(item: unknown): number {
  if (!item || typeof item !== 'object') return 0;
  const t = item as Record<string, unknown>;
  if (Array.isArray(t.block)) return [t.block, t.rescue, t.always].flatMap((l) => (Array.isArray(l) ? l : [])).reduce((n: number, x) => n + leafCount(x), 0);
  return 1;
}

function isWindowsOnly(item: unknown): boolean {
  return /\bwin_[a-z_]+\s*:/.test(stringify(item));
}

function taskFiles(roleDir: string, sub: 'tasks' | 'handlers'): string[] {
  const dir = join(roleDir, sub);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(f)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * The role's task and handler items, Windows-only ones left out. `linux` has the text of each file
 * that had Windows-only items, without them: the role as play is measured on, so an include of such
 * a file is not charged for the Windows tasks the measure leaves out.
 */
function units(roleDir: string, linux: Map<string, string>): Unit[] {
  const out: Unit[] = [];
  for (const sub of ['tasks', 'handlers'] as const) {
    for (const file of taskFiles(roleDir, sub)) {
      const text = readFileSync(file, 'utf8');
      let doc;
      try {
        doc = parseDocument(text, { version: '1.1', logLevel: 'silent' });
      } catch {
        continue;
      }
      if (doc.errors.length || !isSeq(doc.contents)) continue;
      const data = doc.toJS({ maxAliasCount: 100 }) as unknown[];
      const lc = new LineCounter();
      parseDocument(text, { lineCounter: lc, version: '1.1', logLevel: 'silent' });
      const source = { text, lc };
      const rel = relative(join(roleDir, sub), file);
      let windows = false;
      const kept: string[] = [];
      doc.contents.items.forEach((node, index) => {
        const item = data[index];
        if (isWindowsOnly(item)) { windows = true; return; }
        if (!(node as Node).range) return;
        const u: Unit = { dir: sub, file: rel, index, leaves: leafCount(item), item, text: itemText(node as Node, source), node: node as Node, source };
        kept.push(u.text);
        out.push(u);
      });
      if (windows) linux.set(`${sub}/${rel}`, kept.join('') || '[]\n');
    }
  }
  return out;
}

/**
 * The author's own text of an item, re-indented under a fresh "- " at its own column: comments,
 * quoting and number formats (mode: 0644) stay as written.
 */
function itemText(node: Node, src: Source): string {
  const range = node.range!;
  const col = src.lc.linePos(range[0]).col - 1;
  return ' '.repeat(Math.max(0, col - 2)) + '- ' + src.text.slice(range[0], range[2]).replace(/\s+$/, '') + '\n';
}

/**
 * A block that does not load is measured task by task: each task of its block, rescue and always
 * becomes a unit of its own, inside a block with the same keywords (when, become, vars...), so one
 * unsupported task is charged for itself and not for the hundreds beside it.
 */
function blockChildren(u: Unit): Unit[] {
  const node = u.node;
  if (!isMap(node)) return [];
  const item = u.item as Record<string, unknown>;
  if (!Array.isArray(item.block)) return [];
  const keywords = Object.fromEntries(Object.entries(item).filter(([k]) => !['block', 'rescue', 'always'].includes(k)));
  const head = Object.keys(keywords).length > 0
    ? stringify(keywords).replace(/\n$/, '').split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n') + '\n  block:\n'
    : '- block:\n';
  const out: Unit[] = [];
  for (const key of ['block', 'rescue', 'always']) {
    const seq = node.get(key, true);
    const list = item[key];
    if (!isSeq(seq) || !Array.isArray(list)) continue;
    seq.items.forEach((child, i) => {
      const c = child as Node;
      if (!c.range || isWindowsOnly(list[i])) return;
      const col = u.source.lc.linePos(c.range[0]).col - 1;
      // YAML needs the child's "- " right of the wrapper's "block:" key.
      if (col < 4) return;
      const wrapped = { ...keywords, block: [list[i]] };
      out.push({ ...u, leaves: leafCount(list[i]), item: wrapped, text: head + itemText(c, u.source), node: c });
    });
  }
  return out;
}

/** Reasons grouped across roles: the first quoted name is kept (the keyword, module or argument), the rest and numbers hidden. */
function reasonKey(message: string): string {
  let first = true;
  const keepFirst = (m: string) => (first ? ((first = false), m) : m[0] === "'" ? "'…'" : '"…"');
  return message.replace(/'[^']*'|"[^"]*"/g, keepFirst).replace(/\(roles\/[^)]*\)/g, '(…)').replace(/\d+/g, 'N').slice(0, 140);
}

/**
 * The unit in a copy of its role, after the items before it in its file that loaded: the role's other
 * directories are linked in unchanged; its task files are kept (an include still finds its file),
 * and main.yml leads to the unit's file; handlers
 * are there only when the unit is one; meta keeps no dependencies, so another role's problems are
 * not charged to this unit.
 */
async function loadUnit(roleDir: string, roleName: string, unit: Unit, before: Unit[], chain: Level[], handlerNames: HandlerName[], linux: Map<string, string>, e: Entry, rolesPath: string[], scratch: string): Promise<Outcome> {
  const work = mkdtempSync(join(scratch, 'u-'));
  const role = join(work, 'roles', roleName);
  mkdirSync(role, { recursive: true });
  // copied, not linked: a role's vars/ and files/ are real directories as Ansible finds them
  for (const f of readdirSync(roleDir)) {
    if (f === 'tasks' || f === 'handlers' || f === 'meta') continue;
    cpSync(join(roleDir, f), join(role, f), { recursive: true, verbatimSymlinks: true });
  }
  mkdirSync(join(role, 'tasks'), { recursive: true });
  if (existsSync(join(roleDir, 'tasks'))) cpSync(join(roleDir, 'tasks'), join(role, 'tasks'), { recursive: true });
  if (unit.dir === 'handlers' && existsSync(join(roleDir, 'handlers'))) cpSync(join(roleDir, 'handlers'), join(role, 'handlers'), { recursive: true });
  for (const [f, text] of linux) if (f.startsWith('tasks/') || unit.dir === 'handlers') writeFileSync(join(role, f), text);
  // The items before it in its file that loaded, so that what it uses of them (a registered result) is defined.
  const item = [...before, unit].map((u) => u.text).join('');
  if (unit.dir === 'tasks') {
    writeFileSync(join(role, 'tasks', unit.file), item);
    for (const l of chain) writeFileSync(join(role, 'tasks', l.file), l.text);
    const top = chain.length > 0 ? chain[chain.length - 1]!.file : unit.file;
    if (top !== 'main.yml') writeFileSync(join(role, 'tasks', 'main.yml'), stringify([{ import_tasks: top }]));
    // A task notifies the role's handlers: they are there by name and topic, each measured as a unit of its own.
    if (handlerNames.length > 0) {
      mkdirSync(join(role, 'handlers'));
      writeFileSync(join(role, 'handlers', 'main.yml'), standIns(handlerNames));
    }
  } else {
    // Handlers run after the tasks: what main.yml's loaded items set is defined for them.
    writeFileSync(join(role, 'tasks', 'main.yml'), chain.length > 0 ? chain[0]!.text : '[]\n');
    mkdirSync(join(role, 'handlers'), { recursive: true });
    // the handlers not measured yet (or not loaded) are there by name, for the tasks that notify them
    const named = new Set([...before, unit].flatMap((x) => handlerNamesOf([x]).map((h) => JSON.stringify(h))));
    const others = unit.file === 'main.yml' ? handlerNames.filter((h) => !named.has(JSON.stringify(h))) : [];
    writeFileSync(join(role, 'handlers', unit.file), others.length > 0 ? after(item, standIns(others)) : item);
    // a handler file besides main.yml is reached only by an include among the handlers
    if (unit.file !== 'main.yml') writeFileSync(join(role, 'handlers', 'main.yml'), standIns(handlerNames) + stringify([{ include_tasks: unit.file }]));
  }
  const playbook = join(work, 'site.yml');
  writeFileSync(playbook, stringify([{ hosts: 'localhost', roles: [roleName] }])); // the implicit localhost: a play with a host, so every check runs
  try {
    await loadPlan({ playbook, extraVars: e.extraVars ? [JSON.stringify(e.extraVars)] : [], cwd: work, rolesPath, env: {} });
    return { unit, ok: true };
  } catch (err) {
    if (err instanceof LoadError) return { unit, ok: false, reason: err.diagnostics[0]?.message ?? 'load error' };
    return { unit, ok: false, reason: `INTERNAL ERROR: ${(err as Error).message}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Units in the order Ansible reaches their files from main.yml; handlers last. */
function orderUnits(us: Unit[]): Unit[] {
  const tasks = us.filter((u) => u.dir === 'tasks');
  const files = [...new Set(tasks.map((u) => u.file))];
  const order = fileOrder(files, (f) => tasks.filter((u) => u.file === f).flatMap((u) => includeSites(u.item, f)));
  return [...order.flatMap((f) => tasks.filter((u) => u.file === f)), ...us.filter((u) => u.dir === 'handlers')];
}

/**
 * The files on the way from main.yml to the unit's file, nearest first: each is its loaded items
 * before the first item that includes the next one, then that include (see corpus-context.ts).
 * Handlers get main.yml's loaded items. A file nothing includes by name gets no context.
 */
function chainOf(u: Unit, files: string[], loaded: Map<string, Unit[]>, measured: Map<string, Unit[]>, seen: Set<string>): Level[] {
  const text = (us: Unit[]) => us.map((x) => x.text).join('') || '[]\n';
  if (u.dir === 'handlers') return [{ file: 'main.yml', text: text(loaded.get('tasks/main.yml') ?? []) }];
  if (u.file === 'main.yml' || seen.has(u.file)) return [];
  seen.add(u.file);
  for (const [key, ms] of measured) {
    if (!key.startsWith('tasks/')) continue;
    const from = key.slice('tasks/'.length);
    for (const m of ms) {
      const site = includeSites(m.item, from).find((x) => reaches(x, files).includes(u.file));
      if (!site) continue;
      const start = m.node.range![0];
      const ctx = (loaded.get(key) ?? []).filter((x) => x.node.range![0] < start);
      return [{ file: from, text: after(ctx.map((x) => x.text).join(''), includeText(site, u.file)) }, ...chainOf(m, files, loaded, measured, seen)];
    }
  }
  return [];
}

async function main(argv: string[]): Promise<void> {
  const get = (f: string) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : undefined; };
  const mirror = get('--mirror') ?? process.env.PLAY_CORPUS_MIRROR ?? '/work/.mirror';
  const out = get('--out') ?? join(ROOT, 'bench', 'corpus', 'results.md');
  const manifest = JSON.parse(readFileSync(join(ROOT, 'bench', 'corpus', 'manifest.json'), 'utf8')) as Entry[];
  const only = get('--role');
  const dumpFile = get('--dump');
  const dump: unknown[] | undefined = dumpFile ? [] : undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'play-corpus-'));
  const rows: string[] = [];
  const reasons = new Map<string, number>();
  let total = 0, loaded = 0;
  try {
    for (const e of manifest) {
      const git = join(mirror, e.repo.replace('/', '+'), 'repo');
      if (only !== undefined && !e.roles.some((r) => r.name === only)) continue;
      if (!existsSync(git)) { rows.push(`| ${e.repo} | ${e.commit.slice(0, 10)} | (not fetched) | | | |`); continue; }
      const src = join(scratch, e.repo.replace('/', '+'));
      mkdirSync(src, { recursive: true });
      execFileSync('sh', ['-c', `git --git-dir="$1" archive "$2" | tar -x -C "$3"`, 'sh', git, e.commit, src]);
      const rolesPath = e.rolesPath ? [join(src, e.rolesPath)] : [];
      for (const r of e.roles) {
        if (only !== undefined && r.name !== only) continue;
        const roleDir = join(src, r.path);
        const linux = new Map<string, string>();
        const us = orderUnits(units(roleDir, linux));
        const results: Outcome[] = [];
        const loadedBefore = new Map<string, Unit[]>();
        const measured = new Map<string, Unit[]>();
        const chains = new Map<string, Level[]>();
        const handlerNames = handlerNamesOf(us);
        const taskFileNames = [...new Set(us.filter((u) => u.dir === 'tasks').map((u) => u.file))];
        const queue = [...us];
        while (queue.length > 0) {
          const u = queue.shift()!;
          const key = `${u.dir}/${u.file}`;
          const before = loadedBefore.get(key) ?? [];
          if (!chains.has(key)) chains.set(key, chainOf(u, taskFileNames, loadedBefore, measured, new Set()));
          if (process.env.CORPUS_DEBUG && key.includes(process.env.CORPUS_DEBUG)) process.stderr.write(`== ${key}\n${chains.get(key)!.map((l) => `-- ${l.file}\n${l.text}`).join("")}`);
          const res = await loadUnit(roleDir, r.name, u, before, chains.get(key)!, handlerNames, linux, e, rolesPath, scratch);
          const children = res.ok ? [] : blockChildren(u);
          if (children.length > 0 && children.reduce((a, c) => a + c.leaves, 0) === u.leaves) { queue.unshift(...children); continue; }
          results.push(res);
          measured.set(key, [...(measured.get(key) ?? []), u]);
          if (res.ok) loadedBefore.set(key, [...before, u]);
          if (dump) dump.push({ role: r.name, file: key, line: u.source.lc.linePos(u.node.range![0]).line, leaves: u.leaves, ok: res.ok, reason: res.reason });
        }
        const n = us.reduce((a, u) => a + u.leaves, 0);
        const ok = results.filter((x) => x.ok).reduce((a, x) => a + x.unit.leaves, 0);
        total += n; loaded += ok;
        for (const x of results) if (!x.ok) reasons.set(reasonKey(x.reason!), (reasons.get(reasonKey(x.reason!)) ?? 0) + x.unit.leaves);
        rows.push(`| ${e.repo} | ${e.commit.slice(0, 10)} | ${r.name} | ${n} | ${ok} | ${n ? ((100 * ok) / n).toFixed(0) : '–'}% |`);
        process.stderr.write(`[corpus] ${e.repo} ${r.name}: ${ok}/${n}\n`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (dumpFile) writeFileSync(dumpFile, JSON.stringify(dump, null, 1));
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  const md = [
    '# Corpus: real Ansible roles by other authors, loaded unchanged by play', '',
    `Measured ${new Date().toISOString()} by \`node dist/bench/corpus.js\` (bench/corpus.ts). Each top-level item of each task file is loaded through play's loader and compiler in its role's context and in the context Ansible gives its file (included from main.yml after the items before the include that loaded, with the include's vars), and a block that does not load is measured task by task; the figure counts leaf tasks. Windows-only items are left out.`, '',
    `**${loaded} of ${total} tasks load unchanged (${total ? ((100 * loaded) / total).toFixed(1) : '–'}%).**`, '',
    '| repository | commit | role | tasks | load | share |', '|---|---|---|---|---|---|', ...rows, '',
    '## Why the rest does not load (first problem of each item, tasks weighted)', '',
    '| tasks | reason |', '|---|---|', ...top.map(([r, n]) => `| ${n} | ${r.replace(/\|/g, '\\|')} |`), '',
  ].join('\n');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, md);
  process.stdout.write(`${loaded}/${total} tasks load (${total ? ((100 * loaded) / total).toFixed(1) : '–'}%); written ${out}\n`);
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`corpus: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
