// The failback's wait for the new DR standby: success only once it is available; a timeout, a
// terminal status or a vanished standby settles the wait as "not available" (recorded as failed on
// the timeline, the run then fails and pages) instead of failing the step: the database is already back.
import { describe, expect, it } from 'vitest';
import { FAILBACK_SOURCE_TAG } from '../../../lambdas/core/replicas.js';
import { checkDrStandby } from '../../../lambdas/failback/dr-standby-status.js';
import { afterFailover, arn, clock, planFor } from './failback-fixtures.js';

const SINCE = '2026-11-30T10:00:00Z';

/** The world after the switch: orders promoted in us-east-1, its new standby being created in us-west-2. */
function afterSwitch(standbyStatus: string | undefined) {
  const g = afterFailover();
  const plan = planFor('orders', { switch: true });
  g.put('us-east-1', 'orders', { tags: { [FAILBACK_SOURCE_TAG]: plan.source.arn } });
  if (standbyStatus) g.put('us-west-2', 'orders-standby', { status: standbyStatus, replicaSource: arn('us-east-1', 'orders'), tags: { [FAILBACK_SOURCE_TAG]: arn('us-east-1', 'orders') } });
  return { g, plan };
}

describe('waiting for the new DR standby', () => {
  it('keeps waiting while it is being created, then is done once it is available', async () => {
    const { g, plan } = afterSwitch('creating');
    const waiting = await checkDrStandby({ plan, since: SINCE }, g, clock('2026-11-30T10:05:00Z'));
    expect(waiting).toMatchObject({ ready: false, available: false, status: 'creating', step: { name: 'wait-dr-standby', detail: 'waiting: new DR standby orders-standby in us-west-2 is creating' } });
    g.put('us-west-2', 'orders-standby', { status: 'available', replicaSource: arn('us-east-1', 'orders') });
    const done = await checkDrStandby({ plan, since: SINCE }, g, clock('2026-11-30T10:06:00Z'));
    expect(done).toMatchObject({ ready: true, available: true, step: { outcome: 'done', startedAt: '2026-11-30T10:00:00.000Z', endedAt: '2026-11-30T10:06:00.000Z' } });
  });

  it('after incident.waitTimeoutMinutes settles as not available: recorded as failed, saying the database is back and what to do', async () => {
    const { g, plan } = afterSwitch('creating');
    expect((await checkDrStandby({ plan, since: SINCE }, g, clock('2026-11-30T10:09:59Z'))).ready).toBe(false);
    const late = await checkDrStandby({ plan, since: SINCE }, g, clock('2026-11-30T10:10:01Z'));
    expect(late).toMatchObject({ ready: true, available: false, status: 'creating', step: { outcome: 'failed' } });
    expect(late.step.detail).toMatch(/^new DR standby orders-standby in us-west-2 is not available after 601 s \(incident\.waitTimeoutMinutes = 10\); now creating\. orders itself is back in us-east-1 as orders;/);
    expect(late.step.detail).toMatch(/re-run the failback with switch: true/);
  });

  it.each([
    ['a terminal status', 'incompatible-parameters', /is incompatible-parameters\./],
    ['a vanished standby', undefined, /is gone \(not found\)\./],
  ])('%s ends the wait at once as not available', async (_name, status, detail) => {
    const { g, plan } = afterSwitch(status);
    const result = await checkDrStandby({ plan, since: SINCE }, g, clock('2026-11-30T10:00:30Z'));
    expect(result).toMatchObject({ ready: true, available: false, step: { outcome: 'failed', detail: expect.stringMatching(detail) } });
  });

  it('an instance under the standby name that is not a replica of the new primary is not taken for it', async () => {
    const { g, plan } = afterSwitch(undefined);
    g.put('us-west-2', 'orders-standby');
    const result = await checkDrStandby({ plan, since: SINCE }, g, clock('2026-11-30T10:00:30Z'));
    expect(result).toMatchObject({ ready: true, available: false, step: { detail: expect.stringMatching(/is not a replica of arn:aws:rds:us-east-1:\d+:db:orders\./) } });
  });

  it('a dry run does not wait', async () => {
    const g = afterFailover();
    const result = await checkDrStandby({ plan: planFor('orders', { dryRun: true, switch: true }), since: SINCE }, g, clock());
    expect(result).toMatchObject({ ready: true, available: true, step: { outcome: 'skipped', detail: 'dry run: would wait until the new DR standby orders-standby in us-west-2 is available (now not found)' } });
  });
});
