// to_yaml / to_nice_yaml / from_yaml filters (see yaml-dump.ts and yaml-load.ts).
import { FilterError, isNumber, num, pyRepr, truthy } from './py.js';
import { JSON_FILTERS } from './json.js';
import type { FilterFn } from './types.js';
import { dumpYaml } from './yaml-dump.js';
import { loadYaml } from './yaml-load.js';

const YAML_OPTS = ['indent', 'width', 'sort_keys', 'default_flow_style', 'explicit_start', 'allow_unicode'];

function intOpt(name: string, v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (!isNumber(v) || !Number.isInteger(num(v))) throw new FilterError(`to_yaml: ${name} must be an integer, got ${pyRepr(v)}`);
  return num(v);
}

function yamlFilter(name: string, nice: boolean): FilterFn {
  return (value, args, kwargs) => {
    for (const k of Object.keys(kwargs)) if (!YAML_OPTS.includes(k)) throw new FilterError(`${name}: unsupported option '${k}'`);
    const dfs = nice ? false : kwargs.default_flow_style;
    return dumpYaml(value, {
      indent: intOpt('indent', kwargs.indent ?? (nice ? args[0] : undefined), nice ? 4 : 2),
      width: intOpt('width', kwargs.width, 80),
      defaultFlowStyle: dfs === undefined || dfs === null ? null : truthy(dfs),
      sortKeys: truthy(kwargs.sort_keys ?? true),
      explicitStart: truthy(kwargs.explicit_start ?? false),
    });
  };
}

export const SERIAL_FILTERS: Readonly<Record<string, FilterFn>> = {
  ...JSON_FILTERS,
  to_yaml: yamlFilter('to_yaml', false),
  to_nice_yaml: yamlFilter('to_nice_yaml', true),
  from_yaml: (v) => (typeof v === 'string' ? loadYaml(v) : v),
};
