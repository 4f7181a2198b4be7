// Rendering limits (docs/templating.md). A render that would pass one fails its task with a
// clear message: it never stalls other hosts or exhausts memory.

/** Text one render may produce: every inserted value and every loop iteration's output count. */
export const MAX_RENDER_CHARS = 16 * 1024 * 1024;
/** Blocks ({% if %}, {% for %}, ...), brackets and macro calls nested inside one another (Handlebars: blocks and helper calls). */
export const MAX_TEMPLATE_NESTING = 100;
/** Variables referring to variables, a -> b -> c -> ...: a longer chain is an error. */
export const MAX_VAR_CHAIN = 100;

/** Counts what one render produces; one per renderValue/renderString call. */
export interface RenderBudget {
  used: number;
}

export class RenderLimitError extends Error {}

export function newBudget(): RenderBudget {
  return { used: 0 };
}

export function charge(budget: RenderBudget | undefined, chars: number): void {
  if (!budget) return;
  budget.used += chars;
  if (budget.used > MAX_RENDER_CHARS) {
    throw new RenderLimitError(`template output exceeds the limit of ${mib(MAX_RENDER_CHARS)} (see docs/templating.md, "Limits")`);
  }
}

export function mib(chars: number): string {
  return `${chars / (1024 * 1024)} MiB`;
}
