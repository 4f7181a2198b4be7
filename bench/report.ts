// Bench results: medians with min/max, the table, the targets, and the files in bench/results/.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Measured } from './measure.js';
import { isFloor, TOOLS, TRUE_FLOOR, type Mode, type Tool } from './tools.js';

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

/** Reference for a case: the same case, or the warm case for the state rerun (nothing to change in both). */
function refCase(c: CaseResult, all: CaseResult[]): CaseResult | undefined {
  return c.mode === 'state' ? all.find((x) => x.hosts === c.hosts && x.mode === 'warm') : c;
}

const refWall = (c: CaseResult, all: CaseResult[], t: Tool) => {
  const ref = refCase(c, all);
  return ref ? med(ref, t, (s) => s.wallMs) : NaN;
};

export function table(cases: CaseResult[]): string {
  const head = '| case | tool | wall ms median (min–max) | controller CPU s | machine CPU s | peak RSS MB (tree) | peak PSS MB | ms/task/host | × faster than Ansible | × faster than Mitogen | × true floor |';
  const rows = [head, '|' + '---|'.repeat(11)];
  for (const c of cases) {
    for (const t of TOOLS) {
      const ss = c.samples[t];
      if (!ss?.length) continue;
      const wall = stat(ss.map((s) => s.wallMs));
      const vsA = refWall(c, cases, 'ansible') / wall.median;
      const vsM = refWall(c, cases, 'mitogen') / wall.median;
      const vsF = wall.median / refWall(c, cases, TRUE_FLOOR);
      rows.push(`| ${c.label} | ${t} | ${range(wall, f0)} | ${range(stat(ss.map((s) => s.cpuS)), f2)} | ${f2(stat(ss.map((s) => s.machineCpuS)).median)} | `
        + `${f0(stat(ss.map((s) => s.peakRssMb)).median)} | ${f0(stat(ss.map((s) => s.peakPssMb)).median)} | ${f2(wall.median / (c.tasks * c.hosts))} | `
        + `${t === 'ansible' ? '1' : f1(vsA)} | ${t === 'mitogen' ? '1' : f1(vsM)} | ${t === TRUE_FLOOR ? '1' : f2(vsF)} |`);
      if (isFloor(t)) {
        const ex = stat(ss.map((s) => s.floorExecMs ?? NaN).filter(Number.isFinite));
        rows.push(`| ${c.label} | ${t}, no setup | ${range(ex, f0)} | | | | | ${f2(ex.median / (c.tasks * c.hosts))} | ${f1(refWall(c, cases, 'ansible') / ex.median)} | | |`);
      }
    }
  }
  return rows.join('\n');
}

export interface Target { what: string; measured: string; ok: boolean }

/** The targets of the performance issue (#20): every ratio against the true floor. */
export function targets(cases: CaseResult[]): Target[] {
  const out: Target[] = [];
  const perHostTask = (c: CaseResult, t: Tool) => med(c, t, (s) => s.cpuS) / (c.tasks * c.hosts);
  for (const c of cases) {
    const play = med(c, 'play', (s) => s.wallMs);
    if (!Number.isFinite(play)) continue;
    const vsFloor = play / refWall(c, cases, TRUE_FLOOR);
    if (c.mode === 'cold' && c.hosts >= 10) {
      out.push({ what: `${c.label}: ≤ 1.15× the true floor`, measured: `${f2(vsFloor)}×`, ok: vsFloor <= 1.15 });
    }
    if (c.mode === 'warm' && c.hosts === 10) {
      out.push({ what: `${c.label}: ≤ 1.3× the true floor`, measured: `${f2(vsFloor)}×`, ok: vsFloor <= 1.3 });
    }
    if (c.mode === 'state') {
      const speed = refWall(c, cases, 'ansible') / play;
      out.push({ what: `${c.label}: ≥ 150× faster than Ansible warm`, measured: `${f1(speed)}×`, ok: speed >= 150 });
    }
    if (c.mode === 'cold' && c.hosts >= 50) {
      const speed = refWall(c, cases, 'mitogen') / play;
      out.push({ what: `${c.label}: ≥ 15× faster than Ansible + Mitogen`, measured: `${f1(speed)}×`, ok: speed >= 15 });
      const cpu = perHostTask(c, 'play') / perHostTask(c, TRUE_FLOOR);
      out.push({ what: `${c.label}: controller CPU per host·task ≤ 2× the true floor's`, measured: `${f2(cpu)}×`, ok: cpu <= 2 });
      const rss = med(c, 'play', (s) => s.peakRssMb);
      out.push({ what: `${c.label}: peak RSS ≤ 150 MB (the earlier round's target)`, measured: `${f0(rss)} MB`, ok: rss <= 150 });
    }
  }
  return out;
}

export function markdown(cases: CaseResult[], meta: Record<string, unknown>, notes: string[], sections: string[] = [], extra: Target[] = []): string {
  const t = [...targets(cases), ...extra];
  return [
    `# play vs Ansible, Ansible + Mitogen and the floors — ${String(meta.when)}`, '',
    `Machine: ${String(meta.machine)}. Runs per case: ${String(meta.runs)} (A/B interleaved). Playbook: ${String(meta.playbook)} (${String(meta.tasks)} tasks).`, '',
    table(cases), '',
    '## Targets', '', '| target | measured | met |', '|---|---|---|',
    ...t.map((x) => `| ${x.what} | ${x.measured} | ${x.ok ? 'yes' : '**no**'} |`), '',
    ...sections,
    '## Notes', '', ...notes.map((n) => `- ${n}`), '',
  ].join('\n');
}

export async function writeResults(dir: string, cases: CaseResult[], meta: Record<string, unknown>, notes: string[], sections: string[] = [], extra: Target[] = []): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const stamp = String(meta.when).replace(/[:.]/g, '-');
  const md = markdown(cases, meta, notes, sections, extra);
  await fs.writeFile(join(dir, `${stamp}.json`), JSON.stringify({ meta, notes, cases, targets: [...targets(cases), ...extra] }, null, 2) + '\n');
  await fs.writeFile(join(dir, `${stamp}.md`), md);
  await fs.writeFile(join(dir, 'latest.md'), md);
  return join(dir, `${stamp}.md`);
}
