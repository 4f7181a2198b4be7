// Test helper: probe (one exec) -> decide -> apply -> probe -> noop, on this machine.
import { expect } from 'chai';
import type { Decision, ModuleDef, ProbeContext } from '../../../runner/modules/types.js';
import { applySteps } from '../../../runner/execute/apply.js';
import { localConn } from './local-conn.js';
import { dctx } from './helpers.js';

/** One probe (asserting it used exactly one exec) and a decision. */
export async function step<A>(m: ModuleDef<A>, args: A, diff = false, check = false): Promise<Decision> {
  const conn = localConn();
  const ctx: ProbeContext = { conn, host: 'local', vars: {}, diff };
  const probe = await m.probe(args, ctx);
  expect(conn.execCount, `${m.name} probe execs`).to.equal(1);
  return m.decide(args, probe, dctx({ diff, check }));
}

/** Applies a change decision's steps locally. */
export async function apply(d: Decision): Promise<Record<string, unknown>> {
  expect(d.kind, JSON.stringify(d)).to.equal('change');
  if (d.kind !== 'change') return {};
  const applied = await applySteps(localConn(), d.steps, { timeoutMs: 30_000 });
  expect(applied.ok, JSON.stringify(applied)).to.equal(true);
  return applied.result;
}

/** change, apply, then noop; returns the noop reason. */
export async function converge<A>(m: ModuleDef<A>, args: A): Promise<string> {
  await apply(await step(m, args, true));
  const second = await step(m, args);
  expect(second.kind, JSON.stringify(second)).to.equal('noop');
  return second.kind === 'noop' ? second.reason : '';
}
