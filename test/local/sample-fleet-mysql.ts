// The MySQL-family part of the sample fleet `npm start` runs (run-cycle.ts), shared with its test:
// a MariaDB instance and an Aurora MySQL cluster on moto, each with an `items` table of real rows on
// the local MariaDB server. config/local.json names their drill checks.
import { createAuroraMysqlCluster, createMariadbInstance } from './fleet.js';
import type { LocalStack } from './local-stack.js';

/** Database name (= RDS identifier) -> [kind, rows]. */
export const MYSQL_SAMPLE_FLEET = { shop: ['instance', 600], accounts: ['cluster', 300] } as const;

export async function createMysqlSampleFleet(aws: LocalStack, tags: Record<string, string>): Promise<void> {
  await createMariadbInstance(aws.rds, 'shop', tags);
  await createAuroraMysqlCluster(aws.rds, 'accounts', tags);
  for (const [database, [kind, rows]] of Object.entries(MYSQL_SAMPLE_FLEET)) {
    await aws.mariadb!.createDatabase(database);
    aws.dataPlane!.attach(kind, database, database, 'mysql');
    await aws.sql(
      kind,
      database,
      `CREATE TABLE items (id INT PRIMARY KEY, updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), payload VARCHAR(32)) ENGINE=InnoDB;
       INSERT INTO items (id, payload) WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${rows}) SELECT n, md5(n) FROM g`,
    );
  }
}

/** Rows of `items` in `database` on the main MariaDB server. */
export async function countMysqlItems(aws: LocalStack, database: string): Promise<number> {
  const c = await aws.mariadb!.client(database);
  try {
    const [rows] = await c.query('SELECT COUNT(*) AS n FROM items');
    return Number((rows as { n: number }[])[0].n);
  } finally {
    await c.end();
  }
}
