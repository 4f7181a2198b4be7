// Ansible host patterns and --limit, plus the connection spec of a host. Pure.
//
// Grammar: terms separated by ',' (or ':' when there is no ',' and the pattern is not an IPv6
// address). A term is `all`/`*`, a host or group name, a glob (`web*`, `db?`, `[ab]x`) or
// `~regex`; prefixed with `&` it intersects, with `!` it excludes. As in Ansible, plain terms
// are unioned first, then intersections apply, then exclusions, whatever their order.
import type { ConnectionDefaults, ConnectionSpec, Inventory, InventoryHost } from '../types.js';
import { buildConnectionSpec, type SpecContext } from './connection-spec.js';

export type SelectResult = { ok: true; hosts: string[] } | { ok: false; message: string };

type Term = { op: 'union' | 'and' | 'not'; body: string };

export function selectHosts(inv: Inventory, pattern: string, limit?: string): SelectResult {
  const base = evalPattern(inv, pattern);
  if (!base.ok) return base;
  let hosts = base.hosts;
  if (limit !== undefined && limit.trim() !== '') {
    const lim = evalPattern(inv, limit);
    if (!lim.ok) return { ok: false, message: `--limit: ${lim.message}` };
    const keep = new Set(lim.hosts);
    hosts = hosts.filter((h) => keep.has(h));
    if (!hosts.length) return { ok: false, message: `pattern '${pattern}' with --limit '${limit}' matches no host; ${known(inv)}` };
  }
  return { ok: true, hosts };
}

function evalPattern(inv: Inventory, pattern: string): SelectResult {
  const terms = splitPattern(pattern);
  if (!terms.length) return { ok: false, message: `pattern '${pattern}' is empty; ${known(inv)}` };
  const unknown: string[] = [];
  const resolve = (body: string): Set<string> => {
    const r = matchTerm(inv, body);
    if (r === 'unknown') {
      unknown.push(body);
      return new Set();
    }
    return r;
  };
  const unions = terms.filter((t) => t.op === 'union');
  let selected = new Set<string>();
  if (!unions.length) selected = explicitHosts(inv);
  for (const t of unions) for (const h of resolve(t.body)) selected.add(h);
  for (const t of terms.filter((x) => x.op === 'and')) {
    const m = resolve(t.body);
    selected = new Set([...selected].filter((h) => m.has(h)));
  }
  for (const t of terms.filter((x) => x.op === 'not')) for (const h of resolve(t.body)) selected.delete(h);
  if (unknown.length) {
    const list = unknown.map((u) => `'${u}'`).join(', ');
    return { ok: false, message: `pattern '${pattern}': ${list} ${unknown.length > 1 ? 'are' : 'is'} neither a host nor a group; ${known(inv)}` };
  }
  // Inventory order, whatever the order of the terms.
  const hosts = [...inv.hosts.keys()].filter((h) => selected.has(h));
  if (!hosts.length) return { ok: false, message: `pattern '${pattern}' matches no host; ${known(inv)}` };
  return { ok: true, hosts };
}

/** Splits on ',' (preferred) or ':'; IPv6 addresses keep their colons. */
export function splitPattern(pattern: string): Term[] {
  const text = pattern.trim();
  let parts: string[];
  if (text.includes(',')) parts = text.split(',');
  else if (looksLikeIpv6(text)) parts = [text];
  else parts = text.split(':');
  const out: Term[] = [];
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    if (p.startsWith('&')) out.push({ op: 'and', body: p.slice(1).trim() });
    else if (p.startsWith('!')) out.push({ op: 'not', body: p.slice(1).trim() });
    else out.push({ op: 'union', body: p });
  }
  return out;
}

function looksLikeIpv6(s: string): boolean {
  return /^[0-9a-fA-F:]+$/.test(s) && (s.match(/:/g)?.length ?? 0) >= 2;
}

/** Hosts matched by one term, or 'unknown' for a plain name that is neither host nor group. */
function matchTerm(inv: Inventory, body: string): Set<string> | 'unknown' {
  if (body === 'all' || body === '*') return explicitHosts(inv);
  if (body.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(body.slice(1));
    } catch {
      return 'unknown';
    }
    return matchBy(inv, (n) => re.test(n));
  }
  if (/[*?[]/.test(body)) {
    const re = globToRegExp(body);
    return matchBy(inv, (n) => re.test(n));
  }
  const out = new Set<string>();
  if (inv.groups.has(body)) for (const h of groupMembers(inv, body)) out.add(h);
  if (inv.hosts.has(body)) out.add(body);
  if (!out.size && !inv.groups.has(body)) return 'unknown';
  return out;
}

function matchBy(inv: Inventory, test: (name: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const g of inv.groups.keys()) if (test(g)) for (const h of groupMembers(inv, g)) out.add(h);
  for (const h of explicitHosts(inv)) if (test(h)) out.add(h);
  return out;
}

/** The inventory's hosts without the implicit localhost, which only its own name matches (Ansible's rule). */
function explicitHosts(inv: Inventory): Set<string> {
  return new Set([...inv.hosts.values()].filter((h) => !h.implicit).map((h) => h.name));
}

/** Hosts of a group and of all its descendants, in inventory order. */
export function groupMembers(inv: Inventory, group: string): string[] {
  return [...inv.hosts.values()].filter((h) => h.groups.includes(group)).map((h) => h.name);
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += cls.startsWith('!') ? `[^${cls.slice(1)}]` : `[${cls}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function known(inv: Inventory): string {
  const groups = [...inv.groups.keys()].join(', ') || '(none)';
  const hosts = [...inv.hosts.keys()];
  const shown = hosts.length > 20 ? [...hosts.slice(0, 20), `... (${hosts.length} in all)`] : hosts;
  return `known groups: ${groups}; hosts: ${shown.join(', ') || '(none)'}`;
}

/**
 * How to reach a host, from its ansible_* vars (already rendered, if they held templates) over the
 * CLI's defaults over ssh_config (see connection-spec.ts and docs/ssh.md).
 */
export function connectionSpec(host: InventoryHost, defaults?: ConnectionDefaults, ctx: Omit<SpecContext, 'defaults'> = {}): ConnectionSpec {
  return buildConnectionSpec(host, { ...ctx, defaults });
}
