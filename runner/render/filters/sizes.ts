// human_readable and human_to_bytes (ansible.module_utils.common.text.formatters).
import { pyRound } from './numbers.js';
import { FilterError, isNumber, num, pyStr, truthy, typeName } from './py.js';
import type { FilterFn } from './types.js';

const RANGES: Array<[string, number]> = [
  ['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10], ['B', 1],
];

export function humanToBytes(value: unknown, defaultUnit: unknown, isbits: boolean): number {
  const text = pyStr(value);
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text)!;
  if (m[1] === '' || m[1] === '.') throw new FilterError(`human_to_bytes() can't interpret following string: ${text}`);
  const n = Number(m[1]);
  const unit = m[2] ?? (defaultUnit === null || defaultUnit === undefined ? null : pyStr(defaultUnit));
  if (unit === null) return pyRound(n, 0);
  const key = unit[0]!.toUpperCase();
  const limit = RANGES.find(([k]) => k === key)?.[1];
  if (limit === undefined) throw new FilterError(`human_to_bytes() can't interpret following string: ${text}`);
  const cls = isbits ? 'b' : 'B';
  if (unit.length > 1 && !unit.toLowerCase().includes(isbits ? 'bit' : 'byte') && unit[1] !== cls) {
    throw new FilterError(`human_to_bytes() can't interpret following string: ${text}`);
  }
  return pyRound(n * limit, 0);
}

export function bytesToHuman(size: number, isbits: boolean, unit: string | null): string {
  const base = isbits ? 'bits' : 'Bytes';
  let [suffix, limit] = RANGES[RANGES.length - 1]!;
  for (const [s, l] of RANGES) {
    if ((unit === null && size >= l) || (unit !== null && unit.toUpperCase() === s)) {
      [suffix, limit] = [s, l];
      break;
    }
  }
  const label = limit !== 1 ? suffix + base[0] : base;
  return `${(size / limit).toFixed(2)} ${label}`;
}

export const SIZE_FILTERS: Readonly<Record<string, FilterFn>> = {
  human_to_bytes: (v, a, kw) => humanToBytes(v, kw.default_unit ?? a[0] ?? null, truthy(kw.isbits ?? a[1] ?? false)),
  human_readable: (v, a, kw) => {
    if (!isNumber(v)) throw new FilterError(`human_readable() failed on bad input: a number is required, got ${typeName(v)}`);
    const unit = kw.unit ?? a[1] ?? null;
    return bytesToHuman(num(v), truthy(kw.isbits ?? a[0] ?? false), unit === null ? null : pyStr(unit));
  },
};
