import pg from 'pg';
import type { SqlSession } from './sql-checks.js';

export type SslMode = 'disable' | 'require' | 'verify-full';

export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/** Opens a pg connection. verify-full relies on the RDS CA bundle (NODE_EXTRA_CA_CERTS in Lambda). */
export async function openPgSession(target: ConnectionTarget, ssl: SslMode): Promise<SqlSession & { close(): Promise<void> }> {
  const client = new pg.Client({
    ...target,
    ssl: ssl === 'disable' ? false : { rejectUnauthorized: ssl === 'verify-full', servername: target.host },
    connectionTimeoutMillis: 15_000,
    application_name: 'rds-dr-verifier',
  });
  await client.connect();
  return {
    query: (sql, params) => client.query(sql, params as unknown[]),
    close: () => client.end(),
  };
}
