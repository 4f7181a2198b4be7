// Shared test helpers: recorded probe outputs, a decide context, step command lists.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DecideContext, Decision, Step } from '../../../runner/modules/types.js';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A recorded probe output. */
export const fx = (name: string): string => readFileSync(`${dir}${name}.txt`, 'utf8');

export const dctx = (over: Partial<DecideContext> = {}): DecideContext => ({ host: 'h1', check: false, diff: false, vars: {}, ...over });

/** The exec commands (and `put <path>` for puts) of a decision. */
export function cmds(d: Decision): string[] {
  if (d.kind !== 'change') throw new Error(`expected change, got ${d.kind}: ${JSON.stringify(d)}`);
  return d.steps.map((s: Step) => (s.kind === 'exec' ? s.cmd : s.kind === 'put' ? `put ${s.path}${s.mode !== undefined ? ` ${s.mode.toString(8)}` : ''}${s.owner !== undefined ? ` as ${s.owner}` : ''}` : `call ${s.describe}`));
}

export function reason(d: Decision): string {
  if (d.kind !== 'noop') throw new Error(`expected noop, got ${d.kind}: ${JSON.stringify(d)}`);
  return d.reason;
}

export function failMsg(d: Decision): string {
  if (d.kind !== 'fail') throw new Error(`expected fail, got ${d.kind}: ${JSON.stringify(d)}`);
  return d.msg;
}
