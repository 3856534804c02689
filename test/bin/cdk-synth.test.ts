// Runs the real CDK CLI against bin/app.ts, offline. Slow (bundles every Lambda), so one synth per config.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/platform/paths.js';
import { joinedText, LONG_TIMEOUT, rawTestConfig } from '../lib/fixtures.js';
import { BUNDLED_SETTINGS_FILE } from '../../lambdas/core/settings.js';

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
      timeout: 2 * LONG_TIMEOUT,
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
});

describe('cdk synth (CLI) of config/example.json', { timeout: LONG_TIMEOUT }, () => {
  const outDir = join(workDir, 'out-example');
  let result: Awaited<ReturnType<typeof cdkSynth>>;
  // Bundles every Lambda: one synth for the file, with the hook's own budget.
  beforeAll(async () => {
    result = await cdkSynth('config/example.json', outDir);
  }, 2 * LONG_TIMEOUT);

  it('synthesizes offline into both stacks, cdk-nag clean', () => {
    expect(result.stderr).not.toMatch(/AwsSolutions-/);
    expect(result.status).toBe(0);
    expect(existsSync(join(outDir, 'rds-dr-primary.template.json'))).toBe(true);
    expect(existsSync(join(outDir, 'rds-dr-dr.template.json'))).toBe(true);
  });

  it('bundles each function with its settings file, and each handler loads with them as Lambda would start it', async () => {
    const loads: { name: string; status: number; stderr: string }[] = [];
    for (const stack of ['rds-dr-primary', 'rds-dr-dr']) {
      for (const [name, fn] of deployedFunctions(join(outDir, `${stack}.template.json`))) {
        const codeDir = join(outDir, fn.Metadata!['aws:asset:path']!);
        expect(existsSync(join(codeDir, BUNDLED_SETTINGS_FILE)), name).toBe(true);
        loads.push({ name, ...(await loadBundledHandler(codeDir, fn)) });
      }
    }
    expect(loads.length).toBeGreaterThan(20);
    expect(loads.filter((l) => l.status !== 0)).toEqual([]);
  });

  it('a handler without its settings file refuses to start rather than run on half its settings', async () => {
    const [, fn] = deployedFunctions(join(outDir, 'rds-dr-primary.template.json'))[0];
    const missing = await loadBundledHandler(join(outDir, fn.Metadata!['aws:asset:path']!), fn, workDir);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain(BUNDLED_SETTINGS_FILE);
  });
});

const deployedFunctions = (templatePath: string): [string, DeployedFunction][] =>
  Object.entries((JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, DeployedFunction> }).Resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['rds-dr:settings-file'],
  );

interface DeployedFunction {
  Type: string;
  Metadata?: Record<string, string | undefined>;
  Properties: { Environment: { Variables: Record<string, string | { 'Fn::Join': [string, unknown[]] }> } };
}

/**
 * Loads a bundled handler in a fresh Node process with the function's environment, references filled
 * with placeholder values and LAMBDA_TASK_ROOT at its code, as the Lambda runtime does at cold start.
 */
async function loadBundledHandler(codeDir: string, fn: DeployedFunction, taskRoot = codeDir): Promise<{ status: number; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(fn.Properties.Environment.Variables)) {
    env[key] = joinedText(value, () => 'deployed-value');
  }
  try {
    await execFileAsync(process.execPath, ['-e', 'require(process.argv[1])', join(codeDir, 'index.js')], {
      // NODE_PATH stands in for the runtime's own AWS SDK, which CDK leaves out of nodejs22.x bundles.
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), AWS_REGION: 'us-east-1', LAMBDA_TASK_ROOT: taskRoot, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: 0, stderr: '' };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { status: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? '' };
  }
}
