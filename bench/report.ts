// Bench results: medians with min/max, the table, the targets, and the files in bench/results/.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Measured } from './measure.js';
import type { Mode, Tool } from './tools.js';

export type Sample = Omit<Measured, 'stdout' | 'stderr'> & { changed?: number; floorExecMs?: number; floorConnectMs?: number };

export interface CaseResult {
  id: string;
  label: string;
  hosts: number;
  mode: Mode;
  tasks: number;
  samples: Partial<Record<Tool, Sample[]>>;
}

export interface Stat { median: number; min: number; max: number }

export function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return { median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

const med = (c: CaseResult, t: Tool, f: (s: Sample) => number | undefined) =>
  stat((c.samples[t] ?? []).map(f).filter((x): x is number => x !== undefined)).median;

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const range = (s: Stat, f: (x: number) => string) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;

/** Reference wall time for a case: Ansible in the same case, or Ansible warm for the state rerun. */
function ansibleWall(c: CaseResult, all: CaseResult[]): number {
  const ref = c.mode === 'state' ? all.find((x) => x.hosts === c.hosts && x.mode === 'warm') : c;
  return ref ? med(ref, 'ansible', (s) => s.wallMs) : NaN;
}

function floorWall(c: CaseResult, all: CaseResult[]): number {
  const ref = c.mode === 'state' ? all.find((x) => x.hosts === c.hosts && x.mode === 'warm') : c;
  return ref ? med(ref, 'floor', (s) => s.wallMs) : NaN;
}

export function table(cases: CaseResult[]): string {
  const head = '| case | tool | wall ms median (min–max) | controller CPU s | machine CPU s | peak RSS MB (tree) | peak PSS MB | ms/task/host | × faster than Ansible | × floor (with setup) |';
  const rows = [head, '|' + '---|'.repeat(10)];
  for (const c of cases) {
    for (const t of ['play', 'ansible', 'floor'] as Tool[]) {
      const ss = c.samples[t];
      if (!ss?.length) continue;
      const wall = stat(ss.map((s) => s.wallMs));
      const vsA = ansibleWall(c, cases) / wall.median;
      const vsF = wall.median / floorWall(c, cases);
      rows.push(`| ${c.label} | ${t} | ${range(wall, f0)} | ${range(stat(ss.map((s) => s.cpuS)), f2)} | ${f2(stat(ss.map((s) => s.machineCpuS)).median)} | `
        + `${f0(stat(ss.map((s) => s.peakRssMb)).median)} | ${f0(stat(ss.map((s) => s.peakPssMb)).median)} | ${f2(wall.median / (c.tasks * c.hosts))} | `
        + `${t === 'ansible' ? '1' : f1(vsA)} | ${t === 'floor' ? '1' : f2(vsF)} |`);
      if (t === 'floor') {
        const ex = stat(ss.map((s) => s.floorExecMs ?? NaN).filter(Number.isFinite));
        rows.push(`| ${c.label} | floor, no setup | ${range(ex, f0)} | | | | | ${f2(ex.median / (c.tasks * c.hosts))} | ${f1(ansibleWall(c, cases) / ex.median)} | |`);
      }
    }
  }
  return rows.join('\n');
}

export interface Target { what: string; measured: string; ok: boolean }

export function targets(cases: CaseResult[]): Target[] {
  const out: Target[] = [];
  for (const c of cases) {
    const play = med(c, 'play', (s) => s.wallMs);
    if (!Number.isFinite(play)) continue;
    const speed = ansibleWall(c, cases) / play;
    const need = c.mode === 'state' ? 50 : 20;
    out.push({ what: `${c.label}: ≥ ${need}× faster than Ansible${c.mode === 'state' ? ' warm' : ''}`, measured: `${f1(speed)}×`, ok: speed >= need });
    if (c.mode === 'cold') {
      const vsF = play / med(c, 'floor', (s) => s.wallMs);
      out.push({ what: `${c.label}: within 2× the floor (with setup)`, measured: `${f2(vsF)}×`, ok: vsF <= 2 });
    }
    if (c.mode !== 'state') {
      const cpu = med(c, 'play', (s) => s.cpuS) / med(c, 'ansible', (s) => s.cpuS);
      out.push({ what: `${c.label}: controller CPU per task ≤ 1/10 of Ansible's`, measured: `1/${f1(1 / cpu)}`, ok: cpu <= 0.1 });
    }
    if (c.hosts >= 50) {
      const rss = med(c, 'play', (s) => s.peakRssMb);
      out.push({ what: `${c.label}: peak RSS ≤ 150 MB`, measured: `${f0(rss)} MB`, ok: rss <= 150 });
    }
  }
  return out;
}

export function markdown(cases: CaseResult[], meta: Record<string, unknown>, notes: string[]): string {
  const t = targets(cases);
  return [
    `# play vs Ansible vs the floor — ${String(meta.when)}`, '',
    `Machine: ${String(meta.machine)}. Runs per case: ${String(meta.runs)} (A/B interleaved). Playbook: ${String(meta.playbook)} (${String(meta.tasks)} tasks).`, '',
    table(cases), '',
    '## Targets', '', '| target | measured | met |', '|---|---|---|',
    ...t.map((x) => `| ${x.what} | ${x.measured} | ${x.ok ? 'yes' : '**no**'} |`), '',
    '## Notes', '', ...notes.map((n) => `- ${n}`), '',
  ].join('\n');
}

export async function writeResults(dir: string, cases: CaseResult[], meta: Record<string, unknown>, notes: string[]): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const stamp = String(meta.when).replace(/[:.]/g, '-');
  const md = markdown(cases, meta, notes);
  await fs.writeFile(join(dir, `${stamp}.json`), JSON.stringify({ meta, notes, cases, targets: targets(cases) }, null, 2) + '\n');
  await fs.writeFile(join(dir, `${stamp}.md`), md);
  await fs.writeFile(join(dir, 'latest.md'), md);
  return join(dir, `${stamp}.md`);
}
