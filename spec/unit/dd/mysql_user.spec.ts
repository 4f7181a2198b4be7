import { expect } from 'chai';
import { diffPrivs, formatPrivs, grantStatements, parseGrantLimits, parsePrivArg, parseShowGrants, sqlString } from '../../../runner/modules/dd/mysql-grants.js';
import { decideMysqlUser, flavorOf, nativeHash, parseProbe, probeScript, type MysqlUserArgs, type MysqlUserProbe } from '../../../runner/modules/dd/mysql_user.js';

// Recorded on MariaDB 10.11.19 (Debian 12) after the reference grants.
const MARIADB_GRANTS = [
  "GRANT PROCESS, BINLOG MONITOR ON *.* TO `datadog`@`localhost` IDENTIFIED BY PASSWORD '*21242BFB56BD3BA2A42DD363BA0F20A6383257B1' WITH MAX_USER_CONNECTIONS 5",
  'GRANT SELECT ON `performance_schema`.* TO `datadog`@`localhost`',
];
// MySQL 8.0 prints no limits and keeps REPLICATION CLIENT.
const MYSQL8_GRANTS = [
  'GRANT PROCESS, REPLICATION CLIENT ON *.* TO `datadog`@`localhost`',
  'GRANT SELECT ON `performance_schema`.* TO `datadog`@`localhost`',
];
const REF_PRIV = '*.*:REPLICATION CLIENT,PROCESS/performance_schema.*:SELECT';
const PW = "s3cr'et";

const args: MysqlUserArgs = { name: 'datadog', host: 'localhost', password: PW, priv: REF_PRIV, resource_limits: { MAX_USER_CONNECTIONS: 5 } };
const mariadbProbe: MysqlUserProbe = {
  version: '10.11.19-MariaDB-0+deb12u1', exists: true, plugin: 'mysql_native_password',
  authString: '*21242BFB56BD3BA2A42DD363BA0F20A6383257B1', maxUserConnections: 5, grants: MARIADB_GRANTS, login: 'skipped',
};

describe('mysql grants (pure)', () => {
  it('parses the recorded MariaDB SHOW GRANTS into the reference privileges', () => {
    const have = parseShowGrants(MARIADB_GRANTS, 'mariadb');
    const want = parsePrivArg(REF_PRIV, 'mariadb');
    expect(want.ok).to.equal(true);
    if (!want.ok) return;
    expect(formatPrivs(have)).to.equal('*.*:BINLOG MONITOR,PROCESS/performance_schema.*:SELECT');
    expect(formatPrivs(want.privs)).to.equal(formatPrivs(have));
    const d = diffPrivs(want.privs, have, false);
    expect(d.grant.size + d.revoke.size).to.equal(0);
  });

  it('parses MySQL 8 SHOW GRANTS without aliases', () => {
    const have = parseShowGrants(MYSQL8_GRANTS, 'mysql');
    expect(formatPrivs(have)).to.equal('*.*:PROCESS,REPLICATION CLIENT/performance_schema.*:SELECT');
  });

  it('reads MAX_USER_CONNECTIONS from a MariaDB grant line', () => {
    expect(parseGrantLimits(MARIADB_GRANTS)).to.deep.equal({ MAX_USER_CONNECTIONS: 5 });
    expect(parseGrantLimits(MYSQL8_GRANTS)).to.deep.equal({});
  });

  it('grants what is missing and revokes what is extra, including whole objects', () => {
    const want = parsePrivArg('*.*:PROCESS,GRANT/db1.*:SELECT,INSERT', 'mysql');
    if (!want.ok) throw new Error(want.msg);
    const have = parseShowGrants(['GRANT RELOAD ON *.* TO `u`@`h`', 'GRANT SELECT ON `db2`.* TO `u`@`h`', 'GRANT USAGE ON `db3`.* TO `u`@`h`'], 'mysql');
    const change = diffPrivs(want.privs, have, false);
    const sql = grantStatements(change, "'u'@'h'");
    expect(sql).to.deep.equal([
      "REVOKE RELOAD ON *.* FROM 'u'@'h';",
      "REVOKE SELECT ON `db2`.* FROM 'u'@'h';",
      "GRANT PROCESS ON *.* TO 'u'@'h' WITH GRANT OPTION;",
      "GRANT INSERT, SELECT ON `db1`.* TO 'u'@'h';",
    ]);
    expect(diffPrivs(want.privs, have, true).revoke.size).to.equal(0);
  });

  it('rejects malformed priv strings', () => {
    expect(parsePrivArg('PROCESS', 'mysql').ok).to.equal(false);
    expect(parsePrivArg('nodot:SELECT', 'mysql').ok).to.equal(false);
  });

  it('escapes SQL strings', () => {
    expect(sqlString("a'b\\c")).to.equal("'a\\'b\\\\c'");
  });
});

describe('mysql_user decide', () => {
  it('knows the server flavor from VERSION()', () => {
    expect(flavorOf('10.11.19-MariaDB-0+deb12u1')).to.equal('mariadb');
    expect(flavorOf('10.3.39-MariaDB')).to.equal('mysql');
    expect(flavorOf('8.0.42-0ubuntu0.22.04.1')).to.equal('mysql');
  });

  it('computes the mysql_native_password hash', () => {
    expect(nativeHash(PW)).to.equal('*21242BFB56BD3BA2A42DD363BA0F20A6383257B1');
  });

  it('is a noop on the recorded MariaDB state and says why', () => {
    const d = decideMysqlUser(args, mariadbProbe);
    expect(d.kind).to.equal('noop');
    if (d.kind === 'noop') expect(d.reason).to.match(/exists with the wanted password, privileges and limits/);
  });

  it('is a noop on MySQL 8 when the login test succeeds', () => {
    const p: MysqlUserProbe = { ...mariadbProbe, version: '8.0.42', plugin: 'caching_sha2_password', authString: '', grants: MYSQL8_GRANTS, login: 'ok' };
    expect(decideMysqlUser(args, p).kind).to.equal('noop');
  });

  it('creates a missing user with IF NOT EXISTS, ALTER USER for limits (MySQL 8 safe), and grants; password only in stdin', () => {
    const p: MysqlUserProbe = { ...mariadbProbe, exists: false, plugin: '', authString: '', maxUserConnections: 0, grants: [] };
    const d = decideMysqlUser(args, p);
    expect(d.kind).to.equal('change');
    if (d.kind !== 'change') return;
    const step = d.steps[0]!;
    expect(step.kind).to.equal('exec');
    if (step.kind !== 'exec') return;
    expect(step.cmd).to.not.include('s3cr');
    expect(step.describe).to.not.include('s3cr');
    expect(d.summary).to.not.include('s3cr');
    expect(d.diff ?? '').to.not.include('s3cr');
    const sql = String(step.stdin);
    expect(sql).to.include("CREATE USER IF NOT EXISTS 'datadog'@'localhost' IDENTIFIED BY 's3cr\\'et';");
    expect(sql).to.include("ALTER USER 'datadog'@'localhost' WITH MAX_USER_CONNECTIONS 5;");
    expect(sql).to.include("GRANT BINLOG MONITOR, PROCESS ON *.* TO 'datadog'@'localhost';");
    expect(sql).to.include("GRANT SELECT ON `performance_schema`.* TO 'datadog'@'localhost';");
    expect(sql).to.not.match(/GRANT[^;]*WITH MAX_USER_CONNECTIONS/);
  });

  it('rotates a wrong password with ALTER USER, and fixes the limit', () => {
    const d = decideMysqlUser({ ...args, password: 'other', resource_limits: { MAX_USER_CONNECTIONS: 7 } }, mariadbProbe);
    expect(d.kind).to.equal('change');
    if (d.kind !== 'change' || d.steps[0]!.kind !== 'exec') return;
    expect(String(d.steps[0]!.stdin)).to.include("ALTER USER 'datadog'@'localhost' IDENTIFIED BY 'other';");
    expect(String(d.steps[0]!.stdin)).to.include('WITH MAX_USER_CONNECTIONS 7;');
    expect(d.summary).to.not.include('other');
  });

  it('fails when the password cannot be verified, and when the server is unreachable', () => {
    const p: MysqlUserProbe = { ...mariadbProbe, plugin: 'caching_sha2_password', authString: '', login: 'skipped' };
    expect(decideMysqlUser(args, p).kind).to.equal('fail');
    expect(decideMysqlUser({ ...args, update_password: 'on_create' }, p).kind).to.equal('noop');
    expect(decideMysqlUser(args, { ...mariadbProbe, error: 'ERROR 2002' }).kind).to.equal('fail');
  });

  it('drops a user for state=absent, noop when gone', () => {
    expect(decideMysqlUser({ name: 'datadog', state: 'absent' }, mariadbProbe).kind).to.equal('change');
    expect(decideMysqlUser({ name: 'datadog', state: 'absent' }, { ...mariadbProbe, exists: false }).kind).to.equal('noop');
  });

  it('parses the probe output; the probe command carries no password', () => {
    const out = ['@@play@@version', '10.11.19-MariaDB-0+deb12u1', '@@play@@user', 'mysql_native_password\t*21242BFB56BD3BA2A42DD363BA0F20A6383257B1\t5',
      '@@play@@grants', ...MARIADB_GRANTS, '@@play@@login', 'ok', ''].join('\n');
    const p = parseProbe(out);
    expect(p).to.deep.include({ exists: true, maxUserConnections: 5, plugin: 'mysql_native_password', login: 'ok' });
    expect(p.grants).to.have.length(2);
    expect(parseProbe('@@play@@error\nERROR 2002 (HY000): Can\'t connect\n').error).to.match(/2002/);
    expect(probeScript(args)).to.not.include('s3cr');
  });

  it('passes passwords through 0600 option files in a temp dir removed on exit, never MYSQL_PWD or argv', () => {
    const script = probeScript({ ...args, login_password: 'adm1n' });
    expect(script).to.not.include('MYSQL_PWD');
    expect(script).to.include('umask 077').and.include('trap \'rm -rf "$cnfdir"\' EXIT');
    expect(script).to.include('--defaults-extra-file="$cnfdir/admin.cnf"').and.include('--defaults-extra-file="$cnfdir/user.cnf"');
    const d = decideMysqlUser({ ...args, login_password: 'adm1n' }, { version: '10.11.6-MariaDB', exists: false, plugin: '', authString: '', maxUserConnections: 0, grants: [], login: 'skipped' });
    if (d.kind !== 'change') throw new Error(`expected a change, got ${d.kind}`);
    for (const st of d.steps) if (st.kind === 'exec') {
      expect(st.cmd).to.not.include('MYSQL_PWD').and.not.include('adm1n');
      expect(st.cmd).to.include('--defaults-extra-file="$cnfdir/admin.cnf"');
    }
  });
});
