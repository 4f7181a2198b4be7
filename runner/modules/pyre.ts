// Python `re` patterns and replacement templates in JavaScript, for the modules whose arguments
// are Python regexes (replace, blockinfile, find). Pure.

export type PyFlags = { multiline?: boolean; dotall?: boolean; ignorecase?: boolean };

export type PyRegexResult = { ok: true; re: RegExp } | { ok: false; msg: string };

/**
 * Translates the syntax that differs: (?P<n>…), (?P=n), \A, \Z, leading inline flags (?imsx),
 * and Python's `$` without MULTILINE (which also matches before a final newline).
 * `g` and `d` (match indices) are always set. Unicode classes (\d, \w) stay ASCII in JavaScript.
 */
export function pyRegex(src: string, flags: PyFlags = {}): PyRegexResult {
  let s = src;
  let { multiline = false, dotall = false, ignorecase = false } = flags;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(s);
  if (inline) {
    s = s.slice(inline[0].length);
    multiline ||= inline[1]!.includes('m');
    dotall ||= inline[1]!.includes('s');
    ignorecase ||= inline[1]!.includes('i');
    if (inline[1]!.includes('x')) s = s.replace(/\\#/g, '\u0000').replace(/#.*$/gm, '').replace(/\s+/g, '').replace(/\u0000/g, '\\#');
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (n === 'Z' && !inClass) out += '(?![\\s\\S])';
      else out += c + (n ?? '');
      i++;
      continue;
    }
    if (inClass) { if (c === ']') inClass = false; out += c; continue; }
    if (c === '[') { inClass = true; out += c; if (s[i + 1] === '^') { out += '^'; i++; } if (s[i + 1] === ']') { out += '\\]'; i++; } continue; }
    if (s.startsWith('(?P<', i)) { out += '(?<'; i += 3; continue; }
    const back = /^\(\?P=(\w+)\)/.exec(s.slice(i));
    if (back) { out += `\\k<${back[1]}>`; i += back[0].length - 1; continue; }
    // without MULTILINE, Python's $ matches at the end and before a newline that ends the text
    if (c === '$' && !multiline) { out += '(?=\\n?(?![\\s\\S]))'; continue; }
    out += c;
  }
  try {
    return { ok: true, re: new RegExp(out, `gd${multiline ? 'm' : ''}${dotall ? 's' : ''}${ignorecase ? 'i' : ''}`) };
  } catch (e) {
    return { ok: false, msg: `invalid regular expression ${JSON.stringify(src)}: ${(e as Error).message}` };
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Python's match.expand(template): \1, \g<1>, \g<name>, \n and friends; other escapes stay. */
export function pyExpand(tmpl: string, m: RegExpExecArray): string {
  return tmpl.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/gs, (all, g: string | undefined, num: string | undefined, esc: string | undefined) => {
    if (esc !== undefined) return ESCAPES[esc] ?? all;
    const key = g ?? num!;
    const v = /^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key];
    return v ?? '';
  });
}

/** re.subn(re, repl, text): the new text and the number of replacements. */
export function pySubn(re: RegExp, repl: string, text: string): { text: string; count: number } {
  let count = 0;
  const out = text.replace(re, (...args: unknown[]) => {
    count++;
    // replace() passes (match, ...groups, offset, input, groups?): rebuild an exec-like array
    const hasNamed = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== undefined;
    const end = hasNamed ? args.length - 3 : args.length - 2;
    const m = args.slice(0, end) as unknown as RegExpExecArray;
    if (hasNamed) (m as { groups?: Record<string, string> }).groups = args[args.length - 1] as Record<string, string>;
    return pyExpand(repl, m);
  });
  return { text: out, count };
}
