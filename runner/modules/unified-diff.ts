// Unified diffs for --diff. The `diff` package loads on first use: runs without --diff never pay for it.
import { createRequire } from 'node:module';
import type * as Diff from 'diff';

const requireCjs = createRequire(import.meta.url);
let loaded: typeof Diff | undefined;

export function unifiedDiff(...args: Parameters<typeof Diff.createTwoFilesPatch>): string {
  loaded ??= requireCjs('diff') as typeof Diff;
  return loaded.createTwoFilesPatch(...args);
}
