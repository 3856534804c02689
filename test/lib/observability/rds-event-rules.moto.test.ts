// The RDS event rules' patterns, evaluated by moto's EventBridge (rule -> SQS target) against RDS-shaped events:
// failures of rds-dr snapshots and protected backups match; routine events and foreign snapshots do not.
import type * as events from 'aws-cdk-lib/aws-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupFailurePattern, snapshotFailurePattern } from '../../../lib/observability/rds-event-alerts.js';
import { startMoto, type Moto } from '../../local/moto.js';

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => moto?.stop());

/** The pattern as CloudFormation / EventBridge sees it. */
function rendered(p: events.EventPattern): string {
  return JSON.stringify({ source: p.source, 'detail-type': p.detailType, detail: p.detail });
}

/** JSON-protocol call to moto (no signature checks; the credential scope names the region). */
async function call(service: 'AWSEvents' | 'AmazonSQS', action: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': service === 'AWSEvents' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0',
      'X-Amz-Target': `${service}.${action}`,
      Authorization: `AWS4-HMAC-SHA256 Credential=test/20261123/us-west-2/${service === 'AWSEvents' ? 'events' : 'sqs'}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${action}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

let n = 0;
/**
 * moto does not implement TestEventPattern, so: a rule with the pattern, an SQS target, PutEvents, and
 * whether the event arrived (moto's EventBridge applies the pattern when routing, $or / prefix / wildcard included).
 */
async function matches(pattern: events.EventPattern, detailType: string, detail: Record<string, unknown>): Promise<boolean> {
  const name = `rule-${++n}`;
  const { QueueUrl } = await call('AmazonSQS', 'CreateQueue', { QueueName: name });
  const { Attributes } = await call('AmazonSQS', 'GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] });
  await call('AWSEvents', 'PutRule', { Name: name, EventPattern: rendered(pattern) });
  await call('AWSEvents', 'PutTargets', { Rule: name, Targets: [{ Id: 'q', Arn: Attributes.QueueArn }] });
  const put = await call('AWSEvents', 'PutEvents', {
    Entries: [{ Source: 'aws.rds', DetailType: detailType, Detail: JSON.stringify(detail), Resources: [detail.SourceArn] }],
  });
  expect(put.FailedEntryCount).toBe(0);
  const got = await call('AmazonSQS', 'ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 });
  await call('AWSEvents', 'RemoveTargets', { Rule: name, Ids: ['q'] });
  await call('AWSEvents', 'DeleteRule', { Name: name });
  return (got.Messages ?? []).length > 0;
}

const snap = (id: string, eventId: string | undefined, categories: string[], message: string) => ({
  EventCategories: categories,
  SourceType: 'SNAPSHOT',
  SourceArn: `arn:aws:rds:us-west-2:123456789012:snapshot:${id}`,
  Date: '2026-11-23T03:12:09.123Z',
  Message: message,
  SourceIdentifier: id,
  ...(eventId ? { EventID: eventId } : {}),
});
const inst = (eventId: string, categories: string[], message: string) => ({
  EventCategories: categories,
  SourceType: 'DB_INSTANCE',
  SourceArn: 'arn:aws:rds:us-east-1:123456789012:db:orders',
  Date: '2026-11-23T09:00:00.000Z',
  Message: message,
  SourceIdentifier: 'orders',
  EventID: eventId,
});

describe('RDS event rule patterns (moto EventBridge routing)', () => {
  it.each([
    ['cross-Region copy canceled of an rds-dr snapshot', 'RDS DB Snapshot Event', snap('rdsdr-orders-202611230200', 'RDS-EVENT-0061', ['notification'], 'Canceled snapshot copy request of rdsdr-orders-202611230200 from region us-east-1.'), true],
    ['local copy canceled', 'RDS DB Snapshot Event', snap('rdsdr-orders-202611230200', 'RDS-EVENT-0190', ['notification'], 'Canceled snapshot copy request of rdsdr-orders-202611230200 in region us-west-2.'), true],
    ['a failure-category cluster snapshot event', 'RDS DB Cluster Snapshot Event', { ...snap('rdsdr-ledger-202611230200', undefined, ['failure'], 'Creation of the DB cluster snapshot failed.'), SourceType: 'CLUSTER_SNAPSHOT' }, true],
    ['a message that says the snapshot failed', 'RDS DB Snapshot Event', snap('rdsdr-orders-202611230200', 'RDS-EVENT-9999', ['notification'], 'Snapshot copy failed: KMS key not accessible'), true],
    ['the same failure of a snapshot that is not rds-dr', 'RDS DB Snapshot Event', snap('nightly-orders', 'RDS-EVENT-0061', ['notification'], 'Canceled snapshot copy request of nightly-orders from region us-east-1.'), false],
    ['a routine "manual snapshot created"', 'RDS DB Snapshot Event', snap('rdsdr-orders-202611230200', 'RDS-EVENT-0042', ['creation'], 'Manual snapshot created'), false],
    ['a routine "finished copy"', 'RDS DB Snapshot Event', snap('rdsdr-orders-202611230200', 'RDS-EVENT-0060', ['notification'], 'Finished copy of snapshot rdsdr-orders-202611230200 from region us-east-1 in 12 minutes.'), false],
  ])('snapshot rule: %s', async (_name, detailType, detail, expected) => {
    expect(await matches(snapshotFailurePattern(), detailType, detail)).toBe(expected);
  });

  it.each([
    ['automated backups disabled', inst('RDS-EVENT-0028', ['configuration change'], 'Automatic backups for this DB instance have been disabled'), true],
    ['a backup-category failure', inst('RDS-EVENT-9998', ['backup'], 'The automated backup failed for the DB instance.'), true],
    ['a backup replication failure', inst('RDS-EVENT-9997', ['notification'], 'Automated backup replication to us-west-2 stopped because the KMS key is disabled.'), true],
    ['routine "Backing up the DB instance"', inst('RDS-EVENT-0001', ['backup'], 'Backing up DB instance'), false],
    ['routine "Finished DB Instance backup"', inst('RDS-EVENT-0002', ['backup'], 'Finished DB Instance backup'), false],
    ['an unrelated failure (storage full)', inst('RDS-EVENT-0221', ['availability'], 'The DB instance has reached the storage-full threshold.'), false],
  ])('backup rule: %s', async (_name, detail, expected) => {
    expect(await matches(backupFailurePattern(), 'RDS DB Instance Event', detail)).toBe(expected);
  });
});
