// Drift in the drill report: compares the verifier's fingerprint with the last good drill's, and keeps
// the new one only when the drill passed (a failed drill never becomes the baseline the next compares with).
import { compareFingerprints, totalRows, type FingerprintStore } from '../core/fingerprint.js';
import type { DrillBranch, VerificationReport } from './drill-report.js';

/** The report with its drift checks: a failed one fails the drill; one that passed with a warning is a warning line (drill-report.ts warningLines). */
export async function withDrift(report: VerificationReport, branch: DrillBranch, store: FingerprintStore): Promise<VerificationReport> {
  const fingerprint = branch.verdict?.fingerprint;
  const tolerances = branch.item.checks.drift;
  if (!fingerprint || !tolerances?.enabled) return report;
  const previous = await store.latest(branch.item.db);
  const drift = compareFingerprints(previous, fingerprint, tolerances);
  return {
    ...report,
    checks: [...report.checks, ...drift],
    passed: report.passed && drift.every((c) => c.passed),
    fingerprint: {
      capturedAt: fingerprint.capturedAt,
      tables: Object.keys(fingerprint.schema.tables).length,
      rows: totalRows(fingerprint),
      sizeBytes: fingerprint.sizeBytes,
      ...(previous && { previousCapturedAt: previous.capturedAt }),
    },
  };
}

/** Records the branch's fingerprint as the database's last good one when the drill passed; says whether it did. */
export async function recordIfPassed(report: VerificationReport, branch: DrillBranch, store: FingerprintStore): Promise<boolean> {
  const fingerprint = branch.verdict?.fingerprint;
  if (!report.passed || !fingerprint || !branch.item.checks.drift?.enabled) return false;
  await store.record(branch.item.db, fingerprint);
  return true;
}
