// Runs the real CDK CLI against bin/app.ts, offline. Slow (bundles five Lambdas), so only two cases.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/platform/paths.js';
import { LONG_TIMEOUT, rawTestConfig } from '../lib/fixtures.js';

const execFileAsync = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'rdsdr-cli-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * Runs `cdk synth` in a child process without blocking this worker: a synchronous exec would hold
 * the event loop for the whole synth (bundling every Lambda), and vitest's worker RPC times out.
 */
async function cdkSynth(configPath: string, outDir: string): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('npx', ['cdk', 'synth', '-c', `config=${configPath}`, '--no-notices', '--quiet', '-o', outDir], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      encoding: 'utf8',
      timeout: LONG_TIMEOUT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { status: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('cdk synth (CLI)', { timeout: LONG_TIMEOUT }, () => {
  it('fails on an invalid config and names the field on stderr', async () => {
    const bad = { ...rawTestConfig(), drRegion: 'eu-wst-1' };
    const configPath = join(workDir, 'bad.json');
    writeFileSync(configPath, JSON.stringify(bad));
    const result = await cdkSynth(configPath, join(workDir, 'out-bad'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Invalid rds-dr config');
    expect(result.stderr).toMatch(/drRegion: unknown AWS region "eu-wst-1"/);
  });

  it('synthesizes config/example.json offline into both stacks', async () => {
    const outDir = join(workDir, 'out-example');
    const result = await cdkSynth('config/example.json', outDir);
    expect(result.stderr).not.toMatch(/AwsSolutions-/);
    expect(result.status).toBe(0);
    expect(existsSync(join(outDir, 'rds-dr-primary.template.json'))).toBe(true);
    expect(existsSync(join(outDir, 'rds-dr-dr.template.json'))).toBe(true);
  });
});
