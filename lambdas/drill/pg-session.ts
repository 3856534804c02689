import pg from 'pg';
import type { SqlSession } from '../core/sql-dialect.js';

export type SslMode = 'disable' | 'require' | 'verify-full';

export interface ConnectionTarget {
  host: string;
  port: number;
  /** Absent: the engine's default ("postgres" on PostgreSQL; none on MySQL/MariaDB). */
  database?: string;
  user: string;
  password: string;
}

export type OpenSession = SqlSession & { close(): Promise<void> };

/** Opens a pg connection. verify-full relies on the RDS CA bundle (NODE_EXTRA_CA_CERTS in Lambda). */
export async function openPgSession(target: ConnectionTarget, ssl: SslMode): Promise<OpenSession> {
  const client = new pg.Client({
    ...target,
    database: target.database ?? 'postgres',
    ssl: ssl === 'disable' ? false : { rejectUnauthorized: ssl === 'verify-full', servername: target.host },
    connectionTimeoutMillis: 15_000,
    application_name: 'rds-dr-verifier',
  });
  await client.connect();
  return {
    dialect: 'postgresql',
    query: (sql, params) => client.query(sql, params as unknown[]),
    close: () => client.end(),
  };
}
