// Pure helpers for mysql_user: Ansible `priv` strings, SHOW GRANTS parsing, and the grant diff.
// A priv map is object ("*.*", "performance_schema.*", "db.tbl") -> set of privilege names
// (upper case, single spaces; "GRANT" stands for WITH GRANT OPTION, as in Ansible).

export type PrivMap = Map<string, Set<string>>;

export type Flavor = 'mariadb' | 'mysql';

/** Privilege names a server reports under another name. MariaDB >= 10.5 shows REPLICATION CLIENT as BINLOG MONITOR. */
const MARIADB_ALIASES: Record<string, string> = {
  'REPLICATION CLIENT': 'BINLOG MONITOR',
  'REPLICA MONITOR': 'SLAVE MONITOR',
};

const norm = (p: string): string => p.trim().replace(/\s+/g, ' ').toUpperCase();

/** "`performance_schema`.*" -> "performance_schema.*"; "*.*" stays. */
export function normalizeObject(obj: string): string {
  return obj.trim().replace(/`/g, '').replace(/"/g, '');
}

/** Canonical privilege name: ALL -> ALL PRIVILEGES, aliases resolved for the server flavor. */
export function canonicalPriv(p: string, flavor: Flavor): string {
  const n = norm(p);
  if (n === 'ALL') return 'ALL PRIVILEGES';
  if (flavor === 'mariadb' && MARIADB_ALIASES[n]) return MARIADB_ALIASES[n]!;
  return n;
}

/** Splits a privilege list on commas outside parentheses (column lists stay whole). */
function splitPrivs(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of list) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

export type ParseResult = { ok: true; privs: PrivMap } | { ok: false; msg: string };

/** Parses Ansible's `priv`: "*.*:REPLICATION CLIENT,PROCESS/performance_schema.*:SELECT" or a mapping. */
export function parsePrivArg(priv: string | Record<string, string>, flavor: Flavor): ParseResult {
  const entries: [string, string][] = [];
  if (typeof priv === 'string') {
    for (const part of priv.split('/').map((s) => s.trim()).filter((s) => s !== '')) {
      const i = part.lastIndexOf(':');
      if (i <= 0) return { ok: false, msg: `priv entry '${part}' is not of the form db.table:PRIV1,PRIV2` };
      entries.push([part.slice(0, i), part.slice(i + 1)]);
    }
  } else {
    entries.push(...Object.entries(priv));
  }
  const privs: PrivMap = new Map();
  for (const [objRaw, list] of entries) {
    const obj = normalizeObject(objRaw);
    if (!/^[^.]+\.[^.]+$/.test(obj)) return { ok: false, msg: `priv object '${objRaw}' must look like db.table (e.g. *.* or mydb.*)` };
    const set = privs.get(obj) ?? new Set<string>();
    for (const p of splitPrivs(list)) set.add(canonicalPriv(p, flavor));
    if (set.size === 0) return { ok: false, msg: `priv object '${objRaw}' lists no privileges` };
    privs.set(obj, set);
  }
  return { ok: true, privs };
}

// GRANT <privs> ON <object> TO <user>@<host> [IDENTIFIED BY ...] [REQUIRE ...] [WITH ...]
const GRANT_RE = /^GRANT (.+?) ON (?:(?:TABLE|FUNCTION|PROCEDURE|PACKAGE|PACKAGE BODY) )?(\S+) TO (\S+)(.*)$/i;

/** Parses SHOW GRANTS output lines into a priv map. USAGE alone is dropped; proxy and role grants are ignored. */
export function parseShowGrants(lines: readonly string[], flavor: Flavor): PrivMap {
  const privs: PrivMap = new Map();
  for (const raw of lines) {
    const line = raw.trim();
    if (!line.toUpperCase().startsWith('GRANT ') || /^GRANT PROXY ON /i.test(line)) continue;
    const m = GRANT_RE.exec(line);
    if (!m) continue;
    const obj = normalizeObject(m[2]!);
    const set = privs.get(obj) ?? new Set<string>();
    for (const p of splitPrivs(m[1]!)) {
      const c = canonicalPriv(p, flavor);
      if (c !== 'USAGE') set.add(c);
    }
    if (/\bWITH\b.*\bGRANT OPTION\b/i.test(m[4]!)) set.add('GRANT');
    if (set.size > 0) privs.set(obj, set);
  }
  return privs;
}

/** MAX_USER_CONNECTIONS etc. from a MariaDB `... WITH MAX_USER_CONNECTIONS 5` line (MySQL 8 never prints them). */
export function parseGrantLimits(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) {
    for (const m of line.matchAll(/\b(MAX_QUERIES_PER_HOUR|MAX_UPDATES_PER_HOUR|MAX_CONNECTIONS_PER_HOUR|MAX_USER_CONNECTIONS|MAX_STATEMENT_TIME) (\d+(?:\.\d+)?)/gi)) {
      out[m[1]!.toUpperCase()] = Number(m[2]);
    }
  }
  return out;
}

export interface GrantChange {
  grant: Map<string, string[]>;
  revoke: Map<string, string[]>;
}

/** What to GRANT and REVOKE so `current` becomes `want` (with append, nothing is revoked). */
export function diffPrivs(want: PrivMap, current: PrivMap, append: boolean): GrantChange {
  const grant = new Map<string, string[]>();
  const revoke = new Map<string, string[]>();
  for (const [obj, privs] of want) {
    const have = current.get(obj) ?? new Set<string>();
    const wantAll = privs.has('ALL PRIVILEGES');
    const missing = [...privs].filter((p) => !have.has(p)).sort();
    if (missing.length > 0) grant.set(obj, missing);
    if (!append) {
      const extra = [...have].filter((p) => !privs.has(p) && !(wantAll && p !== 'GRANT')).sort();
      if (extra.length > 0) revoke.set(obj, extra);
    }
  }
  if (!append) {
    for (const [obj, have] of current) {
      if (!want.has(obj)) revoke.set(obj, [...have].sort());
    }
  }
  return { grant, revoke };
}

/** "*.*:PROCESS,REPLICATION CLIENT/performance_schema.*:SELECT", sorted, for messages and diffs. */
export function formatPrivs(privs: PrivMap): string {
  return [...privs.keys()]
    .sort()
    .map((o) => `${o}:${[...privs.get(o)!].sort().join(',')}`)
    .join('/');
}

/** SQL string literal with MySQL escapes. */
export function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** `db`.`tbl` with backticks (a `*` stays bare). */
export function sqlObject(obj: string): string {
  const i = obj.indexOf('.');
  const q = (s: string) => (s === '*' ? '*' : `\`${s.replace(/`/g, '``')}\``);
  return `${q(obj.slice(0, i))}.${q(obj.slice(i + 1))}`;
}

/** GRANT/REVOKE statements for a change. GRANT (the option) becomes WITH GRANT OPTION / GRANT OPTION. */
export function grantStatements(change: GrantChange, account: string): string[] {
  const sql: string[] = [];
  for (const [obj, privs] of change.revoke) {
    const plain = privs.filter((p) => p !== 'GRANT');
    if (plain.length > 0) sql.push(`REVOKE ${plain.join(', ')} ON ${sqlObject(obj)} FROM ${account};`);
    if (privs.includes('GRANT')) sql.push(`REVOKE GRANT OPTION ON ${sqlObject(obj)} FROM ${account};`);
  }
  for (const [obj, privs] of change.grant) {
    const plain = privs.filter((p) => p !== 'GRANT');
    const withGrant = privs.includes('GRANT') ? ' WITH GRANT OPTION' : '';
    sql.push(`GRANT ${plain.length > 0 ? plain.join(', ') : 'USAGE'} ON ${sqlObject(obj)} TO ${account}${withGrant};`);
  }
  return sql;
}
