// Unified diffs for --diff. The `diff` package loads on first use: runs without --diff never pay for it.
import type * as Diff from 'diff';
import { requireDependency } from '../dependencies.js';

let loaded: typeof Diff | undefined;

export function unifiedDiff(...args: Parameters<typeof Diff.createTwoFilesPatch>): string {
  loaded ??= requireDependency<typeof Diff>('diff');
  return loaded.createTwoFilesPatch(...args);
}
