// Small ASL definitions written to a temporary folder and run by the local runner with stand-in
// Lambdas: how the runner's own tests (limits, timeouts) exercise it without a deployed workflow.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SdkBridge } from './sdk-bridge.js';
import { runWorkflow } from './workflow-runner.js';

/** `asl` writes a definition and returns its path; `run` runs it as state machine `name` (folder removed after the file). */
export function inlineWorkflows(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `rdsdr-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    asl(file: string, definition: object): string {
      const path = join(dir, `${file}.asl.json`);
      writeFileSync(path, JSON.stringify(definition));
      return path;
    },
    run: (aslPath: string, lambdas: Record<string, (e: never) => Promise<unknown>>, input: unknown = {}) =>
      runWorkflow({ aslPath, stateMachineName: name, region: 'us-east-1', accountId: '123456789012', substitutions: {}, lambdas, sdk: new SdkBridge('us-east-1'), input, waitMs: 0 }),
  };
}
