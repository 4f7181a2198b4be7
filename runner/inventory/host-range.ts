// Ansible host ranges: `web[01:03]` -> web01 web02 web03, `db-[a:c]`, strides `[1:9:2]`.
// Zero-padding follows the start bound, as in Ansible's expand_hostname_range. Pure.

export type RangeResult = { ok: true; hosts: string[] } | { ok: false; message: string };

const RANGE = /\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::(\d+))?\]/;
/** A range that would expand to more hosts than this is refused: a typo must not exhaust memory. */
export const MAX_RANGE_HOSTS = 100_000;

export function expandHostRange(pattern: string): RangeResult {
  const m = RANGE.exec(pattern);
  if (!m) return { ok: true, hosts: [pattern] };
  const [whole, beg, end, stepText] = m as unknown as [string, string, string, string | undefined];
  const head = pattern.slice(0, m.index);
  const tail = pattern.slice(m.index + whole.length);
  const step = stepText ? Number(stepText) : 1;
  if (step < 1) return { ok: false, message: `host range '${whole}': the step must be 1 or more` };
  let items: string[];
  if (/^\d+$/.test(beg) && /^\d+$/.test(end)) {
    const a = Number(beg);
    const b = Number(end);
    if (a > b) return { ok: false, message: `host range '${whole}': the start is after the end` };
    if ((b - a) / step + 1 > MAX_RANGE_HOSTS) return { ok: false, message: `host range '${whole}' names more than ${MAX_RANGE_HOSTS} hosts` };
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    items = [];
    for (let n = a; n <= b; n += step) items.push(String(n).padStart(width, '0'));
  } else if (/^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end)) {
    const a = beg.charCodeAt(0);
    const b = end.charCodeAt(0);
    if (a > b) return { ok: false, message: `host range '${whole}': the start is after the end` };
    items = [];
    for (let n = a; n <= b; n += step) items.push(String.fromCharCode(n));
  } else {
    return { ok: false, message: `host range '${whole}': bounds must be both numbers or both single letters` };
  }
  const rest = expandHostRange(tail);
  if (!rest.ok) return rest;
  if (items.length * rest.hosts.length > MAX_RANGE_HOSTS) return { ok: false, message: `host pattern '${pattern}' names more than ${MAX_RANGE_HOSTS} hosts` };
  return { ok: true, hosts: items.flatMap((i) => rest.hosts.map((r) => head + i + r)) };
}
