// npm run bench -- [--runs N] [--runs-large N] [--quick] [--max-hosts N] [--tools play,ansible,...] [--scale 50,100,200,500] [--scale-only]
// play vs ansible-playbook, Ansible + Mitogen and the floors, on the same local test hosts with the
// same playbook.
// Cases: 1 host cold/warm, 10 hosts cold/warm/state rerun, 50 hosts cold. Tools interleaved per run.
import { existsSync, promises as fs } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffSnapshots, outsidePaths, snapshot, type Snapshot } from './compare.js';
import { floorTasks } from './floor-tasks.js';
import { startPool, type HostPool } from './hosts.js';
import { measure } from './measure.js';
import { writeResults, table, type CaseResult, type Sample } from './report.js';
import { runScale, scaleTable, scaleTargets, type ScaleRow } from './scale.js';
import { changedCount, floorSplit, invocation, isFloor, MITOGEN_STRATEGIES, TOOLS as ALL_TOOLS, TRUE_FLOOR, type Mode, type Tool } from './tools.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PLAYBOOK = join(ROOT, 'bench', 'playbooks', 'generic.yml');
const ROOTS = ['srv/bench', 'opt/bench'];

function args(argv: string[]) {
  const get = (f: string) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : undefined; };
  const quick = argv.includes('--quick');
  const runs = Number(get('--runs') ?? (quick ? 1 : 3));
  const maxHosts = Number(get('--max-hosts') ?? (quick ? 10 : 50));
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('--runs expects 1..50');
  // the 50-host case is where Ansible takes minutes a run: it may get fewer runs than the others
  const runsLarge = Number(get('--runs-large') ?? runs);
  if (!Number.isInteger(runsLarge) || runsLarge < 1 || runsLarge > 50) throw new Error('--runs-large expects 1..50');
  const tools = (get('--tools')?.split(',') ?? [...ALL_TOOLS]) as Tool[];
  const bad = tools.filter((t) => !ALL_TOOLS.includes(t));
  if (bad.length || !tools.includes('play')) throw new Error(`--tools: play plus any of ${ALL_TOOLS.join(', ')} (got ${bad.join(', ') || 'no play'})`);
  const scale = get('--scale')?.split(',').map(Number) ?? [];
  if (scale.some((n) => !Number.isInteger(n) || n < 1 || n > 2000)) throw new Error('--scale expects host counts 1..2000, comma-separated');
  const scaleOnly = argv.includes('--scale-only');
  // on a loaded machine a full bench takes hours: the sizes, and the tools at 50 hosts, can be chosen
  const sizes = get('--sizes')?.split(',').map(Number) ?? [1, 10, 50];
  if (sizes.some((n) => ![1, 10, 50].includes(n))) throw new Error('--sizes: any of 1,10,50');
  const toolsLarge = (get('--tools-large')?.split(',') ?? tools) as Tool[];
  if (toolsLarge.some((t) => !tools.includes(t))) throw new Error('--tools-large: a subset of --tools');
  if (scaleOnly && !scale.length) throw new Error('--scale-only needs --scale');
  return { quick, runs, runsLarge, maxHosts, tools, scale, scaleOnly, sizes, toolsLarge };
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

async function main(): Promise<void> {
  const opt = args(process.argv.slice(2));
  const tasks = floorTasks(PLAYBOOK).length;
  const baseDir = process.env.PLAY_TESTBED_DIR || '/srv/testbed-bench';
  const firstIp = process.env.PLAY_TESTBED_FIRST_IP || '127.0.50.2';
  const scratch = await fs.mkdtemp(join(tmpdir(), 'play-bench-'));
  const notes: string[] = [];
  const TOOLS = opt.tools.filter((t) => t !== 'mitogen' || existsSync(MITOGEN_STRATEGIES));
  if (TOOLS.length < opt.tools.length) notes.push(`Ansible + Mitogen left out: ${MITOGEN_STRATEGIES} is missing (apt-get install ansible-mitogen).`);
  const sizes = opt.scaleOnly ? [] : opt.sizes.filter((n) => n <= opt.maxHosts);
  if (sizes.length) log(`starting ${Math.max(...sizes)} hosts from ${firstIp} under ${baseDir}`);
  const pool = await startPool(Math.max(0, ...sizes), baseDir, firstIp);
  const cases: CaseResult[] = [];
  const onSignal = () => { void pool.stop().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const n of sizes) {
      const inventory = await pool.inventory(n);
      const mk = (mode: Mode, label: string): CaseResult => ({ id: `${n}-${mode}`, label, hosts: n, mode, tasks, samples: {} });
      const cold = mk('cold', `${n} host${n > 1 ? 's' : ''} cold`);
      const warm = n <= 10 ? mk('warm', `${n} host${n > 1 ? 's' : ''} warm (--no-state)`) : undefined;
      const state = n === 10 ? mk('state', `${n} hosts rerun with state`) : undefined;
      const snaps: Partial<Record<Tool, Snapshot[]>> = {};
      for (let i = 0; i < (n >= 50 ? opt.runsLarge : opt.runs); i++) {
        const here = n >= 50 ? TOOLS.filter((t) => opt.toolsLarge.includes(t)) : TOOLS;
        const order = here.map((_, k) => here[(k + i) % here.length]!);
        for (const tool of order) {
          await pool.reset(n);
          const dir = await fs.mkdtemp(join(scratch, `${tool}-${n}-`));
          const ctx = { root: ROOT, playbook: PLAYBOOK, inventory, knownHosts: pool.knownHostsPath, hosts: n, dir, stateDir: join(dir, 'state') };
          const s = await once(tool, 'cold', ctx, cold, notes);
          log(`${cold.label} ${tool} run ${i + 1}: ${s ? `${s.wallMs.toFixed(0)} ms, changed ${s.changed}` : 'FAILED'}`);
          if (i === 0 && (n === 10 || (n === 1 && opt.maxHosts < 10))) {
            snaps[tool] = await Promise.all(pool.hosts.slice(0, n).map((h) => snapshot(h.upperDir)));
          }
          if (tool === 'play' && state) {
            const r = await once('play', 'state', ctx, state, notes);
            log(`${state.label} play run ${i + 1}: ${r ? `${r.wallMs.toFixed(0)} ms, changed ${r.changed}` : 'FAILED'}`);
          }
        }
        if (!warm) continue;
        for (const tool of order) {
          const dir = await fs.mkdtemp(join(scratch, `${tool}-${n}-warm-`));
          const ctx = { root: ROOT, playbook: PLAYBOOK, inventory, knownHosts: pool.knownHostsPath, hosts: n, dir, stateDir: join(dir, 'state') };
          const s = await once(tool, 'warm', ctx, warm, notes);
          log(`${warm.label} ${tool} run ${i + 1}: ${s ? `${s.wallMs.toFixed(0)} ms, changed ${s.changed}` : 'FAILED'}`);
        }
      }
      cases.push(...[cold, warm, state].filter((c): c is CaseResult => c !== undefined));
      if (snaps.play && snaps.ansible) notes.push(...compareNote(snaps, n));
    }
    const sections: string[] = [];
    let scaleRows: ScaleRow[] = [];
    if (opt.scale.length) {
      const rows = scaleRows = await runScale({ root: ROOT, playbook: PLAYBOOK, tasks, sizes: opt.scale, runs: opt.runs, scratch, notes, log,
        baseDir: process.env.PLAY_STANDIN_DIR || '/srv/standins-bench', firstIp: process.env.PLAY_STANDIN_FIRST_IP || '127.0.64.2' });
      sections.push('## Scale (cold)', '', 'Hosts here are STAND-INS (bench/standin-hosts.ts): one in-process ssh2 server per loopback address, each command in real /bin/sh in a private mount namespace over the stand-in\'s own directory. The 50-host row is measured on stand-ins too, so the ratios compare like with like; the main table above uses real test hosts.', '', scaleTable(rows, tasks), '');
    }
    const meta = {
      when: new Date().toISOString(), runs: opt.runsLarge === opt.runs ? opt.runs : `${opt.runs} (50 hosts: ${opt.runsLarge})`, playbook: 'bench/playbooks/generic.yml', tasks,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average at start ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
      node: process.version,
    };
    notes.push(...standardNotes());
    const md = await writeResults(join(ROOT, 'bench', 'results'), cases, meta, notes, sections, scaleTargets(scaleRows, tasks));
    process.stdout.write(table(cases) + '\n\n' + sections.join('\n') + '\n' + `written: ${md} and bench/results/latest.md\n`);
  } finally {
    await pool.stop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/** One measured invocation; checks the exit code and the changed count. undefined if it failed. */
async function once(tool: Tool, mode: Mode, ctx: Parameters<typeof invocation>[2], c: CaseResult, notes: string[]): Promise<Sample | undefined> {
  const inv = await invocation(tool, mode, ctx);
  const m = await measure(inv.cmd, inv.args, { env: inv.env, tmpDir: ctx.dir, cwd: ctx.dir });
  const changed = changedCount(tool, m.stdout);
  const split = isFloor(tool) ? floorSplit(m.stdout) : undefined;
  const bad = m.code !== 0 ? `exit ${m.code}` : changed === undefined ? 'no recap' : mode === 'cold' ? (changed === 0 ? 'cold run changed nothing' : '') : changed !== 0 ? `changed ${changed} (expected 0)` : '';
  if (bad) {
    notes.push(`${c.label}, ${tool}: ${bad}; sample dropped. ${(m.stderr + m.stdout).trim().slice(-400).replace(/\s+/g, ' ')}`);
    return undefined;
  }
  const { stdout: _o, stderr: _e, ...rest } = m;
  const s: Sample = { ...rest, changed, floorExecMs: split?.execMs, floorConnectMs: split?.connectMs };
  (c.samples[tool] ??= []).push(s);
  return s;
}

function compareNote(snaps: Partial<Record<Tool, Snapshot[]>>, n: number): string[] {
  const out: string[] = [];
  for (const other of ALL_TOOLS.filter((t) => t !== 'ansible')) {
    const a = snaps.ansible!, b = snaps[other];
    if (!b) continue;
    const diffs = a.flatMap((s, i) => diffSnapshots(s, b[i]!, ['ansible', other]).map((d) => `h${i + 1}${d}`));
    out.push(diffs.length === 0
      ? `Same result on the hosts: after a cold run on ${n} fresh hosts, ansible and ${other} left identical overlay upper dirs (${a[0]!.size} entries per host: path, type, mode, owner, content hash, link target; exclusions in bench/compare.ts).`
      : `**Different result on the hosts** (ansible vs ${other}, ${diffs.length} differences): ${diffs.slice(0, 12).join('; ')}`);
  }
  const outside = outsidePaths(snaps.play![0]!, ROOTS);
  out.push(`Entries outside /srv/bench and /opt/bench on h1 after play's cold run (testbed seed dirs expected): ${outside.join(', ') || 'none'}.`);
  return out;
}

function standardNotes(): string[] {
  return [
    'Cold = hosts stopped and started again before every run (fresh overlay, new host key); play records into a fresh --state-dir. Warm = the hosts already hold the result (no change to make); play runs with --no-state. State rerun = play again with the state of the cold run just before (same hosts).',
    'Ansible: ansible.cfg written per run: pipelining=True, ControlMaster=auto, ControlPersist=60s, connect timeout 60 s, forks = host count, gathering=explicit, strategy=linear, host key checking against the testbed known_hosts, interpreter_python=/usr/bin/python3 (no discovery). Each run starts without a live control master (every tool connects from scratch).',
    'Ansible + Mitogen: the same ansible.cfg with strategy = mitogen_linear from Debian\'s ansible-mitogen 0.3.3 (strategy_plugins = ' + MITOGEN_STRATEGIES + ').',
    'Floors: bench/floor.ts, one ssh2 connection per host, one idempotent shell snippet per task (bench/floor-tasks.ts), hosts in parallel, sent three ways: floor = one exec per task; floor-one-exec, the true floor = every snippet in one script, one exec per host; floor-pipelined = one sh per host, every snippet written to its stdin at once. "with setup" = the whole process (node start, connect, auth, tasks); "no setup" = the tasks after every host is connected.',
    'Each tool runs under `/usr/bin/time unshare --pid --fork --mount-proc sh wrap TOOL`. Wall = the tool\'s own time, taken by the wrapping shell just before it starts and just after it exits (date +%s%N), so the harness\'s start-up (time, unshare, mounting /proc, the shell; about 7 ms here) is charged to no tool. Controller CPU = user+sys of the tool and every process it waited for (the shell\'s `times`: ansible forks and their ssh), plus processes it orphaned (ssh ControlPersist masters), summed from /proc by the namespace\'s init after the tool exits. Machine CPU = busy jiffies of /proc/stat over the whole harness (test hosts\' sshd included, and anything else running on the machine).',
    'Peak RSS = max over 50 ms samples of the summed Rss of the tree (smaps_rollup; shared pages counted once per process, so forking tools are over-stated) and never below the largest single process (/usr/bin/time %M); peak PSS splits shared pages.',
    'ms/task/host = wall / (tasks × hosts). × faster than Ansible = Ansible median wall / tool median wall (Ansible warm for the state rerun). × true floor = tool median wall / ' + TRUE_FLOOR + ' (with setup) median wall.',
  ];
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
