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

/** The closest candidate within a distance that scales with the word's length, if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestD && d <= limit) {
      best = c;
      bestD = d;
    }
  }
  return best;
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
