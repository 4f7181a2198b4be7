// Controller cost of a task's variables (hostTaskVars) and of rendering its args, per host·task, at a
// given host count: the part of the executor's per-task work that could grow with the hosts (hostvars,
// ansible_play_hosts). Pure: the bench playbook loaded over an inventory of N made-up hosts, no SSH.
// usage: node --import tsx bench/vars-cost.ts [hosts=50,500] [rounds=3]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunContext } from '../runner/execute/context.js';
import { hostRun } from '../runner/execute/conns.js';
import { hostTaskVars } from '../runner/execute/vars.js';
import { renderValue } from '../runner/render/template.js';
import { loadPlan } from '../runner/run.js';
import { Redactor } from '../runner/secrets/redact.js';
import type { PlanItem, PlanTask } from '../runner/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function tasksOf(items: PlanItem[]): PlanTask[] {
  return items.flatMap((i) => ('block' in i ? [...tasksOf(i.block), ...tasksOf(i.rescue), ...tasksOf(i.always)] : [i as PlanTask]));
}

async function measure(n: number, rounds: number): Promise<{ varsUs: number; renderUs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'play-vars-cost-'));
  try {
    const hosts = Array.from({ length: n }, (_, i) => `        h${i + 1}: {ansible_host: 127.0.0.1, ansible_port: ${2000 + i}}`).join('\n');
    const inv = join(dir, 'inventory.yml');
    await writeFile(inv, `all:\n  children:\n    bench:\n      hosts:\n${hosts}\n`);
    const { plan } = await loadPlan({ playbook: join(ROOT, 'bench', 'playbooks', 'generic.yml'), inventory: [inv], extraVars: [] });
    const play = plan.plays[0]!;
    const ctx = {
      plan, inventory: plan.inventory, opts: { check: false, diff: false, forks: 50, verbose: false, force: false, verify: false, defaultTimeoutSec: 60 },
      emit: () => undefined, redactor: new Redactor(), hosts: new Map(), connect: () => Promise.reject(new Error('no')), state: null, interrupted: false,
    } as unknown as RunContext;
    ctx.playRun = { all: play.hosts, batch: play.hosts };
    const runs = play.hosts.map((h) => hostRun(ctx, h));
    const tasks = tasksOf(play.tasks);
    let best = { varsUs: Infinity, renderUs: Infinity };
    for (let r = 0; r < rounds; r++) {
      let varsNs = 0n;
      let renderNs = 0n;
      for (const t of tasks) {
        for (const h of runs) {
          const t0 = process.hrtime.bigint();
          const vars = hostTaskVars(ctx, play, h, t.vars, t);
          const t1 = process.hrtime.bigint();
          renderValue(t.args, vars, 'bench');
          varsNs += t1 - t0;
          renderNs += process.hrtime.bigint() - t1;
        }
      }
      const per = (ns: bigint) => Number(ns) / 1000 / (tasks.length * n);
      best = { varsUs: Math.min(best.varsUs, per(varsNs)), renderUs: Math.min(best.renderUs, per(renderNs)) };
    }
    return best;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sizes = (process.argv[2] ?? '50,500').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 3);
process.stdout.write('| hosts | vars µs per host·task | render µs per host·task |\n|---|---|---|\n');
for (const n of sizes) {
  const r = await measure(n, rounds);
  process.stdout.write(`| ${n} | ${r.varsUs.toFixed(1)} | ${r.renderUs.toFixed(1)} |\n`);
}
