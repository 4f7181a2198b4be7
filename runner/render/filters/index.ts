// Ansible's Jinja filters, tests and globals as pure functions on plain JS values
// (FILTERS-CONTRACT.md). The engine resolves ansible.builtin.<name> and owns default/mandatory/
// defined/undefined; everything here follows Python/Jinja2 semantics and throws only FilterError.
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
import { withSignature } from './signatures.js';
import { SIZE_FILTERS } from './sizes.js';
import { STRING_FILTERS } from './strings.js';
import { TESTS_TABLE } from './tests.js';
import type { FilterFn, TestFn } from './types.js';

export { FilterError } from './py.js';
export type { FilterFn, TestFn } from './types.js';

export const TESTS: Readonly<Record<string, TestFn>> = Object.freeze({ ...TESTS_TABLE });

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

export const FILTERS: Readonly<Record<string, FilterFn>> = Object.freeze(
  Object.assign(
    BASE,
    higherFilters({
      filter: (n) => (Object.hasOwn(BASE, n) ? BASE[n] : undefined),
      test: (n) => (Object.hasOwn(TESTS, n) ? TESTS[n] : undefined),
    }),
  ),
);

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
