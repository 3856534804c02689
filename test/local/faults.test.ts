// The fault board's simulated snapshot and copy durations (faults.ts): a copy counts as in progress
// from the moment its request is sent, so no Describe — from any client, answered while moto has
// already created the copy but before the copying client has its answer — ever reports it ended early.
import { CopyDBSnapshotCommand, CreateDBSnapshotCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdsFaultBoard } from './faults.js';
import { createPostgresInstance } from './fleet.js';
import { motoClientConfig, startMoto, type Moto } from './moto.js';

const REGION = 'us-east-1';
const LONG = 60 * 60_000;

describe('simulated snapshot durations on the local AWS', () => {
  let moto: Moto;
  let copier: RDSClient;
  let observer: RDSClient;
  const board = new RdsFaultBoard();

  beforeAll(async () => {
    moto = await startMoto();
    copier = new RDSClient(motoClientConfig(moto, REGION));
    observer = new RDSClient(motoClientConfig(moto, REGION));
    board.install([copier, observer]);
    await createPostgresInstance(copier, 'faults-db');
    await copier.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'faults-db', DBSnapshotIdentifier: 'faults-source' }));
  }, 120_000);

  afterAll(async () => {
    copier?.destroy();
    observer?.destroy();
    await moto?.stop();
  });

  const statusOf = async (id: string) => (await observer.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }))).DBSnapshots?.[0]?.Status;

  it('reports a copy as creating to another client between moto creating it and the copier getting its answer', async () => {
    board.simulateDurations({ instanceSnapshotMs: LONG, clusterSnapshotMs: LONG, instanceCopyMs: LONG, clusterCopyMs: LONG });
    let seenInBetween: string | undefined;
    // Runs inside the fault board's handling of the copy: after moto answered, before the copier's call returns.
    copier.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'CopyDBSnapshotCommand') seenInBetween = await statusOf('faults-copy');
        return result;
      },
      { step: 'finalizeRequest', name: 'observe-before-answer' },
    );
    try {
      await copier.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: 'faults-source', TargetDBSnapshotIdentifier: 'faults-copy' }));
    } finally {
      copier.middlewareStack.remove('observe-before-answer');
      board.simulateDurations(undefined);
    }
    expect(seenInBetween).toBe('creating');
    expect(await statusOf('faults-copy')).toBe('creating');
    expect(board.peakInProgress(REGION, 'instanceCopyMs')).toBe(1);
  });

  it('leaves an earlier copy of the same name running when a second request for it is refused', async () => {
    board.simulateDurations({ instanceSnapshotMs: LONG, clusterSnapshotMs: LONG, instanceCopyMs: LONG, clusterCopyMs: LONG });
    try {
      await expect(copier.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: 'faults-source', TargetDBSnapshotIdentifier: 'faults-copy' }))).rejects.toThrow(/already exists/i);
    } finally {
      board.simulateDurations(undefined);
    }
    expect(await statusOf('faults-copy')).toBe('creating');
    expect(board.peakInProgress(REGION, 'instanceCopyMs')).toBe(1);
  });
});
