// Prints one plain closing line, "N passed, N failed[, N skipped]", after vitest's own summary,
// so any CI can read the outcome without parsing colours. It must agree with the exit code: a file
// that failed to load, an error outside any test (vitest exits 1 for those) and an interrupted run
// all count as failures, so the line never reads "0 failed" on a failed run.
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

export function closingLine(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): string {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const mod of modules) {
    for (const test of mod.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') passed++;
      else if (state === 'failed') failed++;
      else skipped++;
    }
    // A file that failed to load has no tests but must still count as a failure.
    if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
  }
  failed += unhandledErrors.length;
  if (reason !== 'passed' && failed === 0) failed = 1;
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const line = closingLine(modules, unhandledErrors, reason);
    // vitest prints its own summary after reporters return; on Linux stdout writes at exit are synchronous.
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}
