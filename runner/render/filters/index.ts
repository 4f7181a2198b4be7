// Ansible's Jinja filters, tests and globals as pure functions on plain JS values
// (FILTERS-CONTRACT.md). The engine resolves ansible.builtin.<name> and owns default/mandatory/
// defined/undefined; everything here follows Python/Jinja2 semantics and throws only FilterError.
// Expected values come from ansible-core 2.14 itself: spec/unit/render/filters/oracle/.
//
// Left out on purpose: random, shuffle (nondeterministic); expanduser, expandvars, realpath,
// relpath, fileglob and the file/directory/exists/link/mount tests (they read the controller's
// filesystem and environment, not the host's); win_*; comment; urlsplit; strftime, to_datetime;
// type_debug; vault/unvault; attr, xmlattr, pprint, filesizeformat, wordwrap, striptags.
import { DICT_FILTERS } from './dicts.js';
import { ENCODING_FILTERS } from './encoding.js';
import { EXTRA_FILTERS } from './extra.js';
import { format } from './format.js';
import { higherFilters } from './higher.js';
import { LIST_FILTERS } from './lists.js';
import { NUMBER_FILTERS } from './numbers.js';
import { PATH_FILTERS } from './paths.js';
import { FilterError } from './py.js';
import { REGEX_FILTERS } from './regex.js';
import { SERIAL_FILTERS } from './serial.js';
import { guarded, withSignature } from './signatures.js';
import { SIZE_FILTERS } from './sizes.js';
import { STRING_FILTERS } from './strings.js';
import { TESTS_TABLE } from './tests.js';
import type { FilterFn, TestFn } from './types.js';

export { FilterError } from './py.js';
export type { FilterFn, TestFn } from './types.js';

export const TESTS: Readonly<Record<string, TestFn>> = Object.freeze(
  Object.fromEntries(Object.entries(TESTS_TABLE).map(([n, t]) => [n, guarded(n, t)])),
);

const PLAIN: Record<string, FilterFn> = {
  ...NUMBER_FILTERS,
  ...STRING_FILTERS,
  ...REGEX_FILTERS,
  ...PATH_FILTERS,
  ...LIST_FILTERS,
  ...DICT_FILTERS,
  ...SERIAL_FILTERS,
  ...ENCODING_FILTERS,
  ...EXTRA_FILTERS,
  ...SIZE_FILTERS,
  format,
};
const BASE: Record<string, FilterFn> = Object.fromEntries(Object.entries(PLAIN).map(([n, f]) => [n, withSignature(n, f)]));

const HIGHER = higherFilters({
  filter: (n) => (Object.hasOwn(BASE, n) ? BASE[n] : undefined),
  test: (n) => (Object.hasOwn(TESTS, n) ? TESTS[n] : undefined),
});

export const FILTERS: Readonly<Record<string, FilterFn>> = Object.freeze({
  ...BASE,
  ...Object.fromEntries(Object.entries(HIGHER).map(([n, f]) => [n, guarded(n, f)])),
});

/** Jinja's range(): at most 100000 items, like the sandbox's MAX_RANGE. */
function range(...a: unknown[]): number[] {
  const ints = a.map((x) => {
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new FilterError(`range() arguments must be integers, got ${JSON.stringify(x)}`);
    return x;
  });
  if (ints.length < 1 || ints.length > 3) throw new FilterError(`range expected 1 to 3 arguments, got ${ints.length}`);
  const [start, stop, step] = ints.length === 1 ? [0, ints[0]!, 1] : [ints[0]!, ints[1]!, ints[2] ?? 1];
  if (step === 0) throw new FilterError('range() arg 3 must not be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (n > 100000) throw new FilterError('range too big, the limit is 100000 items');
  return Array.from({ length: n }, (_, i) => start + i * step);
}

export const GLOBALS: Readonly<Record<string, (...a: unknown[]) => unknown>> = { range };

/**
 * Whether a filter's numeric result is a Python float even when it is integral (Ansible renders
 * `'3' | float` as 3.0 and `2.5 | round` as 2.0; a plain JS number cannot say so). An optional
 * extension of the contract for the engine's str(): ceil/floor rounding and float/log/pow/root
 * always give floats, round() of a float gives a float, round() of an int stays an int.
 */
export function floatResult(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean {
  switch (name) {
    case 'float':
    case 'log':
    case 'pow':
    case 'root':
      return true;
    case 'round': {
      const method = kwargs.method ?? args[1] ?? 'common';
      return method !== 'common' || (typeof value === 'number' && !Number.isInteger(value));
    }
    default:
      return false;
  }
}
