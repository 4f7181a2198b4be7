// "did you mean X?" for unknown keys, modules and roles.

/** Edit distance (insert, delete, substitute, swap of neighbours; each costs 1). */
export function levenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate, when it is likely what was meant: one edit (a typo, a swap) for a short
 * word, two for one of 7 characters or more, and then only with the same first letter; a tie between
 * two candidates suggests nothing. A wrong guess sends the reader the wrong way, so a miss is better.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length < 7 ? 1 : 2;
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const c of new Set(candidates)) {
    const lc = c.toLowerCase();
    const d = levenshtein(w, lc);
    if (d > limit || (d === 2 && lc[0] !== w[0])) continue;
    if (d < bestD) {
      best = c;
      bestD = d;
      tie = false;
    } else if (d === bestD && c !== best) tie = true;
  }
  return tie ? undefined : best;
}

/** "; did you mean 'x'?" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `; did you mean '${c}'?`;
}

/** For a value outside an enum: the closest allowed value, else the longest one the value contains
 *  (a site pasted as a URL: "https://app.datadoghq.eu/" contains "datadoghq.eu"). */
export function didYouMeanValue(value: unknown, allowed: unknown[]): string {
  if (typeof value !== 'string' || value === '') return '';
  const strings = allowed.filter((a): a is string => typeof a === 'string');
  const near = closest(value, strings);
  if (near !== undefined) return `; did you mean '${near}'?`;
  const inside = strings.filter((s) => s.length >= 4 && value.toLowerCase().includes(s.toLowerCase())).sort((a, b) => b.length - a.length)[0];
  return inside === undefined ? '' : `; did you mean '${inside}'?`;
}
