// The contract with the Jinja engine (FILTERS-CONTRACT.md): plain JS values in and out.
export type FilterFn = (value: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown;
/** kwargs is an optional extension of the contract: `x is match('a', ignorecase=true)`, `version(..., strict=true)`. */
export type TestFn = (value: unknown, args: unknown[], kwargs?: Record<string, unknown>) => boolean;
