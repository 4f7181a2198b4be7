// The scale series: play and the true floor, cold, at growing host counts. Real test hosts up to
// what the machine holds (the main pool's 1, 10 and 50), then STAND-IN hosts (bench/standin-hosts.ts),
// measured from 50 up so the linearity check compares like with like.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { measure, type Measured } from './measure.js';
import { stat, type Target } from './report.js';
import { startStandins } from './standin-hosts.js';
import { changedCount, invocation, type Tool } from './tools.js';

export type HostKind = 'test host' | 'stand-in';

export interface ScaleRow {
  hosts: number;
  kind: HostKind;
  tool: string;
  forks: number;
  wallMs: number;
  cpuS: number;
  peakRssMb: number;
  runs: number;
}

export interface ScaleOptions {
  root: string;
  playbook: string;
  tasks: number;
  sizes: number[];
  runs: number;
  scratch: string;
  baseDir: string;
  firstIp: string;
  log: (s: string) => void;
  notes: string[];
}

type Variant = { tool: Tool; label: string; forks?: number };

/** play with every host at once, play with its default --forks, and the true floor. */
function variants(n: number): Variant[] {
  const out: Variant[] = [{ tool: 'play', label: 'play', forks: n }];
  if (n > 50) out.push({ tool: 'play', label: 'play (default --forks 50)' });
  out.push({ tool: 'floor-one-exec', label: 'floor-one-exec' });
  return out;
}

export async function runScale(o: ScaleOptions): Promise<ScaleRow[]> {
  const max = Math.max(...o.sizes);
  o.log(`scale: starting ${max} stand-in hosts from ${o.firstIp}`);
  const pool = await startStandins(max, o.baseDir, o.firstIp);
  const rows: ScaleRow[] = [];
  try {
    for (const n of o.sizes) {
      const inventory = await pool.inventory(n);
      const samples = new Map<string, Measured[]>();
      for (let i = 0; i < o.runs; i++) {
        for (const v of variants(n)) {
          await pool.reset(n);
          const dir = await fs.mkdtemp(join(o.scratch, `scale-${n}-`));
          const ctx = { root: o.root, playbook: o.playbook, inventory, knownHosts: pool.knownHostsPath, hosts: n, dir, stateDir: join(dir, 'state') };
          const inv = await invocation(v.tool, 'cold', ctx);
          const args = v.forks === undefined ? inv.args.filter((a, k, all) => a !== '--forks' && all[k - 1] !== '--forks') : inv.args;
          const m = await measure(inv.cmd, args, { env: inv.env, tmpDir: dir, cwd: dir });
          const changed = changedCount(v.tool, m.stdout);
          if (m.code !== 0 || !changed) {
            o.notes.push(`scale ${n} stand-ins, ${v.label}: exit ${m.code}, changed ${changed}; sample dropped. ${(m.stderr + m.stdout).trim().slice(-300).replace(/\s+/g, ' ')}`);
            continue;
          }
          o.log(`scale ${n} ${v.label} run ${i + 1}: ${m.wallMs.toFixed(0)} ms`);
          const list = samples.get(v.label) ?? [];
          list.push(m);
          samples.set(v.label, list);
        }
      }
      for (const v of variants(n)) {
        const ss = samples.get(v.label);
        if (!ss?.length) continue;
        rows.push({
          hosts: n, kind: 'stand-in', tool: v.label, forks: v.forks ?? 50, runs: ss.length,
          wallMs: stat(ss.map((s) => s.wallMs)).median, cpuS: stat(ss.map((s) => s.cpuS)).median, peakRssMb: stat(ss.map((s) => s.peakRssMb)).median,
        });
      }
    }
  } finally {
    await pool.stop();
  }
  return rows;
}

/** The scale targets, for the largest size: linear (≤ 1.2× the 50-host ms per host·task) and ≤ 2 MB RSS per host past 50. */
export function scaleTargets(rows: ScaleRow[], tasks: number): Target[] {
  const out: Target[] = [];
  const max = Math.max(0, ...rows.map((r) => r.hosts));
  for (const r of rows.filter((x) => x.hosts === max && max > 50 && x.tool.startsWith('play'))) {
    const base = rows.find((x) => x.hosts === 50 && x.kind === r.kind && x.tool === 'play');
    if (!base) continue;
    const ratio = (r.wallMs / (r.hosts * tasks)) / (base.wallMs / (base.hosts * tasks));
    const rss = (r.peakRssMb - base.peakRssMb) / (r.hosts - 50);
    out.push({ what: `${r.hosts} hosts cold (${r.kind}s), ${r.tool}: ms per host·task ≤ 1.2× the 50-host figure`, measured: `${ratio.toFixed(2)}×`, ok: ratio <= 1.2 });
    out.push({ what: `${r.hosts} hosts cold (${r.kind}s), ${r.tool}: peak RSS ≤ 2 MB per host past the first 50`, measured: `${rss.toFixed(2)} MB`, ok: rss <= 2 });
  }
  return out;
}

/** The scale table, with per host·task figures and the growth of RSS per host past the first 50. */
export function scaleTable(rows: ScaleRow[], tasks: number): string {
  const out = ['| hosts | kind | tool | runs | wall ms | ms per host·task | controller CPU s | CPU ms per host·task | peak RSS MB | RSS MB per host past 50 | ms per host·task ÷ 50-host figure |',
    '|' + '---|'.repeat(11)];
  for (const r of rows) {
    const base = rows.find((x) => x.hosts === 50 && x.kind === r.kind && x.tool === r.tool.replace(' (default --forks 50)', ''));
    const perHT = r.wallMs / (r.hosts * tasks);
    const basePerHT = base ? base.wallMs / (base.hosts * tasks) : NaN;
    const rssPerHost = base && r.hosts > 50 ? (r.peakRssMb - base.peakRssMb) / (r.hosts - 50) : NaN;
    out.push(`| ${r.hosts} | ${r.kind} | ${r.tool} | ${r.runs} | ${r.wallMs.toFixed(0)} | ${perHT.toFixed(3)} | ${r.cpuS.toFixed(2)} | `
      + `${((r.cpuS * 1000) / (r.hosts * tasks)).toFixed(3)} | ${r.peakRssMb.toFixed(0)} | ${Number.isFinite(rssPerHost) ? rssPerHost.toFixed(2) : '–'} | `
      + `${Number.isFinite(basePerHT) && r.hosts !== 50 ? (perHT / basePerHT).toFixed(2) : '–'} |`);
  }
  return out.join('\n');
}
