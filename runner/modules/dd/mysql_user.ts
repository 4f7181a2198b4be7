// mysql_user (community.mysql subset): account, password, privileges, resource limits.
// Secret args: `password` (and `login_password`). They travel only on stdin, never in argv.
// Probe (1 exec, read-only): server version, mysql.user row, SHOW GRANTS, and a login test
// with the wanted password (an option file of mode 0600, from stdin) when the hash cannot be compared offline.
import { createHash } from 'node:crypto';
import { defineModule, type Decision, type Step } from '../types.js';
import { quote } from '../../shell-quote.js';
import {
  diffPrivs, formatPrivs, grantStatements, parseGrantLimits, parsePrivArg, parseShowGrants, sqlString,
  type Flavor, type PrivMap,
} from './mysql-grants.js';

export interface MysqlUserArgs {
  name: string;
  host?: string;
  password?: string;
  priv?: string | Record<string, string>;
  append_privs?: boolean;
  resource_limits?: Record<string, number>;
  state?: 'present' | 'absent';
  update_password?: 'always' | 'on_create';
  login_unix_socket?: string;
  login_user?: string;
  login_password?: string;
}

export interface MysqlUserProbe {
  /** The mysql client failed to reach the server (message), or undefined when it answered. */
  error?: string;
  version: string;
  exists: boolean;
  plugin: string;
  /** mysql_native_password hash ("*HEX"), empty for other plugins. */
  authString: string;
  maxUserConnections: number;
  grants: string[];
  /** Result of logging in with the wanted password: ok, bad, or skipped (no password / not testable). */
  login: 'ok' | 'bad' | 'skipped';
}

const MARK = '@@play@@';

export function account(args: MysqlUserArgs): string {
  return `${sqlString(args.name)}@${sqlString(args.host ?? 'localhost')}`;
}

/**
 * Shell prelude: passwords arrive on stdin and go into option files (umask 077, a private temp dir
 * removed on exit), never into the environment (MYSQL_PWD) or argv. printf is a shell builtin; sed
 * reads the password from a pipe. Values are double-quoted with \\ and \" escaped (MySQL option files).
 */
const CNF_PRELUDE = [
  'umask 077; cnfdir=$(mktemp -d) || exit 1; trap \'rm -rf "$cnfdir"\' EXIT HUP INT TERM',
  'cnf() { printf \'[client]\\n\'; if [ -n "$1" ]; then printf \'password="%s"\\n\' "$(printf \'%s\' "$1" | sed \'s/\\\\/\\\\\\\\/g; s/"/\\\\"/g\')"; fi; }',
  'IFS= read -r adminpw; cnf "$adminpw" > "$cnfdir/admin.cnf"; adminpw=',
].join('\n');

/** The mysql client invocation as the admin (socket/user from args; password from the option file). */
function client(args: MysqlUserArgs): string {
  const parts = ['mysql', '--defaults-extra-file="$cnfdir/admin.cnf"', '-N', '-B'];
  if (args.login_unix_socket) parts.push(`--socket=${quote(args.login_unix_socket)}`);
  if (args.login_user) parts.push(`--user=${quote(args.login_user)}`);
  return parts.join(' ');
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '%']);

/** Stdin of the probe and the steps: first line admin password (may be empty), then the payload. */
function stdinFor(args: MysqlUserArgs, payload: string): string {
  return `${(args.login_password ?? '').replace(/\n/g, '')}\n${payload}`;
}

export function probeScript(args: MysqlUserArgs): string {
  const mysql = client(args);
  const host = args.host ?? 'localhost';
  const where = `User=${sqlString(args.name)} AND Host=${sqlString(host)}`;
  const testLogin = args.password !== undefined && LOCAL_HOSTS.has(host);
  const userLogin = ['mysql', '--defaults-extra-file="$cnfdir/user.cnf"', '-N', '-B', `--user=${quote(args.name)}`,
    ...(host === '127.0.0.1' ? ['--host=127.0.0.1', '--protocol=TCP'] : []),
    ...(args.login_unix_socket && host !== '127.0.0.1' ? [`--socket=${quote(args.login_unix_socket)}`] : [])].join(' ');
  return [
    CNF_PRELUDE,
    'pw=$(cat); cnf "$pw" > "$cnfdir/user.cnf"',
    `v=$(${mysql} -e 'SELECT VERSION()' 2>&1) || { echo "${MARK}error"; echo "$v"; exit 0; }`,
    `echo "${MARK}version"; echo "$v"`,
    `echo "${MARK}user"; ${mysql} -e ${quote(`SELECT plugin, IF(plugin='mysql_native_password', authentication_string, ''), max_user_connections FROM mysql.user WHERE ${where}`)}`,
    `echo "${MARK}grants"; ${mysql} -e ${quote(`SHOW GRANTS FOR ${account(args)}`)} 2>/dev/null`,
    `echo "${MARK}login"`,
    testLogin
      ? `if [ -z "$pw" ]; then echo skipped; elif ${userLogin} -e 'SELECT 1' >/dev/null 2>&1; then echo ok; else echo bad; fi`
      : 'echo skipped',
  ].join('\n');
}

export function parseProbe(stdout: string): MysqlUserProbe {
  const sections = new Map<string, string[]>();
  let cur = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith(MARK)) {
      cur = line.slice(MARK.length);
      sections.set(cur, []);
    } else if (cur) sections.get(cur)!.push(line);
  }
  const lines = (k: string) => (sections.get(k) ?? []).filter((l) => l.trim() !== '');
  const probe: MysqlUserProbe = { version: '', exists: false, plugin: '', authString: '', maxUserConnections: 0, grants: [], login: 'skipped' };
  if (sections.has('error')) return { ...probe, error: lines('error').join('\n') || 'mysql client failed' };
  probe.version = lines('version')[0] ?? '';
  const row = lines('user')[0];
  if (row !== undefined) {
    const [plugin, auth, max] = row.split('\t');
    probe.exists = true;
    probe.plugin = plugin ?? '';
    probe.authString = auth === 'NULL' ? '' : (auth ?? '');
    probe.maxUserConnections = Number(max ?? 0) || 0;
  }
  probe.grants = lines('grants');
  const login = lines('login')[0];
  probe.login = login === 'ok' || login === 'bad' ? login : 'skipped';
  return probe;
}

/** MariaDB >= 10.5 renames some privileges; older MariaDB and MySQL do not. */
export function flavorOf(version: string): Flavor {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!/mariadb/i.test(version) || !m) return 'mysql';
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > 10 || (maj === 10 && min >= 5) ? 'mariadb' : 'mysql';
}

/** The mysql_native_password hash: "*" + upper hex SHA1(SHA1(password)). */
export function nativeHash(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return '*' + createHash('sha1').update(inner).digest('hex').toUpperCase();
}

function passwordMatches(args: MysqlUserArgs, probe: MysqlUserProbe): boolean | undefined {
  if (args.password === undefined) return true;
  if (probe.plugin === 'mysql_native_password' && probe.authString !== '') return probe.authString === nativeHash(args.password);
  if (probe.login === 'ok') return true;
  if (probe.login === 'bad') return false;
  return undefined;
}

const LIMITS = ['MAX_QUERIES_PER_HOUR', 'MAX_UPDATES_PER_HOUR', 'MAX_CONNECTIONS_PER_HOUR', 'MAX_USER_CONNECTIONS'];

function sqlStep(args: MysqlUserArgs, describe: string, sql: string[]): Step {
  return { kind: 'exec', describe, cmd: `${CNF_PRELUDE}\n${client(args)}`, stdin: stdinFor(args, sql.join('\n') + '\n') };
}

export function decideMysqlUser(args: MysqlUserArgs, probe: MysqlUserProbe): Decision {
  const who = `${args.name}@${args.host ?? 'localhost'}`;
  if (probe.error !== undefined) return { kind: 'fail', msg: `cannot query the MySQL server: ${probe.error}` };
  const acct = account(args);
  if ((args.state ?? 'present') === 'absent') {
    if (!probe.exists) return { kind: 'noop', reason: `user ${who} does not exist` };
    return { kind: 'change', summary: `drop user ${who}`, steps: [sqlStep(args, `DROP USER ${who}`, [`DROP USER IF EXISTS ${acct};`])] };
  }
  const flavor = flavorOf(probe.version);
  const sql: string[] = [];
  const changes: string[] = [];
  const diffLines: string[] = [];
  if (!probe.exists) {
    const ident = args.password !== undefined ? ` IDENTIFIED BY ${sqlString(args.password)}` : '';
    sql.push(`CREATE USER IF NOT EXISTS ${acct}${ident};`);
    changes.push('create user');
  } else if (args.password !== undefined && (args.update_password ?? 'always') === 'always') {
    const same = passwordMatches(args, probe);
    if (same === undefined) return { kind: 'fail', msg: `cannot verify the password of ${who} (plugin ${probe.plugin}); set update_password: on_create` };
    if (!same) {
      sql.push(`ALTER USER ${acct} IDENTIFIED BY ${sqlString(args.password)};`);
      changes.push('set password');
    }
  }
  const limits = args.resource_limits ?? {};
  const current: Record<string, number> = { MAX_USER_CONNECTIONS: probe.maxUserConnections, ...parseGrantLimits(probe.grants) };
  const setLimits: string[] = [];
  for (const [k, v] of Object.entries(limits)) {
    const key = k.toUpperCase();
    if (!LIMITS.includes(key)) return { kind: 'fail', msg: `resource_limits: unknown limit ${k} (known: ${LIMITS.join(', ')})` };
    if (!probe.exists || (current[key] ?? 0) !== v) {
      setLimits.push(`${key} ${v}`);
      diffLines.push(`-${key} ${current[key] ?? 0}`, `+${key} ${v}`);
    }
  }
  // ALTER USER ... WITH works on MySQL >= 5.7 and MariaDB >= 10.2; MySQL 8 refuses GRANT ... WITH MAX_*.
  if (setLimits.length > 0) {
    sql.push(`ALTER USER ${acct} WITH ${setLimits.join(' ')};`);
    changes.push(`set ${setLimits.join(', ')}`);
  }
  if (args.priv !== undefined) {
    const want = parsePrivArg(args.priv, flavor);
    if (!want.ok) return { kind: 'fail', msg: want.msg };
    const have: PrivMap = probe.exists ? parseShowGrants(probe.grants, flavor) : new Map();
    const change = diffPrivs(want.privs, have, args.append_privs === true);
    const stmts = grantStatements(change, acct);
    if (stmts.length > 0) {
      sql.push(...stmts);
      changes.push(`privileges ${formatPrivs(have) || '(none)'} -> ${formatPrivs(want.privs)}`);
      diffLines.push(`-priv ${formatPrivs(have)}`, `+priv ${formatPrivs(want.privs)}`);
    }
  }
  if (sql.length === 0) {
    return { kind: 'noop', reason: `user ${who} exists with the wanted password, privileges and limits` };
  }
  return {
    kind: 'change',
    summary: `${who}: ${changes.join('; ')}`,
    steps: [sqlStep(args, `${changes.join('; ')} for ${who}`, sql)],
    ...(diffLines.length > 0 ? { diff: `--- ${who}\n+++ ${who}\n${diffLines.join('\n')}\n` } : {}),
  };
}

export const mysqlUserModule = defineModule<MysqlUserArgs, MysqlUserProbe>({
  name: 'mysql_user',
  schema: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      host: { type: 'string', minLength: 1 },
      password: { type: 'string' },
      priv: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] },
      append_privs: { type: 'boolean' },
      resource_limits: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
      state: { enum: ['present', 'absent'] },
      update_password: { enum: ['always', 'on_create'] },
      login_unix_socket: { type: 'string' },
      login_user: { type: 'string' },
      login_password: { type: 'string' },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(probeScript(args), { stdin: stdinFor(args, args.password ?? '') });
    if (r.code !== 0) return { ...parseProbe(''), error: (r.stderr || r.stdout).trim() || `probe exited ${r.code}` };
    return parseProbe(r.stdout);
  },
  decide(args, probe) {
    return decideMysqlUser(args, probe);
  },
});
