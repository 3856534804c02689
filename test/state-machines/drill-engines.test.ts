// Drills by engine on the local AWS (moto + MariaDB as the MySQL-protocol data plane): MariaDB, MySQL and
// Aurora MySQL databases are backed up, tampered with, restored and verified in their own dialect; an
// engine the verifier does not speak (Oracle) gets a restore-only drill: restored, timed and deleted,
// never a connect attempt, and one clear notice.
import { CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuroraMysqlCluster, createMariadbInstance, createMysqlInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { motoClientConfig } from '../local/moto.js';
import { DR, localConfig } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const CHECKSUM_SQL = "SELECT MD5(GROUP_CONCAT(id, ':', total ORDER BY id SEPARATOR ',')) FROM orders";
// The checksum of the rows as seeded (id, id * 2.50), computed independently of MariaDB.
const SEEDED_CHECKSUM = createHash('md5')
  .update(Array.from({ length: 120 }, (_, i) => `${i + 1}:${((i + 1) * 2.5).toFixed(2)}`).join(','))
  .digest('hex');

describe('drills by engine on the local AWS', () => {
  let aws: LocalStack;
  let s3: S3Client;

  const reportsFor = async (db: string) => {
    const list = await s3.send(new ListObjectsV2Command({ Bucket: aws.verification!.reportsBucket, Prefix: `reports/verification/${db}/` }));
    return Promise.all(
      (list.Contents ?? []).map(async (o) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.verification!.reportsBucket, Key: o.Key }))).Body!.transformToString())),
    );
  };

  beforeAll(async () => {
    const config = localConfig({
      verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
      policies: {
        gold: {
          selection: { tags: GOLD },
          verify: {
            restoreTimeoutMinutes: 10,
            databases: {
              shop: {
                database: 'shop',
                tables: [{ name: 'orders', minRows: 100, freshnessColumn: 'updated_at' }, { name: 'shop.customers', minRows: 2 }],
                assertions: [
                  { name: 'snapshot-time row count', sql: 'SELECT COUNT(*) FROM orders', expect: 120 },
                  { name: 'snapshot-time checksum', sql: CHECKSUM_SQL, expect: SEEDED_CHECKSUM },
                  { name: 'every order has a total', sql: 'SELECT COUNT(*) = 0 FROM orders WHERE total IS NULL', expect: true },
                ],
              },
              // No database configured: tables are named with theirs.
              basket: { tables: [{ name: 'basket.cart_lines', minRows: 50 }] },
              catalog: { database: 'catalog', tables: [{ name: 'items', minRows: 3 }] },
              ledger: { database: 'ledger', tables: [{ name: 'entries', minRows: 1 }] },
              // Tables configured for an engine without SQL checks are not run (the notice says so).
              erp: { instanceClass: 'db.m5.large', tables: [{ name: 'APPS.ORDERS', minRows: 1 }] },
            },
          },
        },
      },
    });
    aws = await LocalStack.start({ config, withMariadb: true });
    s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    await createMariadbInstance(aws.rds, 'shop', GOLD);
    await createMariadbInstance(aws.rds, 'basket', GOLD);
    await createMysqlInstance(aws.rds, 'catalog', GOLD);
    await createAuroraMysqlCluster(aws.rds, 'ledger', GOLD);
    for (const [kind, id] of [['instance', 'shop'], ['instance', 'basket'], ['instance', 'catalog'], ['cluster', 'ledger']] as const) {
      await aws.mariadb!.createDatabase(id);
      aws.dataPlane!.attach(kind, id, id, 'mysql');
    }
    await aws.sql('instance', 'shop', `
      CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL) ENGINE=InnoDB;
      CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(8,2) NOT NULL,
        updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, KEY total_ix (total),
        FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;
      INSERT INTO customers VALUES (1, 'ada'), (2, 'grace');
      INSERT INTO orders (id, customer_id, total) SELECT seq, 1 + seq % 2, seq * 2.5 FROM seq_1_to_120;`);
    // basket was already damaged when it was backed up: lines pointing at carts that do not exist, and too few lines.
    await aws.sql('instance', 'basket', `
      CREATE TABLE carts (id INT PRIMARY KEY) ENGINE=InnoDB;
      CREATE TABLE cart_lines (cart_id INT NOT NULL, sku VARCHAR(20) NOT NULL, PRIMARY KEY (cart_id, sku), CONSTRAINT lines_cart FOREIGN KEY (cart_id) REFERENCES carts (id)) ENGINE=InnoDB;
      INSERT INTO carts VALUES (1);
      INSERT INTO cart_lines VALUES (1, 'a'), (1, 'b');
      SET foreign_key_checks = 0; INSERT INTO cart_lines VALUES (7, 'lost'), (8, 'lost'), (8, 'found'); SET foreign_key_checks = 1;`);
    await aws.sql('instance', 'catalog', 'CREATE TABLE items (sku VARCHAR(20) PRIMARY KEY) ENGINE=InnoDB; INSERT INTO items VALUES (\'a\'), (\'b\'), (\'c\')');
    await aws.sql('cluster', 'ledger', "CREATE TABLE entries (id INT PRIMARY KEY, note TEXT) ENGINE=InnoDB; INSERT INTO entries VALUES (1, 'opening balance')");
    await aws.rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'erp', Engine: 'oracle-ee', DBInstanceClass: 'db.m5.large', AllocatedStorage: 100, LicenseModel: 'bring-your-own-license',
      MasterUsername: 'admin', MasterUserPassword: 'local-only-password', StorageEncrypted: true, Tags: Object.entries(GOLD).map(([Key, Value]) => ({ Key, Value })),
    }));
    const backup = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' });
    expect(backup.status).toBe('SUCCEEDED');
  }, 300_000);
  afterAll(async () => aws?.stop());

  it('MariaDB: backup -> tamper -> restore -> verify passes with the snapshot-time data, in MariaDB\'s dialect, with the integrity checks', async () => {
    await aws.sql('instance', 'shop', 'DELETE FROM orders WHERE id > 60; UPDATE orders SET total = 0');
    const run = await aws.runDrill({ db: 'shop' }, 'drill-shop');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    const [report] = await reportsFor('shop');
    expect(report).toMatchObject({ database: 'shop', engine: 'mariadb', passed: true, throwaway: { cleanup: 'deleted' } });
    expect(report.checks.map((c: { name: string; passed: boolean }) => [c.name, c.passed])).toEqual([
      ['connect', true],
      ['table orders exists', true],
      ['table orders rows >= 100', true],
      ['table orders freshness', true],
      ['table shop.customers exists', true],
      ['table shop.customers rows >= 2', true],
      ['snapshot-time row count', true],
      ['snapshot-time checksum', true],
      ['every order has a total', true],
      ['foreign key shop.orders(customer_id) -> shop.customers(id) [orders_ibfk_1] orphans', true],
      ['table orders CHECK TABLE', true],
      ['table shop.customers CHECK TABLE', true],
      // Drift (on by default): the first drill sets the baseline, here from MariaDB's information_schema.
      ['drift baseline set', true],
    ]);
    expect(report.checks[0].observed).toMatch(/^mariadb \(mariadb\) /);
    expect(report.checks[2].observed).toBe(120);
    expect(aws.dataPlane!.runningRestores).toEqual([]);
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });

  it('MariaDB: damage already in the backup fails the drill naming the checks (too few rows, orphaned foreign-key rows)', async () => {
    const run = await aws.runDrill({ db: 'basket' }, 'drill-basket');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.VerificationFailed');
    const [report] = await reportsFor('basket');
    const failed = report.checks.filter((c: { passed: boolean }) => !c.passed);
    expect(failed).toEqual([
      { name: 'table basket.cart_lines rows >= 50', passed: false, observed: 5, expected: '>= 50' },
      { name: 'foreign key basket.cart_lines(cart_id) -> basket.carts(id) [lines_cart] orphans', passed: false, observed: 3, expected: 0 },
    ]);
    const alerts = await aws.receiveAlerts('dr');
    expect(alerts.map((a) => a.message).join('\n')).toContain('foreign key basket.cart_lines(cart_id) -> basket.carts(id) [lines_cart] orphans: observed 3, expected 0');
    expect(aws.dataPlane!.runningRestores).toEqual([]);
  });

  it('MySQL and Aurora MySQL databases are drilled over the MySQL protocol (served locally by MariaDB) and pass', async () => {
    for (const db of ['catalog', 'ledger']) {
      const run = await aws.runDrill({ db }, `drill-${db}`);
      expect(run.cause, db).toBeUndefined();
      expect(run.status, db).toBe('SUCCEEDED');
      const [report] = await reportsFor(db);
      expect(report.engine).toBe(db === 'catalog' ? 'mysql' : 'aurora-mysql');
      expect(report.checks.every((c: { passed: boolean }) => c.passed)).toBe(true);
      expect(report.checks.map((c: { name: string }) => c.name)).toContain(`table ${db === 'catalog' ? 'items' : 'entries'} CHECK TABLE`);
    }
    const clusters = ((await aws.rdsDr.send(new DescribeDBClustersCommand({}))).DBClusters ?? []).filter((c) => c.DBClusterIdentifier?.startsWith('rdsdr-verify-'));
    expect(clusters).toEqual([]);
    expect(aws.dataPlane!.runningRestores).toEqual([]);
  });

  it('an Oracle snapshot yields a restore-only drill: restored, timed, deleted, no connect attempt, one notice', async () => {
    const run = await aws.runDrill({ db: 'erp' }, 'drill-erp');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    const [report] = await reportsFor('erp');
    expect(report).toMatchObject({ database: 'erp', engine: 'oracle-ee', passed: true, throwaway: { cleanup: 'deleted' } });
    expect(report.checks).toEqual([{ name: 'restore-only', passed: true, warning: 'engine oracle-ee: restore-only drill, no SQL checks' }]);
    expect(typeof report.restoreSeconds).toBe('number');
    const throwaways = ((await aws.rdsDr.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).filter((d) => d.DBInstanceIdentifier?.startsWith('rdsdr-verify-'));
    expect(throwaways).toEqual([]);
    expect((run.output as { message: string }).message).toContain('warning: restore-only: engine oracle-ee: restore-only drill, no SQL checks');
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });
});
