import { describe, expect, it } from 'vitest';
import { epochSeconds } from '../../../lambdas/core/leases.js';
import { backupScope, claimable } from '../../../lambdas/core/work-ledger.js';
import { InMemoryWorkLedger } from './in-memory-work-ledger.js';
import { workLedgerContract } from './work-ledger.contract.js';

const NOW = new Date('2026-11-22T02:00:00Z');

describe('claimable', () => {
  const claim = (holder: string, expiresInSeconds: number) => ({ holder, expiresAtEpoch: epochSeconds(NOW) + expiresInSeconds });

  it.each([
    ['nobody holds it', undefined, true],
    ['its lease ran out', claim('exec-1', 0), true],
    ['the requester holds it already', claim('exec-2', 60), true],
    ['someone else holds it under a live lease', claim('exec-1', 1), false],
  ])('is %s -> %s', (_what, current, expected) => {
    expect(claimable(current, 'exec-2', NOW)).toBe(expected);
  });
});

describe('backupScope', () => {
  it('scopes backups by policy', () => {
    expect(backupScope('gold')).toBe('backup#gold');
  });
});

describe('InMemoryWorkLedger (the twin tests use) keeps the WorkLedger contract', () => {
  workLedgerContract(new InMemoryWorkLedger());
});
