// Run one tool invocation and measure it: wall time, CPU of its whole process tree (including
// processes it orphaned, e.g. ssh ControlPersist masters), peak memory of the tree, CPU of the machine.
//
// How: /usr/bin/time -f around `unshare --pid --fork --mount-proc sh WRAP tool...`.
//  - wall: the shell takes the time just before and just after the tool (date +%s%N), so the
//    harness's own start-up (time, unshare, mounting /proc, the shell) is not charged to the tool.
//  - CPU: the shell's `times` after the tool = rusage of the tool and every process it waited for.
//  - the tool runs under a shell that is the pid namespace's init, so orphans re-parent to that
//    shell, not to the machine's init; after the tool exits the shell sums the CPU of what is left
//    (orphans) from /proc, writes it to a file, and exits, which kills the namespace.
//  - memory: every SAMPLE_MS the bench walks the tree (/proc/PID/task/TID/children) and sums
//    Rss and Pss (smaps_rollup); %M (largest single process's max RSS) is kept too.
//  - machine CPU: /proc/stat (all CPUs, busy jiffies) before and after.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

const SAMPLE_MS = 50;
const CLK_TCK = 100; // USER_HZ on Linux

/**
 * Runs as pid 1 of the new namespace: $1 = result file, the rest is the tool's argv. Writes the tool's
 * own wall time (ns, from just before it starts to just after it exits), its CPU and that of every
 * process it waited for (the second line of \`times\`), and the CPU ticks of what it left behind.
 */
const WRAP = `out=$1; shift
t0=$(date +%s%N)
"$@"; rc=$?
times > "$out.times"
t1=$(date +%s%N)
t=0
for d in /proc/[0-9]*; do
  n=\${d#/proc/}
  [ "$n" = 1 ] && continue
  read -r l < "$d/stat" 2>/dev/null || continue
  l=\${l##*) }
  set -- $l
  t=$((t + \${12} + \${13}))
done
echo "$t $((t1 - t0))" > "$out"
exit $rc
`;

/** `times` prints "0m0.21s 0m0.03s" lines: the shell's own, then its children's. */
function childrenCpuS(times: string): number | undefined {
  const line = times.trim().split('\n')[1];
  const m = line && /^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(line.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]) : undefined;
}

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  /** The tool's own wall time: from just before it starts to just after it exits (inside the harness). */
  wallMs: number;
  /** Spawn to exit of the whole harness (time, unshare, the shell, the tool, the orphan scan). */
  harnessWallMs: number;
  /** user+sys seconds of the tool's process tree (what it waited for, via `times`, plus what it orphaned). */
  cpuS: number;
  /** of which: CPU of processes the tool left behind (ssh ControlPersist masters). */
  orphanCpuS: number;
  /** Peak of the summed RSS of the tree (shared pages counted once per process). */
  peakRssMb: number;
  /** Peak of the summed PSS of the tree (shared pages split between sharers). */
  peakPssMb: number;
  /** Largest max-RSS of any single process in the tree (/usr/bin/time %M). */
  maxProcRssMb: number;
  /** Busy CPU seconds of the whole machine (all cores) during the run. */
  machineCpuS: number;
}

async function machineBusyJiffies(): Promise<number> {
  const line = (await fs.readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
}

async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const out: number[] = [];
  for (const t of tasks) {
    const txt = await fs.readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '');
    for (const c of txt.trim().split(/\s+/)) if (c) out.push(Number(c));
  }
  return out;
}

/** Sum Rss and Pss (kB) over pid and its descendants (bounded depth and count). */
async function treeMemory(root: number): Promise<{ rss: number; pss: number }> {
  let rss = 0, pss = 0;
  const queue = [root];
  for (let i = 0; i < queue.length && i < 2000; i++) {
    const pid = queue[i]!;
    const txt = await fs.readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    rss += Number(/^Rss:\s+(\d+)/m.exec(txt)?.[1] ?? 0);
    pss += Number(/^Pss:\s+(\d+)/m.exec(txt)?.[1] ?? 0);
    queue.push(...(await childrenOf(pid)));
  }
  return { rss, pss };
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  tmpDir: string;
  timeoutMs?: number;
}

export async function measure(cmd: string, args: string[], opts: RunOptions): Promise<Measured> {
  const timeFile = join(opts.tmpDir, `time-${process.pid}-${Date.now()}.txt`);
  const orphanFile = timeFile.replace('time-', 'orphans-');
  const wrapFile = join(opts.tmpDir, 'wrap.sh');
  await fs.writeFile(wrapFile, WRAP);
  const argv = ['-f', '%e %U %S %M', '-o', timeFile, 'unshare', '--pid', '--fork', '--kill-child', '--mount-proc',
    'sh', wrapFile, orphanFile, cmd, ...args];
  const busy0 = await machineBusyJiffies();
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let peakRss = 0, peakPss = 0, running = true;
  const sampler = (async () => {
    while (running && child.pid) {
      const m = await treeMemory(child.pid);
      peakRss = Math.max(peakRss, m.rss);
      peakPss = Math.max(peakPss, m.pss);
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 900_000);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const harnessWallMs = performance.now() - t0;
  clearTimeout(timer);
  running = false;
  await sampler;
  const busy1 = await machineBusyJiffies();
  const timeTxt = (await fs.readFile(timeFile, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '';
  const [, u = 0, s = 0, m = 0] = timeTxt.split(/\s+/).map(Number);
  const [orphanTicks = 0, toolNs = NaN] = (await fs.readFile(orphanFile, 'utf8').catch(() => '')).trim().split(/\s+/).map(Number);
  const toolCpuS = childrenCpuS(await fs.readFile(`${orphanFile}.times`, 'utf8').catch(() => ''));
  await fs.rm(timeFile, { force: true });
  await fs.rm(orphanFile, { force: true });
  await fs.rm(`${orphanFile}.times`, { force: true });
  // the tool's own wall and CPU, without the harness (time, unshare, the /proc mount, this shell);
  // the harness's figures only if the shell could not report
  const wallMs = Number.isFinite(toolNs) && toolNs > 0 ? toolNs / 1e6 : harnessWallMs;
  return {
    code, stdout, stderr, wallMs, harnessWallMs,
    cpuS: (toolCpuS ?? u + s) + orphanTicks / CLK_TCK, orphanCpuS: orphanTicks / CLK_TCK,
    peakRssMb: Math.max(peakRss, m) / 1024, peakPssMb: peakPss / 1024, maxProcRssMb: m / 1024,
    machineCpuS: (busy1 - busy0) / CLK_TCK,
  };
}
