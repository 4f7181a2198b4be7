// regex_replace, regex_search, regex_findall, regex_escape with Python `re` semantics (see pyre.ts).
import { allMatches, compile, search, sub } from './pyre.js';
import { FilterError, pyStr, truthy } from './py.js';
import type { FilterFn } from './types.js';

const flagsOf = (kwargs: Record<string, unknown>, ic: unknown, ml: unknown) => ({
  ignorecase: truthy(kwargs.ignorecase ?? ic),
  multiline: truthy(kwargs.multiline ?? ml),
});

const regexReplace: FilterFn = (value, args, kwargs) => {
  const pattern = kwargs.pattern ?? args[0] ?? '';
  const replacement = kwargs.replacement ?? args[1] ?? '';
  const rx = compile(pattern, flagsOf(kwargs, args[2], args[3]));
  return sub(rx, pyStr(replacement), pyStr(value));
};

const regexSearch: FilterFn = (value, args, kwargs) => {
  const [pattern, ...refs] = args;
  if (pattern === undefined) throw new FilterError('regex_search needs a regular expression');
  const groups = refs.map((r) => {
    const s = pyStr(r);
    const named = /^\\g<(\S+)>/.exec(s);
    // Ansible passes \g<...> on as a group *name*, so \g<1> fails there ("no such group").
    if (s.startsWith('\\g') && named) return named[1]!;
    const numbered = /^\\(\d+)/.exec(s);
    if (numbered) return Number(numbered[1]);
    throw new FilterError(`regex_search: unknown argument ${JSON.stringify(s)}; group arguments look like '\\1' or '\\g<name>'`);
  });
  const rx = compile(pattern, { ignorecase: truthy(kwargs.ignorecase), multiline: truthy(kwargs.multiline) });
  const m = search(rx, pyStr(value));
  if (!m) return null;
  if (!groups.length) return m[0];
  return groups.map((g) => {
    if (typeof g === 'number') {
      if (g > rx.groups) throw new FilterError(`regex_search: no such group ${g}`);
      return m[g] ?? null;
    }
    if (!m.groups || !(g in m.groups)) throw new FilterError(`regex_search: no such group '${g}'`);
    return m.groups[g] ?? null;
  });
};

const regexFindall: FilterFn = (value, args, kwargs) => {
  const pattern = kwargs.regex ?? args[0];
  if (pattern === undefined) throw new FilterError('regex_findall needs a regular expression');
  // Python signature order here is (value, regex, multiline, ignorecase).
  const rx = compile(pattern, { multiline: truthy(kwargs.multiline ?? args[1]), ignorecase: truthy(kwargs.ignorecase ?? args[2]) });
  return allMatches(rx, pyStr(value)).map((m) => {
    if (rx.groups === 0) return m[0];
    if (rx.groups === 1) return m[1] ?? '';
    return m.slice(1).map((g) => g ?? '');
  });
};

/** re.escape (Python 3.7+): escapes everything but [A-Za-z0-9_] and non-ASCII. */
export function reEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\x0b\x0c]/g, (c) => '\\' + c);
}

const regexEscape: FilterFn = (value, args, kwargs) => {
  const type = kwargs.re_type ?? args[0] ?? 'python';
  const s = pyStr(value);
  if (type === 'python') return reEscape(s);
  if (type === 'posix_basic') return s.replace(/[\].[^$*\\]/g, (c) => '\\' + c);
  if (type === 'posix_extended') throw new FilterError('Regex type (posix_extended) not yet implemented');
  throw new FilterError(`Invalid regex type (${pyStr(type)})`);
};

export const REGEX_FILTERS: Readonly<Record<string, FilterFn>> = {
  regex_replace: regexReplace,
  regex_search: regexSearch,
  regex_findall: regexFindall,
  regex_escape: regexEscape,
};
