// POSIX shell quoting and an shlex-like splitter. Every value put into a command goes through quote().

/** Quotes one word for a POSIX shell: 'it'\''s'. Safe words stay bare for readable commands. */
export function quote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Quotes and joins words. */
export function quoteArgs(words: readonly string[]): string {
  return words.map(quote).join(' ');
}

/** Quotes a path pattern but leaves `*` and `?` live, so the shell still expands them. */
export function globQuote(pattern: string): string {
  return pattern
    .split(/([*?])/)
    .map((part) => (part === '*' || part === '?' ? part : part === '' ? '' : quote(part)))
    .join('');
}

export interface Token {
  value: string;
  start: number;
  end: number;
}

/** Splits like Python's shlex.split (POSIX mode), keeping each word's span in the input. */
export function shlexSplit(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    let word = '';
    while (i < s.length && !/\s/.test(s[i]!)) {
      const c = s[i]!;
      if (c === "'") {
        const j = s.indexOf("'", i + 1);
        if (j < 0) throw new Error('No closing quotation');
        word += s.slice(i + 1, j);
        i = j + 1;
      } else if (c === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1]!)) i++;
          word += s[i];
          i++;
        }
        if (i >= s.length) throw new Error('No closing quotation');
        i++;
      } else if (c === '\\' && i + 1 < s.length) {
        word += s[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    out.push({ value: word, start, end: i });
  }
  return out;
}
