// --check as a plan: the decision on the overlaid probe is not carried out; its predicted effects
// join the host's model (runner/predict/), and what cannot be known yet is said to be unknown.
import type { ChangeDecision, Decision, ModuleDef, PredictedEffect, PredictView } from '../modules/types.js';
import { PredictedState, type Actor } from '../predict/model.js';
import { unknownSummary } from '../predict/unknown.js';
import type { Outcome, PlanTask } from '../types.js';
import type { HostRun } from './context.js';

/** What a check-mode run of one module produced beyond its outcome. */
export interface Planned {
  outcome: Outcome;
  /** Result keys a real run would add (a command's rc and stdout) are unknown: register sees only `known`. */
  unknownResult?: { dependsOn: string; known: Record<string, unknown> };
}

/** The task's name as the plan shows it in "depends on". */
export const planName = (task: Pick<PlanTask, 'name' | 'role'>): string => (task.role ? `${task.role} : ${task.name}` : task.name);

export function predictView(host: HostRun, actor: Actor): PredictView {
  host.predicted ??= new PredictedState();
  return { state: host.predicted, actor };
}

export function actorOf(user: string): Actor {
  return user === 'root' ? { user, group: 'root' } : { user };
}

/** The latest change the model could not follow: what an unexpected failure may depend on. */
export function lastOpaque(view: PredictView): string | undefined {
  return view.state.lastOpaque()?.by;
}

/**
 * A failure under --check after an opaque change is not a prediction: the change may be exactly what
 * is missing (a package's config directory, its service). Controller-side modules never depend on one.
 */
export function failureOrUnknown<A, P>(mod: ModuleDef<A, P>, view: PredictView, msg: string): Outcome {
  const by = mod.controllerOnly ? undefined : lastOpaque(view);
  return by === undefined ? { status: 'failed', msg } : { status: 'unknown', summary: unknownSummary(by, `now: ${msg}`), dependsOn: by };
}

/** Applies a change's predicted effects to the model; returns them (opaque when the module cannot say). */
export function predictChange<A, P>(mod: ModuleDef<A, P>, args: A, probe: P, d: ChangeDecision, view: PredictView, by: string): PredictedEffect[] {
  const effects = mod.predict ? mod.predict(args, probe, d, view) : [{ kind: 'opaque' as const, what: d.summary, paths: true }];
  view.state.apply(effects, by, view.actor);
  return effects;
}

export function isOpaque(effects: readonly PredictedEffect[]): boolean {
  return effects.some((e) => e.kind === 'opaque');
}

export type { Decision };
