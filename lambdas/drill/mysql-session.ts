// A MySQL-protocol session (RDS for MySQL, Aurora MySQL, RDS for MariaDB) for the drill's checks.
import mysql from 'mysql2/promise';
import { mysqlFamilyDialect } from '../core/sql-dialect.js';
import type { ConnectionTarget, OpenSession, SslMode } from './pg-session.js';

/**
 * Opens a mysql2 connection. verify-full checks the certificate chain against Node's trust store, which
 * NODE_EXTRA_CA_CERTS extends with the RDS CA bundle in Lambda, and the host name; require encrypts without
 * verifying. Times are read as UTC (RDS's default time_zone), so freshness compares like PostgreSQL's.
 */
export async function openMysqlSession(target: ConnectionTarget, ssl: SslMode): Promise<OpenSession> {
  const connection = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: ssl === 'disable' ? undefined : { rejectUnauthorized: ssl === 'verify-full', verifyIdentity: ssl === 'verify-full' },
    connectTimeout: 15_000,
    timezone: 'Z',
    // Counts and sums arrive as text rather than lossy JavaScript numbers, as pg returns them.
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectAttributes: { program_name: 'rds-dr-verifier' },
  });
  const [versionRows] = await connection.query('SELECT VERSION() AS version');
  const dialect = mysqlFamilyDialect(String((versionRows as Record<string, unknown>[])[0]?.version ?? ''));
  return {
    dialect,
    // query, not execute: the checks' statements (SET, START TRANSACTION, CHECK TABLE) are not all preparable.
    query: async (sql, params) => {
      const [rows] = await connection.query(sql, params);
      return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] };
    },
    close: () => connection.end(),
  };
}
