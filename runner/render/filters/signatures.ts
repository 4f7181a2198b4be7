// The Python signatures of the filters: Ansible raises TypeError for an unknown keyword argument
// or too many positional ones (`sort(reverce=true)`), so a typo must fail here as well.
import { FilterError } from './py.js';
import type { FilterFn } from './types.js';

// name: [parameter names after the value, in order] ; '*' means it takes *args / **kwargs.
const SIGS: Record<string, readonly string[] | '*'> = {
  bool: [], int: ['default', 'base'], float: ['default'], abs: [], round: ['precision', 'method'],
  string: [], lower: [], upper: [], capitalize: [], title: [], trim: ['chars'], replace: ['old', 'new', 'count'],
  split: ['sep', 'maxsplit'], ternary: ['true_val', 'false_val', 'none_val'], indent: ['width', 'first', 'blank'],
  regex_replace: ['pattern', 'replacement', 'ignorecase', 'multiline'], regex_search: '*',
  regex_findall: ['regex', 'multiline', 'ignorecase'], regex_escape: ['re_type'],
  quote: [], basename: [], dirname: [], splitext: [],
  join: ['d', 'attribute'], first: [], last: [], length: [], count: [], unique: ['case_sensitive', 'attribute'],
  union: ['b'], intersect: ['b'], difference: ['b'], symmetric_difference: ['b'],
  sort: ['reverse', 'case_sensitive', 'attribute'], reverse: [], min: ['case_sensitive', 'attribute'], max: ['case_sensitive', 'attribute'],
  sum: ['attribute', 'start'], list: [], flatten: ['levels', 'skip_nulls'], zip: '*', zip_longest: '*', product: '*',
  subelements: ['subelements', 'skip_missing'], extract: ['container', 'morekeys'],
  combine: '*', dict2items: ['key_name', 'value_name'], items2dict: ['key_name', 'value_name'],
  dictsort: ['case_sensitive', 'by', 'reverse'], items: [],
  to_json: '*', to_nice_json: '*', from_json: [], to_yaml: '*', to_nice_yaml: '*', from_yaml: [],
  b64encode: ['encoding'], b64decode: ['encoding'], hash: ['hashtype'], checksum: [], sha1: [], md5: [],
  password_hash: ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'], format: '*',
  path_join: [], groupby: ['attribute', 'default', 'case_sensitive'], batch: ['linecount', 'fill_with'], slice: ['slices', 'fill_with'],
  urlencode: [], truncate: ['length', 'killwords', 'end', 'leeway'], center: ['width'], safe: [], wordcount: [], tojson: ['indent'],
  permutations: ['r'], combinations: ['r'], log: ['base'], pow: ['y'], root: ['base'], from_yaml_all: [], to_uuid: ['namespace'],
  human_to_bytes: ['default_unit', 'isbits'], human_readable: ['isbits', 'unit'], escape: [], e: [], forceescape: [],
  map: '*', select: '*', reject: '*', selectattr: '*', rejectattr: '*',
};

/** Resource limits (a 10^9-space indent, data nested 10^5 deep) surface as a RangeError in JS. */
export function guarded<A extends unknown[], R>(name: string, fn: (...a: A) => R): (...a: A) => R {
  return (...a) => {
    try {
      return fn(...a);
    } catch (e) {
      if (e instanceof RangeError) throw new FilterError(`${name}: the result is too large or too deeply nested (${e.message})`);
      throw e;
    }
  };
}

/** Wraps a filter so its arguments are checked against the Python signature first. */
export function withSignature(name: string, fn: FilterFn): FilterFn {
  const sig = SIGS[name];
  if (sig === undefined || sig === '*') return guarded(name, fn);
  return guarded(name, (value, args, kwargs) => {
    if (args.length > sig.length) {
      throw new FilterError(`${name} takes at most ${sig.length} argument${sig.length === 1 ? '' : 's'} (${args.length} given)`);
    }
    for (const k of Object.keys(kwargs)) {
      const i = sig.indexOf(k);
      if (i < 0) throw new FilterError(`${name} got an unexpected keyword argument '${k}'${sig.length ? ` (it takes: ${sig.join(', ')})` : ''}`);
      if (i < args.length) throw new FilterError(`${name} got multiple values for argument '${k}'`);
    }
    return fn(value, args, kwargs);
  });
}
