// Diffs are the one place where content play never knew was secret shows up: the before side of a file
// after a secret was rotated. The rules (docs/secrets.md):
//  - a file whose desired content holds a secret is masked whole: every line of both sides is `********`,
//    so nothing of its old side is ever printed;
//  - in any other diff, a line holding a secret is masked, and so is the line it replaces (the paired
//    `-` line of the same change run), on both sides.
import type * as Diff from 'diff';
import { requireDependency } from '../dependencies.js';
import { MASK, type Redactor } from './redact.js';

/** The unified diff of a file, old -> new, with the masking rules applied. */
export function maskedFileDiff(redactor: Redactor, path: string, before: string, after: string): string {
  const diff = requireDependency<typeof Diff>('diff').createTwoFilesPatch(path, path, before, after, 'before', 'after');
  if (redactor.holdsSecret(after) || redactor.holdsSecret(path)) return maskAllLines(diff);
  return maskDiffText(redactor, diff);
}

/** Masks a diff given only as text (API objects, grants): secret lines and the lines they pair with. */
export function maskDiffText(redactor: Redactor, diff: string): string {
  const lines = diff.split('\n');
  const kinds = classify(lines);
  const out = [...lines];
  let i = 0;
  while (i < lines.length) {
    if (kinds[i] !== '-' && kinds[i] !== '+') {
      if (kinds[i] === ' ' && redactor.holdsSecret(lines[i]!)) out[i] = ` ${MASK}`;
      else if (kinds[i] === 'head') out[i] = redactor.redact(lines[i]!);
      i++;
      continue;
    }
    // One change run: the removed lines, then the added lines; the k-th of each pair up.
    const minus: number[] = [];
    const plus: number[] = [];
    while (i < lines.length && kinds[i] === '-') minus.push(i++);
    while (i < lines.length && kinds[i] === '+') plus.push(i++);
    for (let k = 0; k < Math.max(minus.length, plus.length); k++) {
      const m = minus[k];
      const p = plus[k];
      if ((m !== undefined && redactor.holdsSecret(lines[m]!)) || (p !== undefined && redactor.holdsSecret(lines[p]!))) {
        if (m !== undefined) out[m] = `-${MASK}`;
        if (p !== undefined) out[p] = `+${MASK}`;
      }
    }
  }
  return out.join('\n');
}

/** Keeps the headers and hunk ranges, masks every content line. */
export function maskAllLines(diff: string): string {
  const lines = diff.split('\n');
  const kinds = classify(lines);
  return lines.map((l, i) => (kinds[i] === '-' || kinds[i] === '+' || kinds[i] === ' ' ? `${kinds[i]}${MASK}` : l)).join('\n');
}

type LineKind = 'head' | '@@' | '-' | '+' | ' ' | 'other';

/** Header lines come before the first hunk; inside hunks the first character says the side. */
function classify(lines: string[]): LineKind[] {
  let inHunk = false;
  return lines.map((l) => {
    if (l.startsWith('@@')) { inHunk = true; return '@@'; }
    if (!inHunk) {
      if (/^(-|\+)/.test(l) && !/^(--- |\+\+\+ )/.test(l)) return l[0] as '-' | '+'; // a hand-made diff with no hunks
      return 'head';
    }
    const c = l[0];
    return c === '-' || c === '+' || c === ' ' ? c : 'other';
  });
}
