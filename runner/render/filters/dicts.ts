// Dict filters: dict2items, items2dict, items, dictsort, combine (Ansible's merge_hash).
import { FilterError, isDict, pyCmp, pyEq, pyIn, pyRepr, pyStr, truthy, typeName, type Dict } from './py.js';
import { flatten } from './lists.js';
import type { FilterFn } from './types.js';

const LIST_MERGE = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'] as const;
type ListMerge = (typeof LIST_MERGE)[number];

/** ansible.utils.vars.merge_hash: y's keys win; dicts merge when recursive; lists per list_merge. */
export function mergeHash(x: Dict, y: Dict, recursive: boolean, listMerge: ListMerge): Dict {
  if (Object.keys(x).length === 0 || pyEq(x, y)) return { ...y };
  const out: Dict = { ...x };
  if (!recursive && listMerge === 'replace') return Object.assign(out, y);
  for (const [key, yv] of Object.entries(y)) {
    if (!Object.hasOwn(out, key)) {
      out[key] = yv;
      continue;
    }
    const xv = out[key];
    if (isDict(xv) && isDict(yv)) {
      out[key] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv;
    } else if (Array.isArray(xv) && Array.isArray(yv)) {
      if (listMerge === 'replace') out[key] = yv;
      else if (listMerge === 'append') out[key] = [...xv, ...yv];
      else if (listMerge === 'prepend') out[key] = [...yv, ...xv];
      else if (listMerge === 'append_rp') out[key] = [...xv.filter((z) => !pyIn(z, yv)), ...yv];
      else if (listMerge === 'prepend_rp') out[key] = [...yv, ...xv.filter((z) => !pyIn(z, yv))];
      // 'keep' leaves x's list
    } else out[key] = yv;
  }
  return out;
}

const combine: FilterFn = (value, args, kwargs) => {
  const { recursive = false, list_merge: lm = 'replace', ...extra } = kwargs;
  if (Object.keys(extra).length) throw new FilterError("combine: 'recursive' and 'list_merge' are the only valid keyword arguments");
  const dicts = flatten([value, ...args], 1, true);
  if (!dicts.length) return {};
  if (dicts.length === 1) return dicts[0];
  if (!(LIST_MERGE as readonly unknown[]).includes(lm)) {
    throw new FilterError(`combine: 'list_merge' can only be one of ${LIST_MERGE.map((x) => `'${x}'`).join(', ')}; got ${pyRepr(lm)}`);
  }
  for (const d of dicts) if (!isDict(d)) throw new FilterError(`combine expects dictionaries, got ${typeName(d)}: ${pyStr(d)}`);
  let result = dicts[dicts.length - 1] as Dict;
  for (let i = dicts.length - 2; i >= 0; i--) result = mergeHash(dicts[i] as Dict, result, truthy(recursive), lm as ListMerge);
  return result;
};

const dict2items: FilterFn = (value, args, kwargs) => {
  const k = pyStr(kwargs.key_name ?? args[0] ?? 'key');
  const v = pyStr(kwargs.value_name ?? args[1] ?? 'value');
  if (!isDict(value)) throw new FilterError(`dict2items requires a dictionary, got ${typeName(value)} instead.`);
  return Object.entries(value).map(([key, val]) => ({ [k]: key, [v]: val }));
};

const items2dict: FilterFn = (value, args, kwargs) => {
  const k = pyStr(kwargs.key_name ?? args[0] ?? 'key');
  const v = pyStr(kwargs.value_name ?? args[1] ?? 'value');
  if (!Array.isArray(value)) throw new FilterError(`items2dict requires a list, got ${typeName(value)} instead.`);
  const out: Dict = {};
  for (const item of value) {
    if (!isDict(item)) throw new FilterError(`items2dict requires a list of dictionaries, got ${pyStr(value)} instead.`);
    if (!Object.hasOwn(item, k) || !Object.hasOwn(item, v)) {
      throw new FilterError(`items2dict requires each dictionary in the list to contain the keys '${k}' and '${v}', got ${pyStr(value)} instead.`);
    }
    const key = item[k];
    if (Array.isArray(key) || isDict(key)) throw new FilterError(`items2dict: a key must be a string or number, got ${typeName(key)}`);
    out[typeof key === 'string' ? key : pyStr(key)] = item[v];
  }
  return out;
};

const dictsort: FilterFn = (value, args, kwargs) => {
  if (!isDict(value)) throw new FilterError(`dictsort requires a dictionary, got ${typeName(value)}`);
  const cs = truthy(kwargs.case_sensitive ?? args[0] ?? false);
  const by = kwargs.by ?? args[1] ?? 'key';
  const reverse = truthy(kwargs.reverse ?? args[2] ?? false);
  if (by !== 'key' && by !== 'value') throw new FilterError('dictsort: you can only sort by either "key" or "value"');
  const pos = by === 'key' ? 0 : 1;
  const key = (e: [string, unknown]) => (!cs && typeof e[pos] === 'string' ? (e[pos] as string).toLowerCase() : e[pos]);
  return Object.entries(value).sort((a, b) => (reverse ? pyCmp(key(b), key(a)) : pyCmp(key(a), key(b))));
};

export const DICT_FILTERS: Readonly<Record<string, FilterFn>> = {
  combine,
  dict2items,
  items2dict,
  dictsort,
  items: (value) => {
    if (value === undefined) return [];
    if (!isDict(value)) throw new FilterError(`items: can only get item pairs from a mapping, got ${typeName(value)}`);
    return Object.entries(value);
  },
};
