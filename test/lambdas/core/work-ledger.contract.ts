// What every WorkLedger must do, run against the in-memory twin (work-ledger.test.ts) and DynamoDB
// on moto (test/lambdas/aws/coordination.moto.test.ts). Each test claims in its own scope.
import { expect, it } from 'vitest';
import type { WorkLedger } from '../../../lambdas/core/work-ledger.js';
import { contractStart } from './copy-slots.contract.js';

const LEASE = 300;
const plus = (t: Date, seconds: number) => new Date(t.getTime() + seconds * 1000);

let scopes = 0;
const freshScope = () => `backup#policy-${++scopes}`;

export function workLedgerContract(ledger: WorkLedger): void {
  const claim = (scope: string, items: string[], holder: string, now: Date) => ledger.claim({ scope, items, holder, now, leaseSeconds: LEASE });

  it('claims free items and lists them with their holder and expiry', async () => {
    const scope = freshScope();
    const t0 = contractStart();
    expect(await claim(scope, ['orders', 'billing'], 'exec-1', t0)).toEqual({ claimed: ['orders', 'billing'], heldElsewhere: [] });
    const expiresAt = plus(t0, LEASE).toISOString();
    expect(await ledger.list(scope, t0)).toEqual([
      { item: 'billing', holder: 'exec-1', expiresAt },
      { item: 'orders', holder: 'exec-1', expiresAt },
    ]);
  });

  it('names who holds what an overlapping run asks for, and gives it only the rest', async () => {
    const scope = freshScope();
    const t0 = contractStart();
    await claim(scope, ['orders', 'billing'], 'exec-1', t0);
    expect(await claim(scope, ['orders', 'billing', 'ledger'], 'exec-2', plus(t0, 60))).toEqual({
      claimed: ['ledger'],
      heldElsewhere: [
        { item: 'orders', holder: 'exec-1' },
        { item: 'billing', holder: 'exec-1' },
      ],
    });
  });

  it('lets the holder claim its own items again, extending the lease', async () => {
    const scope = freshScope();
    const t0 = contractStart();
    await claim(scope, ['orders'], 'exec-1', t0);
    expect(await claim(scope, ['orders'], 'exec-1', plus(t0, 100))).toEqual({ claimed: ['orders'], heldElsewhere: [] });
    expect(await ledger.list(scope, plus(t0, LEASE))).toEqual([{ item: 'orders', holder: 'exec-1', expiresAt: plus(t0, 100 + LEASE).toISOString() }]);
  });

  it('no longer lists an expired claim and lets another run take it; the old holder can then neither renew nor release it', async () => {
    const scope = freshScope();
    const t0 = contractStart();
    await claim(scope, ['orders'], 'exec-1', t0);
    expect(await ledger.list(scope, plus(t0, LEASE))).toEqual([]);
    expect(await claim(scope, ['orders'], 'exec-2', plus(t0, LEASE))).toEqual({ claimed: ['orders'], heldElsewhere: [] });
    const request = { scope, items: ['orders'], holder: 'exec-1', now: plus(t0, LEASE + 1), leaseSeconds: LEASE };
    expect(await ledger.renew(request)).toEqual([]);
    await ledger.release(scope, ['orders'], 'exec-1');
    expect((await ledger.list(scope, plus(t0, LEASE + 2))).map((c) => c.holder)).toEqual(['exec-2']);
  });

  it('keeps renewed claims past their first expiry', async () => {
    const scope = freshScope();
    const t0 = contractStart();
    await claim(scope, ['orders', 'billing'], 'exec-1', t0);
    expect(await ledger.renew({ scope, items: ['orders', 'billing', 'never-claimed'], holder: 'exec-1', now: plus(t0, 200), leaseSeconds: LEASE })).toEqual(['orders', 'billing']);
    expect((await claim(scope, ['orders'], 'exec-2', plus(t0, LEASE + 10))).heldElsewhere).toEqual([{ item: 'orders', holder: 'exec-1' }]);
  });

  it('frees released items (releasing twice is harmless), and keeps scopes apart', async () => {
    const scope = freshScope();
    const other = freshScope();
    const t0 = contractStart();
    await claim(scope, ['orders', 'billing'], 'exec-1', t0);
    await claim(other, ['orders'], 'exec-9', t0);
    await ledger.release(scope, ['orders'], 'exec-1');
    await ledger.release(scope, ['orders'], 'exec-1');
    expect((await ledger.list(scope, t0)).map((c) => c.item)).toEqual(['billing']);
    expect((await claim(scope, ['orders'], 'exec-2', t0)).claimed).toEqual(['orders']);
    expect(await ledger.list(other, t0)).toEqual([{ item: 'orders', holder: 'exec-9', expiresAt: plus(t0, LEASE).toISOString() }]);
  });
}
