// map, select, reject, selectattr, rejectattr: they call other filters and tests by name, so they
// are built from lookups rather than importing the tables (which would be a cycle).
import { FilterError, attrGetter, pyIter, pyStr, truthy } from './py.js';
import type { FilterFn, TestFn } from './types.js';

export interface Lookups {
  filter(name: string): FilterFn | undefined;
  test(name: string): TestFn | undefined;
}

// Engine-owned tests (they need undefined-ness); here undefined is the JS value `undefined`, the
// way attribute lookups on plain data report a missing key.
const ENGINE_TESTS: Record<string, TestFn> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
};

// map('default', x) and map('mandatory') name engine-owned filters; on plain data the only
// undefined values are missing attributes, so these stand-ins see everything they need.
const dflt: FilterFn = (v, args, kwargs) => {
  const value = kwargs.default_value ?? args[0] ?? '';
  return v === undefined || (truthy(kwargs.boolean ?? args[1] ?? false) && !truthy(v)) ? value : v;
};
const ENGINE_FILTERS: Record<string, FilterFn> = {
  default: dflt,
  d: dflt,
  mandatory: (v, args, kwargs) => {
    if (v !== undefined) return v;
    throw new FilterError(pyStr(kwargs.msg ?? args[0] ?? 'Mandatory variable not defined.'));
  },
};

export function higherFilters(look: Lookups): Readonly<Record<string, FilterFn>> {
  const testByName = (name: unknown, filter: string): TestFn => {
    const n = pyStr(name);
    const t = look.test(n) ?? ENGINE_TESTS[n];
    if (!t) throw new FilterError(`${filter}: no test named '${n}'`);
    return t;
  };

  const selector = (filter: string, attr: boolean, keep: boolean): FilterFn => (value, args, kwargs) => {
    if (!truthy(value)) return [];
    let get = (x: unknown) => x;
    let rest = args;
    if (attr) {
      if (!args.length) throw new FilterError(`${filter}: missing parameter for attribute name`);
      get = attrGetter(args[0]);
      rest = args.slice(1);
    }
    let pred: (x: unknown) => boolean = truthy;
    let tolerant = false; // only defined/undefined may look at a missing attribute
    if (rest.length) {
      const name = pyStr(rest[0]);
      const test = testByName(name, filter);
      const targs = rest.slice(1);
      tolerant = name === 'defined' || name === 'undefined';
      pred = (x) => test(x, targs, kwargs);
    }
    return pyIter(value, `${filter}: the value`).filter((item) => {
      const v = get(item);
      if (v === undefined && attr && !tolerant) throw new FilterError(`${filter}: an item has no attribute '${pyStr(args[0])}'`);
      return pred(v) === keep;
    });
  };

  const map: FilterFn = (value, args, kwargs) => {
    let fn: (x: unknown) => unknown;
    if (!args.length && 'attribute' in kwargs) {
      const { attribute, default: dflt, ...extra } = kwargs;
      const bad = Object.keys(extra)[0];
      if (bad !== undefined) throw new FilterError(`map: unexpected keyword argument '${bad}'`);
      const get = attrGetter(attribute);
      fn = (x) => {
        const v = get(x);
        return v === undefined && dflt !== undefined ? dflt : v;
      };
    } else {
      if (!args.length) throw new FilterError('map requires a filter name or attribute=');
      const name = pyStr(args[0]);
      const f = look.filter(name) ?? ENGINE_FILTERS[name];
      if (!f) throw new FilterError(`map: no filter named '${name}'`);
      const fargs = args.slice(1);
      fn = (x) => f(x, fargs, kwargs);
    }
    return pyIter(value, 'map: the value').map(fn);
  };

  return {
    map,
    select: selector('select', false, true),
    reject: selector('reject', false, false),
    selectattr: selector('selectattr', true, true),
    rejectattr: selector('rejectattr', true, false),
  };
}
