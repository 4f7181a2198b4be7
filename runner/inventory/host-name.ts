// Inventory host names are printed on every output line and used in --limit patterns and state keys.
// A documented safe pattern (docs/secrets.md, "Output"): letters, digits, `_`, `-`, `.`, `:` and `%`
// (names, FQDNs, IPv4, IPv6 with a zone), not starting with `-` or `.`, at most 253 characters.
// No spaces, control characters, shell or glob characters: a name cannot forge an output line.

export const HOST_NAME = /^[A-Za-z0-9_:][A-Za-z0-9_.:%-]{0,252}$/;

/** Why a host name is refused, or undefined when it is fine. */
export function hostNameProblem(name: string): string | undefined {
  if (HOST_NAME.test(name)) return undefined;
  return `host name ${JSON.stringify(name)} is not allowed: use letters, digits, '_', '-', '.', ':' and '%' (not starting with '-' or '.'), at most 253 characters`;
}
