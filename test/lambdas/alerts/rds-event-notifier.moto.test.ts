import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RdsEvent } from '../../../lambdas/alerts/rds-event-alert.js';
import { createPostgresInstance } from '../../local/fleet.js';
import { LocalStack } from '../../local/local-stack.js';
import { DR, localConfig, PRIMARY } from '../../state-machines/fixtures.js';

describe('rds-event-notifier on the local AWS (moto)', () => {
  let aws: LocalStack;
  let handler: (e: RdsEvent) => Promise<{ messageId?: string; skipped?: string }>;
  const arns: Record<string, string> = {};

  beforeAll(async () => {
    aws = await LocalStack.start({ config: localConfig() });
    arns.orders = await createPostgresInstance(aws.rds, 'orders', { 'rds-dr:policy': 'gold' });
    arns.scratch = await createPostgresInstance(aws.rds, 'scratch', { team: 'analytics' });
    // The environment (settings, topic) is set by LocalStack.start, as CDK sets it; the handler runs
    // as the deployed Lambda, so its calls are judged by its role's policies.
    handler = aws.handler('rds-event-notifier') as never;
  });
  afterAll(async () => aws?.stop());

  const backupsDisabled = (id: string): RdsEvent => ({
    'detail-type': 'RDS DB Instance Event',
    source: 'aws.rds',
    region: PRIMARY,
    detail: {
      EventCategories: ['configuration change'],
      SourceType: 'DB_INSTANCE',
      SourceArn: arns[id],
      Date: '2026-11-23T09:00:00.000Z',
      Message: 'Automatic backups for this DB instance have been disabled',
      SourceIdentifier: id,
      EventID: 'RDS-EVENT-0028',
    },
  });

  it('pages for a database protected by tag (tags read from RDS), with a readable message', async () => {
    expect((await handler(backupsDisabled('orders'))).messageId).toBeTruthy();
    const alerts = await aws.receiveAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toBe('[rds-dr] RDS automated backups disabled (point-in-time recovery lost): orders (us-east-1)');
    expect(alerts[0].message).toContain('Database:  orders');
    expect(alerts[0].message).toContain('docs/ALARMS.md#rds-event');
  });

  it('a DR-region event (a failed copy) pages from the DR region: on the DR stack\'s alert topic, not the primary\'s', async () => {
    const drHandler = aws.handler('rds-event-notifier', 'dr') as typeof handler;
    const copyCanceled: RdsEvent = {
      'detail-type': 'RDS DB Snapshot Event',
      source: 'aws.rds',
      region: DR,
      detail: {
        EventCategories: ['failure'],
        SourceType: 'SNAPSHOT',
        SourceArn: `arn:aws:rds:${DR}:123456789012:snapshot:rdsdr-orders-202611230200`,
        Date: '2026-11-23T09:00:00.000Z',
        Message: 'Cross-Region snapshot copy canceled',
        SourceIdentifier: 'rdsdr-orders-202611230200',
        EventID: 'RDS-EVENT-0061',
      },
    };
    expect((await drHandler(copyCanceled)).messageId).toBeTruthy();
    expect(await aws.receiveAlerts('primary')).toEqual([]);
    const alerts = await aws.receiveAlerts('dr');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toContain(`rdsdr-orders-202611230200`);
    expect(alerts[0].subject).toContain(`(${DR})`);
  });

  it('ignores the same event for a database no policy protects, and for one that no longer exists', async () => {
    expect(await handler(backupsDisabled('scratch'))).toEqual({ skipped: 'not protected by this deployment' });
    arns.gone = arns.scratch.replace('scratch', 'gone');
    expect(await handler(backupsDisabled('gone'))).toEqual({ skipped: 'not protected by this deployment' });
    expect(await aws.receiveAlerts()).toEqual([]);
  });
});
