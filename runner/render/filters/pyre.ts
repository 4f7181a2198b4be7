// Python `re` on top of JS RegExp: translates the pattern syntax and implements re.sub templates,
// re.search/match/fullmatch and re.findall with Python's results.
import { FilterError, pyStr } from './py.js';

export interface PyRegex {
  re: RegExp; // global, sticky-free; lastIndex is managed by the callers here
  groups: number;
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const QUANT = /^\{(\d*)(,?)(\d*)\}/;

function escapeFor(ch: string, inClass: boolean): string {
  if (SYNTAX.has(ch) || (inClass && ch === '-')) return '\\' + ch;
  return ch;
}

/** re.VERBOSE: whitespace and #-comments outside character classes and escapes are dropped. */
function stripVerbose(p: string): string[] {
  const cs = Array.from(p);
  const out: string[] = [];
  let inClass = false;
  for (let k = 0; k < cs.length; k++) {
    const c = cs[k]!;
    if (c === '\\') {
      out.push(c, cs[++k] ?? '');
      continue;
    }
    if (inClass) {
      if (c === ']' && out[out.length - 1] !== '[' && !(out[out.length - 1] === '^' && out[out.length - 2] === '[')) inClass = false;
      out.push(c);
    } else if (c === '[') {
      inClass = true;
      out.push(c);
    } else if (c === '#') {
      while (k < cs.length && cs[k] !== '\n') k++;
    } else if (!/\s/.test(c)) out.push(c);
  }
  return out.filter((c) => c !== '');
}

/** Translates one Python pattern to JS source and flags; throws FilterError on unsupported syntax. */
export function translate(pattern: string, flags: { ignorecase?: boolean; multiline?: boolean }): { source: string; flags: string } {
  let i = 0;
  let ic = !!flags.ignorecase;
  let ml = !!flags.multiline;
  let dotall = false;
  let verbose = false;
  // Global inline flags (?aiLmsux) at the start.
  for (let m; (m = /^\(\?([aiLmsux]+)\)/.exec(pattern.slice(i))); i += m[0].length) {
    if (m[1]!.includes('i')) ic = true;
    if (m[1]!.includes('m')) ml = true;
    if (m[1]!.includes('s')) dotall = true;
    if (m[1]!.includes('x')) verbose = true;
  }
  let out = '';
  let inClass = false;
  let classStart = -1;
  // Scoped flags (?i:...), (?s:...), (?m:...): JS has no such groups, so case-insensitivity is
  // spelled out per letter ([aA]) and dot/anchors are translated with the scope's flags.
  let depth = 0;
  let localIc = false;
  const scopes: Array<{ depth: number; ic: boolean; ml: boolean; dotall: boolean }> = [];
  const bothCases = (c: string) => (localIc && c.toLowerCase() !== c.toUpperCase() ? c.toLowerCase() + c.toUpperCase() : c);
  const chars = verbose ? stripVerbose(pattern.slice(i)) : Array.from(pattern.slice(i));
  for (let k = 0; k < chars.length; k++) {
    const c = chars[k]!;
    const rest = () => chars.slice(k).join('');
    if (c === '\\') {
      const n = chars[++k];
      if (n === undefined) throw new FilterError('bad escape (end of pattern)');
      if (/[0-9]/.test(n)) {
        // Python: \0 and three octal digits are characters; otherwise \1..\99 is a backreference.
        const o = (d: string) => '\\u{' + parseInt(d, 8).toString(16) + '}';
        if (n === '0') {
          let d = '0';
          while (d.length < 3 && /[0-7]/.test(chars[k + 1] ?? '')) d += chars[++k];
          out += o(d);
        } else if (/[0-7]/.test(n) && /[0-7]/.test(chars[k + 1] ?? '') && /[0-7]/.test(chars[k + 2] ?? '')) {
          out += o(n + chars[k + 1] + chars[k + 2]);
          k += 2;
        } else {
          if (inClass) throw new FilterError(`bad escape \\${n} in a character set in regular expression ${pattern}`);
          let d = n;
          if (/[0-9]/.test(chars[k + 1] ?? '')) d += chars[++k];
          out += '\\' + d;
        }
      } else if (n === 'd') out += '\\p{Nd}';
      else if (n === 'w') out += inClass ? '\\p{L}\\p{N}_' : '[\\p{L}\\p{N}_]';
      else if (n === 'W' && !inClass) out += '[^\\p{L}\\p{N}_]';
      else if (n === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (n === 'Z' && !inClass) out += '(?![\\s\\S])';
      else if (n === 'a') out += '\\x07';
      else if (n === 'x') {
        out += '\\x' + chars.slice(k + 1, k + 3).join('');
        k += 2;
      } else if (n === 'u') {
        out += '\\u' + chars.slice(k + 1, k + 5).join('');
        k += 4;
      } else if (n === 'U') {
        out += '\\u{' + chars.slice(k + 1, k + 9).join('').replace(/^0+(?=.)/, '') + '}';
        k += 8;
      } else if ('bBsSDfnrtv'.includes(n) || (n === 'W' && inClass)) out += (n === 'b' && inClass ? '\\x08' : '\\' + n);
      else if (/[A-Za-z]/.test(n)) throw new FilterError(`bad escape \\${n} in regular expression ${pattern}`);
      else out += escapeFor(n, inClass);
      continue;
    }
    if (inClass) {
      if (c === ']' && k !== classStart) inClass = false;
      else if (c === ']' || c === '[') {
        out += '\\' + c;
        continue;
      } else if (localIc && chars[k + 1] === '-' && /\p{L}/u.test(c) && /\p{L}/u.test(chars[k + 2] ?? '')) {
        const end = chars[k + 2]!;
        out += `${c}-${end}${c.toLowerCase() === c ? c.toUpperCase() : c.toLowerCase()}-${end.toLowerCase() === end ? end.toUpperCase() : end.toLowerCase()}`;
        k += 2;
        continue;
      }
      out += bothCases(c);
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += '[';
        if (chars[k + 1] === '^') out += chars[++k];
        classStart = k + 1;
        continue;
      case '.':
        out += dotall ? '[\\s\\S]' : '[^\\n]';
        continue;
      case '^':
        out += ml ? '(?<![^\\n])' : '(?<![\\s\\S])';
        continue;
      case '$':
        out += ml ? '(?![^\\n])' : '(?=\\n?(?![\\s\\S]))';
        continue;
      case '{': {
        const q = QUANT.exec(rest());
        if (q && (q[1] !== '' || q[3] !== '')) {
          out += `{${q[1] || '0'}${q[2]}${q[3]}}`;
          k += q[0].length - 1;
        } else out += '\\{';
        continue;
      }
      case '}':
      case ']':
      case '/':
        out += '\\' + c;
        continue;
      case '(': {
        const r = rest();
        if (r.startsWith('(?P<')) {
          out += '(?<';
          k += 3;
        } else if (r.startsWith('(?P=')) {
          const end = r.indexOf(')');
          out += `\\k<${r.slice(4, end)}>`;
          k += end;
        } else if (r.startsWith('(?#')) {
          k += r.indexOf(')');
        } else if (/^\(\?[aiLmsux]*(-[imsx]+)?:/.test(r)) {
          const [, on = '', off = ''] = /^\(\?([aiLmsux]*)(?:-([imsx]+))?:/.exec(r)!;
          if (on.includes('x') || off.includes('x') || (off.includes('i') && ic)) {
            throw new FilterError(`the scoped flags ${r.slice(0, r.indexOf(':') + 1)} are not supported in regular expressions here`);
          }
          scopes.push({ depth: ++depth, ic: localIc, ml, dotall });
          localIc = !ic && (localIc || on.includes('i')) && !off.includes('i');
          ml = (ml || on.includes('m')) && !off.includes('m');
          dotall = (dotall || on.includes('s')) && !off.includes('s');
          out += '(?:';
          k += r.indexOf(':');
        } else if (/^\(\?[aiLmsux-]+\)/.test(r)) {
          throw new FilterError('global flags such as (?i) must be at the start of a regular expression');
        } else if (r.startsWith('(?>')) {
          throw new FilterError('atomic groups (?>...) are not supported in regular expressions here');
        } else {
          out += '(';
          depth++;
          continue;
        }
        if (r.startsWith('(?P<')) depth++;
        continue;
      }
      case ')': {
        const top = scopes[scopes.length - 1];
        if (top && top.depth === depth) {
          scopes.pop();
          ({ ic: localIc, ml, dotall } = top);
        }
        depth--;
        out += ')';
        continue;
      }
      case '+':
      case '*':
      case '?':
        if (chars[k + 1] === '+') throw new FilterError('possessive quantifiers are not supported in regular expressions here');
        out += c;
        continue;
      default: {
        const both = bothCases(c);
        out += both.length > 1 ? `[${both}]` : c;
      }
    }
  }
  if (inClass) throw new FilterError(`unterminated character set in regular expression ${pattern}`);
  return { source: out, flags: 'gu' + (ic ? 'i' : '') };
}

const cache = new Map<string, PyRegex>();

/** re.compile(pattern, flags) — errors say what is wrong with the user's pattern. */
export function compile(pattern: unknown, flags: { ignorecase?: unknown; multiline?: unknown } = {}): PyRegex {
  const p = pyStr(pattern);
  const key = `${flags.ignorecase ? 'i' : ''}${flags.multiline ? 'm' : ''}:${p}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const t = translate(p, { ignorecase: !!flags.ignorecase, multiline: !!flags.multiline });
  let re: RegExp;
  try {
    re = new RegExp(t.source, t.flags);
  } catch (e) {
    throw new FilterError(`invalid regular expression ${JSON.stringify(p)}: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`);
  }
  const groups = new RegExp(t.source + '|', t.flags.replace('g', '')).exec('')!.length - 1;
  const out = { re, groups };
  if (cache.size > 500) cache.clear();
  cache.set(key, out);
  return out;
}

/** re.search / re.match / re.fullmatch: the first match, anchored as asked. */
export function search(rx: PyRegex, s: string, mode: 'search' | 'match' | 'fullmatch' = 'search'): RegExpExecArray | null {
  rx.re.lastIndex = 0;
  if (mode === 'search') return rx.re.exec(s);
  const sticky = new RegExp(mode === 'fullmatch' ? `(?:${rx.re.source})(?![\\s\\S])` : rx.re.source, rx.re.flags.replace('g', '') + 'y');
  return sticky.exec(s);
}

/** All non-overlapping matches, with Python's handling of empty matches. */
export function allMatches(rx: PyRegex, s: string): RegExpExecArray[] {
  rx.re.lastIndex = 0;
  return Array.from(s.matchAll(rx.re));
}

type Part = string | number | { name: string };

/** Parses a re.sub replacement template: \1, \g<1>, \g<name>, \n, \\; unknown letter escapes fail. */
function parseTemplate(tpl: string, rx: PyRegex): Part[] {
  const parts: Part[] = [];
  let lit = '';
  const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
  for (let i = 0; i < tpl.length; i++) {
    const c = tpl[i]!;
    if (c !== '\\' || i + 1 >= tpl.length) {
      lit += c;
      continue;
    }
    const n = tpl[++i]!;
    let ref: Part | null = null;
    if (n === 'g') {
      const m = /^<([^>]*)>/.exec(tpl.slice(i + 1));
      if (!m) throw new FilterError('missing group name in replacement: use \\g<name>');
      i += m[0].length;
      ref = /^\d+$/.test(m[1]!) ? Number(m[1]) : { name: m[1]! };
    } else if (/[0-9]/.test(n)) {
      let d = n;
      if (/[0-9]/.test(tpl[i + 1] ?? '')) d += tpl[++i];
      ref = Number(d);
    } else if (ESC[n] !== undefined) lit += ESC[n];
    else if (/[A-Za-z]/.test(n)) throw new FilterError(`bad escape \\${n} in replacement string`);
    else lit += '\\' + n;
    if (ref !== null) {
      if (typeof ref === 'number' && ref > rx.groups) throw new FilterError(`invalid group reference ${ref} in replacement string`);
      parts.push(lit, ref);
      lit = '';
    }
  }
  parts.push(lit);
  return parts;
}

/** re.sub(pattern, template, s, count). */
export function sub(rx: PyRegex, tpl: string, s: string, count = 0): string {
  const parts = parseTemplate(tpl, rx);
  let n = 0;
  rx.re.lastIndex = 0;
  return s.replace(rx.re, (...m: unknown[]) => {
    if (count > 0 && n >= count) return m[0] as string;
    n++;
    const named = (typeof m[m.length - 1] === 'object' ? m[m.length - 1] : undefined) as Record<string, string | undefined> | undefined;
    return parts
      .map((p) => {
        if (typeof p === 'string') return p;
        if (typeof p === 'number') return (m[p] as string | undefined) ?? '';
        if (!named || !(p.name in named)) throw new FilterError(`unknown group name '${p.name}' in replacement string`);
        return named[p.name] ?? '';
      })
      .join('');
  });
}
