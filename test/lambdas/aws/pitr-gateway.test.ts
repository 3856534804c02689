// RdsPitrGateway on the wire (aws-sdk-client-mock): what it asks RDS in which region, how it pages,
// and that its requests are paced. moto implements no StartDBInstanceAutomatedBackupsReplication, so
// that call is checked here.
import {
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  StartDBInstanceAutomatedBackupsReplicationCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { RdsPitrGateway } from '../../../lambdas/aws/pitr-gateway.js';
import { RequestPacer } from '../../../lambdas/core/pacer.js';
import { virtualClock } from '../core/virtual-clock.js';

const P = 'us-east-1';
const DR = 'us-west-2';
const drKey = `arn:aws:kms:${DR}:123456789012:key/1111-2222`;
const dbArn = (id: string) => `arn:aws:rds:${P}:123456789012:db:${id}`;

describe('RdsPitrGateway', () => {
  const primaryClient = new RDSClient({ region: P });
  const drClient = new RDSClient({ region: DR });
  const primary = mockClient(primaryClient);
  const dr = mockClient(drClient);
  afterEach(() => {
    primary.reset();
    dr.reset();
  });
  const gatewayOn = (clock = virtualClock()) => ({
    clock,
    gateway: new RdsPitrGateway({ primary: primaryClient, dr: drClient, drKmsKeyId: drKey, pacers: { primary: new RequestPacer(2, clock), dr: new RequestPacer(2, clock) } }),
  });

  it('lists every instance page by page (MaxRecords 100, following the Marker), one turn of the pacer per page', async () => {
    const page = (n: number, marker?: string) => ({ DBInstances: Array.from({ length: 100 }, (_, i) => ({ DBInstanceArn: dbArn(`p${n}-${i}`), DbiResourceId: `db-${n}-${i}`, BackupRetentionPeriod: n })), Marker: marker });
    const { clock, gateway } = gatewayOn();
    const at: number[] = [];
    const inputs: unknown[] = [];
    primary
      .on(DescribeDBInstancesCommand)
      .callsFake((input: { Marker?: string }) => {
        at.push(clock.elapsed());
        // The SDK paginator reuses one input object across pages: keep what each request carried.
        inputs.push({ ...input });
        return input.Marker === undefined ? page(1, 'm1') : input.Marker === 'm1' ? page(2, 'm2') : { DBInstances: [{ DBInstanceArn: dbArn('last'), BackupRetentionPeriod: 0, DBInstanceAutomatedBackupsReplications: [{ DBInstanceAutomatedBackupsArn: `arn:aws:rds:${DR}:123456789012:auto-backup:ab-1` }] }] };
      });
    const instances = await gateway.listInstances();
    expect(instances).toHaveLength(201);
    expect(instances[200]).toEqual({ arn: dbArn('last'), dbiResourceId: undefined, retentionDays: 0, replicationRegions: [DR] });
    expect(inputs).toEqual([{ MaxRecords: 100 }, { MaxRecords: 100, Marker: 'm1' }, { MaxRecords: 100, Marker: 'm2' }]);
    expect(at).toEqual([0, 500, 1000]);
    // No turn is spent after the last page.
    expect(clock.elapsed()).toBe(1000);
  });

  it('lists the DR region\'s automated backups without naming an instance (none of that name exists there)', async () => {
    const { gateway } = gatewayOn();
    dr.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({ DBInstanceAutomatedBackups: [{ DBInstanceArn: dbArn('orders'), DbiResourceId: 'db-ABC', Status: 'replicating', BackupRetentionPeriod: 10 }] });
    expect(await gateway.listDrAutomatedBackups()).toEqual([{ sourceArn: dbArn('orders'), dbiResourceId: 'db-ABC', status: 'replicating', retentionDays: 10 }]);
    expect(dr.commandCalls(DescribeDBInstanceAutomatedBackupsCommand).map((c) => c.args[0].input)).toEqual([{ MaxRecords: 100 }]);
    expect(primary.calls()).toHaveLength(0);
  });

  it('starts replication in the DR region with the source ARN, the retention and the DR key, at most 2 per second', async () => {
    const { clock, gateway } = gatewayOn();
    const at: number[] = [];
    dr.on(StartDBInstanceAutomatedBackupsReplicationCommand).callsFake(() => (at.push(clock.elapsed()), {}));
    for (const id of ['a', 'b', 'c', 'd']) await gateway.startReplication({ id, arn: dbArn(id), kind: 'instance' }, 10);
    expect(dr.commandCalls(StartDBInstanceAutomatedBackupsReplicationCommand)[0].args[0].input).toEqual({ SourceDBInstanceArn: dbArn('a'), BackupRetentionPeriod: 10, KmsKeyId: drKey });
    expect(primary.calls()).toHaveLength(0);
    expect(at).toEqual([0, 500, 1000, 1500]);
  });
});
