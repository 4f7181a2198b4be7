// node dist/bench/host-cost.js [--hosts N] [--runs N] [--tools play,floor-one-exec] [--modes cold,warm]
// What a run costs the HOSTS, measured on the hosts (load-independent, unlike wall time on a shared
// machine): processes created per host (the pid namespace hands out pids in order: the change in
// ns_last_pid, less what the reading itself costs) and CPU per host (everything sshd ran for the run,
// summed from the listener's reaped children: cutime + cstime), plus play's commands per host (--json
// recap "execs"). Hosts: PLAY_TESTBED_DIR / PLAY_TESTBED_FIRST_IP (default the bench's). Writes nothing
// into bench/results.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPool } from './hosts.js';
import { changedCount, invocation, type Mode, type Tool } from './tools.js';
import type { TestHost } from '../testbed/host.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PLAYBOOK = join(ROOT, 'bench', 'playbooks', 'generic.yml');
const TICK = 100; // USER_HZ

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] ?? dflt : dflt;
}

/** The host's sshd listener: the namespace init's sshd child (in this machine's pid namespace). */
async function listener(h: TestHost): Promise<number> {
  const kids = (await fs.readFile(`/proc/${h.initPid}/task/${h.initPid}/children`, 'utf8')).trim().split(/\s+/).map(Number);
  for (const k of kids) if (/sshd/.test(await fs.readFile(`/proc/${k}/cmdline`, 'utf8').catch(() => ''))) return k;
  throw new Error(`${h.name}: no sshd listener`);
}

async function statOf(pid: number): Promise<{ own: number; reaped: number; kids: string[] }> {
  const s = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ').map(Number);
  const kids = (await fs.readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim();
  return { own: f[11]! + f[12]!, reaped: f[13]! + f[14]!, kids: kids ? kids.split(/\s+/) : [] };
}

/**
 * CPU ticks of everything sshd ran that has ended: the listener's own and its reaped children's, plus
 * what the namespace's init reaped (a session's shell left behind re-parents to it). busy: something
 * besides the listener still runs.
 */
async function cpuOf(h: TestHost, lis: number): Promise<{ ticks: number; busy: boolean }> {
  const [l, init] = await Promise.all([statOf(lis), statOf(h.initPid)]);
  return { ticks: l.own + l.reaped + init.reaped, busy: l.kids.length > 0 || init.kids.length > 1 };
}

async function lastPid(h: TestHost): Promise<number> {
  const r = await h.exec('cat /proc/sys/kernel/ns_last_pid');
  return Number(r.stdout.trim());
}

async function settle(hosts: TestHost[], pids: number[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const st = await Promise.all(pids.map((p, k) => cpuOf(hosts[k]!, p)));
    if (!st.some((s) => s.busy)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; ms: number }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', (code) => resolve({ code: code ?? -1, stdout: out, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
}

async function main(): Promise<void> {
  const n = Number(arg('--hosts', '10'));
  const runs = Number(arg('--runs', '1'));
  const tools = arg('--tools', 'play,floor-one-exec').split(',') as Tool[];
  const modes = arg('--modes', 'cold,warm').split(',') as Mode[];
  const pool = await startPool(n, process.env.PLAY_TESTBED_DIR || '/srv/testbed-bench', process.env.PLAY_TESTBED_FIRST_IP || '127.0.50.2');
  const scratch = await fs.mkdtemp(join(tmpdir(), 'play-hostcost-'));
  const rows: string[] = ['| tool | mode | wall ms | host CPU ms/host | processes/host | commands/host | load |', '|---|---|---|---|---|---|---|'];
  try {
    const inventory = await pool.inventory(n);
    // what one ns_last_pid read costs (nsenter, chroot, sh, cat)
    const h0 = pool.hosts[0]!;
    const readCost = -(await lastPid(h0)) + (await lastPid(h0));
    for (let i = 0; i < runs; i++) {
      for (const tool of tools) {
        for (const mode of modes) {
          if (mode === 'cold') await pool.reset(n);
          else {
            // warm: the hosts hold the result of a run already
            const dir = await fs.mkdtemp(join(scratch, 'prime-'));
            const inv = await invocation('play', 'warm', { root: ROOT, playbook: PLAYBOOK, inventory, knownHosts: pool.knownHostsPath, hosts: n, dir, stateDir: join(dir, 's') });
            await runTool(inv.cmd, inv.args, inv.env, dir);
          }
          const hosts = pool.hosts.slice(0, n);
          const lis = await Promise.all(hosts.map(listener));
          await settle(hosts, lis);
          const p0 = await Promise.all(hosts.map(lastPid));
          const c0 = await Promise.all(lis.map((p, k) => cpuOf(hosts[k]!, p)));
          const dir = await fs.mkdtemp(join(scratch, `${tool}-`));
          const inv = await invocation(tool, mode, { root: ROOT, playbook: PLAYBOOK, inventory, knownHosts: pool.knownHostsPath, hosts: n, dir, stateDir: join(dir, 's') });
          const load = (await fs.readFile('/proc/loadavg', 'utf8')).split(' ')[0];
          const r = await runTool(inv.cmd, inv.args, inv.env, dir);
          await settle(hosts, lis);
          const c1 = await Promise.all(lis.map((p, k) => cpuOf(hosts[k]!, p)));
          const p1 = await Promise.all(hosts.map(lastPid));
          const procs = p1.reduce((s, p, k) => s + p - p0[k]! - readCost, 0) / n;
          const cpu = c1.reduce((s, c, k) => s + c.ticks - c0[k]!.ticks, 0) / n * (1000 / TICK);
          let cmds = '–';
          if (tool === 'play') {
            const recap = r.stdout.split('\n').filter((l) => l.includes('"kind":"recap"')).pop();
            if (recap) {
              const hs = Object.values((JSON.parse(recap) as { hosts: Record<string, { execs?: number }> }).hosts);
              cmds = (hs.reduce((s, h) => s + (h.execs ?? 0), 0) / hs.length).toFixed(1);
            }
          }
          const ok = r.code === 0 ? '' : ` (exit ${r.code})`;
          rows.push(`| ${tool}${ok} | ${mode} | ${r.ms.toFixed(0)} | ${cpu.toFixed(0)} | ${procs.toFixed(1)} | ${cmds} | ${load} |`);
          process.stderr.write(`${rows[rows.length - 1]} changed ${changedCount(tool, r.stdout)}\n`);
        }
      }
    }
  } finally {
    await pool.stop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
  process.stdout.write(rows.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
