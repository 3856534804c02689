// Cross-region point-in-time restore from replicated automated backups. moto cannot create replicated
// backups, so this path runs on aws-sdk-client-mock, emulating the RDS rule that bites in an outage:
// DescribeDBInstanceAutomatedBackups' DBInstanceIdentifier must name an existing instance.
import { DBInstanceNotFoundFault, DescribeDBInstanceAutomatedBackupsCommand, RDSClient, RestoreDBInstanceToPointInTimeCommand } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RdsRestoreSourceReader } from '../../../lambdas/aws/rds-restore-source.js';
import { RdsRestoreGateway } from '../../../lambdas/aws/rds-restore-gateway.js';
import { type RestorePlan } from '../../../lambdas/core/restore-plan.js';

const SOURCE_ARN = 'arn:aws:rds:us-east-1:123456789012:db:orders';
const BACKUPS_ARN = 'arn:aws:rds:us-west-2:123456789012:auto-backup:ab-replicated-orders';
const rds = new RDSClient({ region: 'us-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const mock = mockClient(rds);

describe('DR-region point-in-time restore from replicated automated backups', () => {
  beforeEach(() => {
    mock.reset();
    mock.on(DescribeDBInstanceAutomatedBackupsCommand).callsFake((input: { DBInstanceIdentifier?: string; Marker?: string }) => {
      if (input.DBInstanceIdentifier) throw new DBInstanceNotFoundFault({ message: `DBInstance ${input.DBInstanceIdentifier} not found.`, $metadata: {} });
      if (!input.Marker) {
        return { Marker: 'page-2', DBInstanceAutomatedBackups: [{ DBInstanceIdentifier: 'billing', DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:billing', RestoreWindow: { EarliestTime: new Date('2026-11-20T00:00:00Z'), LatestTime: new Date('2026-11-23T00:00:00Z') } }] };
      }
      return {
        DBInstanceAutomatedBackups: [{
          DBInstanceIdentifier: 'orders', DBInstanceArn: SOURCE_ARN, DBInstanceAutomatedBackupsArn: BACKUPS_ARN, Engine: 'postgres',
          RestoreWindow: { EarliestTime: new Date('2026-11-16T12:00:00Z'), LatestTime: new Date('2026-11-23T11:50:00Z') },
        }],
      };
    });
  });

  it('finds the replicated backup of the (absent) source by listing, across pages, with its restore window', async () => {
    const facts = await new RdsRestoreSourceReader(rds).describeReplicatedBackups('orders');
    expect(facts).toMatchObject({ kind: 'instance', arn: SOURCE_ARN, automatedBackupsArn: BACKUPS_ARN, window: { earliest: '2026-11-16T12:00:00.000Z', latest: '2026-11-23T11:50:00.000Z' } });
    expect(mock.commandCalls(DescribeDBInstanceAutomatedBackupsCommand).every((c) => c.args[0].input.DBInstanceIdentifier === undefined)).toBe(true);
    expect(await new RdsRestoreSourceReader(rds).describeReplicatedBackups('ledger')).toBeUndefined();
  });

  it('restores from the replicated backups ARN, not the source identifier', async () => {
    mock.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
    const plan = {
      db: 'orders', kind: 'instance', region: 'us-west-2', targetId: 'orders-dr-pitr', mode: 'pitr', sourceArn: SOURCE_ARN, automatedBackupsArn: BACKUPS_ARN,
      restoreTime: '2026-11-23T11:00:00.000Z', engine: 'postgres', securityGroupIds: ['sg-verify'], subnetGroup: 'rds-dr-verification',
      dataAsOf: '2026-11-23T11:00:00.000Z', verify: false, reason: 'us-east-1 outage', executionArn: 'arn:exec', timeoutSeconds: 3600,
    } as RestorePlan;
    await new RdsRestoreGateway(rds).restore(plan, { 'rds-dr:purpose': 'incident-restore' });
    const input = mock.commandCalls(RestoreDBInstanceToPointInTimeCommand)[0].args[0].input;
    expect(input).toMatchObject({ SourceDBInstanceAutomatedBackupsArn: BACKUPS_ARN, TargetDBInstanceIdentifier: 'orders-dr-pitr', RestoreTime: new Date('2026-11-23T11:00:00Z'), DBSubnetGroupName: 'rds-dr-verification', VpcSecurityGroupIds: ['sg-verify'] });
    expect(input.SourceDBInstanceIdentifier).toBeUndefined();
  });
});
