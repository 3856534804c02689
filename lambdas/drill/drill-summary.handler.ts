import { logger, withLogKeys } from '../aws/logger.js';
import type { BranchOutcome } from './drill-report.js';
import { summarizeVerification, type VerificationSummary } from './drill-summary.js';

export interface VerificationSummaryEvent {
  policy: string;
  executionArn: string;
  missing: { id: string; reason: string }[];
  results: BranchOutcome[];
}

export async function handler(event: VerificationSummaryEvent): Promise<VerificationSummary> {
  withLogKeys({ executionArn: event.executionArn });
  const summary = summarizeVerification(event);
  logger.info('restore drill finished', { policy: summary.policy, failedCount: summary.failedCount, passed: summary.passed });
  return summary;
}
