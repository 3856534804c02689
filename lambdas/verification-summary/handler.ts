import { logger, withLogKeys } from '../shared/logger.js';
import type { BranchOutcome } from '../verification-report/report.js';
import { summarizeVerification, type VerificationSummary } from './summarize-verification.js';

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
