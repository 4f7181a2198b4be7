// vars_prompt: each play's questions, asked when the play starts (as Ansible does); an answer, or the
// default for an empty one, becomes a play variable. -e wins and is not asked for.
import type { Plan, PlanPlay, Vars, VarsPrompt } from '../types.js';
import type { RunContext } from './context.js';

/** Asks one prompt on the terminal; absent where there is no terminal to ask on. */
export type AskVar = (p: VarsPrompt, question: string) => Promise<string>;

/** The question as Ansible prints it: the prompt, with the default in brackets. */
export function questionOf(p: VarsPrompt): string {
  return p.default === undefined ? `${p.prompt}: ` : `${p.prompt} [${String(p.default)}]: `;
}

/**
 * Checked before anything runs: without a terminal, a prompt that -e does not answer and that has
 * no default cannot be answered. Returns the one clear error, or undefined.
 */
export function unanswerablePrompts(plan: Plan, canAsk: boolean): string | undefined {
  if (canAsk) return undefined;
  const missing = plan.plays.flatMap((play) => (play.varsPrompt ?? []).filter((p) => p.default === undefined && !Object.hasOwn(plan.extraVars, p.name)));
  if (missing.length === 0) return undefined;
  const lines = missing.map((p) => `${p.src.file}:${p.src.line}:${p.src.col}: vars_prompt '${p.name}' needs an answer, and there is no terminal to ask on; give it with -e ${p.name}=... or set a default`);
  return lines.join('\n');
}

/** The play with its prompts answered (in its vars); private answers are secrets from now on. */
export async function withPromptAnswers(ctx: RunContext, play: PlanPlay, ask: AskVar | undefined): Promise<PlanPlay> {
  const prompts = (play.varsPrompt ?? []).filter((p) => !Object.hasOwn(ctx.plan.extraVars, p.name));
  if (prompts.length === 0) return play;
  const answers: Vars = {};
  for (const p of prompts) {
    const typed = ask ? await ask(p, questionOf(p)) : '';
    // what was typed at a private prompt (a password, mostly) is a secret; a default is in the playbook
    if (p.private && typed !== '') ctx.redactor.add(typed);
    answers[p.name] = typed === '' && p.default !== undefined ? p.default : typed;
  }
  // a play variable like the others, as in Ansible (which templates answers unless `unsafe: true`)
  return { ...play, vars: { ...play.vars, ...answers } };
}
