// One check of a restored database, as reports and alerts show it: what was expected and what was found.
// In core so that the drill's SQL checks and the drift comparison (lambdas/core/fingerprint.ts) share it.
export interface CheckResult {
  name: string;
  passed: boolean;
  observed?: unknown;
  expected?: unknown;
  error?: string;
  /** Passed, but worth saying (e.g. a check the engine cannot run, a drift below the critical bound). */
  warning?: string;
}
