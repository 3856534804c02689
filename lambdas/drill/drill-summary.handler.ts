import { awsClients } from '../aws/clients.js';
import { DrillRotationStore } from '../aws/drill-rotation-store.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { S3Reports } from '../aws/reports.js';
import { S3RunDataStore } from '../aws/s3-run-data.js';
import { recordDrills } from '../core/drill-rotation.js';
import type { RunDataRef } from '../core/run-data.js';
import { readSettings } from '../core/settings.js';
import { readDrillOutcomes, type DrillRun } from './drill-outcomes.js';
import { summarizeVerification, type SummaryInput, type VerificationSummary } from './drill-summary.js';

const settings = readSettings([]);
const region = settings.drRegion;

export interface VerificationSummaryEvent {
  policy: string;
  executionArn: string;
  executionStartTime: string;
  runData: RunDataRef;
  missing: { id: string; reason: string }[];
  rotation: SummaryInput['rotation'];
  /** The Distributed Map's result (ResultWriter details or its caught error); null when nothing was planned. */
  drillRun: DrillRun;
}

/**
 * Last step of a drill: every outcome from the Map's results (the full list to the work bucket), the
 * rotation state updated with the databases this run drilled, and a bounded verdict.
 */
export async function handler(event: VerificationSummaryEvent): Promise<VerificationSummary> {
  withLogKeys({ executionArn: event.executionArn });
  if (!settings.reportsBucket) throw new Error('settings.reportsBucket is not set: the drill keeps its rotation state in the reports bucket (lib/drill)');
  const store = new S3RunDataStore(awsClients.s3(region));
  const { outcomes, attempted } = await readDrillOutcomes(store, event.runData, event.drillRun);
  const outcomesKey = `${event.runData.prefix}outcomes.json`;
  await store.putJson(event.runData.bucket, outcomesKey, { policy: event.policy, missing: event.missing, outcomes });
  const rotation = new DrillRotationStore(new S3Reports(region, settings.reportsBucket));
  // A database without a restorable snapshot was tried too: its failure is in this run's alert, and
  // the rotation moves on rather than spend every run's slot on it.
  const tried = [...attempted, ...event.missing.map((m) => m.id)];
  if (tried.length) await rotation.write(event.policy, recordDrills(await rotation.read(event.policy), tried, event.executionStartTime));
  const summary = summarizeVerification({ ...event, results: outcomes, outcomesLocation: `s3://${event.runData.bucket}/${outcomesKey}` });
  logger.info('restore drill finished', { policy: summary.policy, counts: summary.counts, rotationWarning: summary.rotationWarning, outcomesLocation: summary.outcomesLocation });
  return summary;
}
