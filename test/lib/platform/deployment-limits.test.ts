// Limits that would only fail `cdk deploy` fail `cdk synth` instead, naming what crosses them.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';
import { MAX_LAMBDA_ENVIRONMENT_BYTES, MAX_STACK_RESOURCES, MAX_TEMPLATE_BYTES, templateViolations } from '../../../lib/platform/deployment-limits.js';
import { REPO_ROOT } from '../../../lib/platform/paths.js';
import { ISSUE_SIZE, largeRawConfig, type LargeConfigSize } from '../large-config.js';
import { LONG_TIMEOUT } from '../fixtures.js';
import type { SynthSizes } from './synth-sizes.js';

const fn = (variables: Record<string, unknown>) => ({ Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: variables } } });

describe('deployment limits on a template', () => {
  it('a function whose environment is over 4 KB, counting deploy-time references', () => {
    const big = { Resources: { Small: fn({ A: 'x'.repeat(100) }), Big: fn({ RDSDR_SETTINGS: { 'Fn::Join': ['', ['x'.repeat(4000), { Ref: 'AWS::AccountId' }, 'y'.repeat(40)]] } }) } };
    const violations = templateViolations('t.json', JSON.stringify(big));
    expect(violations.map((v) => [v.ruleName, v.violatingResources[0].resourceLogicalId])).toEqual([['LambdaEnvironmentSize', 'Big']]);
    expect(violations[0].description).toMatch(/function Big has about 4\d{3} bytes of environment variables; Lambda allows 4096 in total/);
    expect(templateViolations('t.json', JSON.stringify({ Resources: { Ok: fn({ A: 'x'.repeat(MAX_LAMBDA_ENVIRONMENT_BYTES - 1) }) } }))).toEqual([]);
  });

  it('a template over 1 MB or with more than 500 resources', () => {
    const many = { Resources: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`Q${i}`, { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q'.repeat(2_000) } }])) };
    expect(templateViolations('t.json', JSON.stringify(many)).map((v) => v.ruleName).sort()).toEqual(['CloudFormationResourceCount', 'CloudFormationTemplateSize']);
  });
});

const workDir = mkdtempSync(join(tmpdir(), 'rdsdr-limits-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Synthesizes a generated config in a child process (a large synth would block this worker for a minute). */
async function synthSizes(size: LargeConfigSize): Promise<SynthSizes> {
  const path = join(workDir, `${size.policies}-${size.drilledDatabases}-${size.incidentDatabases}.json`);
  writeFileSync(path, JSON.stringify(largeRawConfig(size)));
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'test/lib/platform/synth-sizes.ts', path], { cwd: REPO_ROOT, encoding: 'utf8', timeout: LONG_TIMEOUT, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as SynthSizes;
}

describe('cdk synth of large configs', { timeout: LONG_TIMEOUT }, () => {
  it(`deploys ${ISSUE_SIZE.policies} policies, ${ISSUE_SIZE.drilledDatabases} drilled and ${ISSUE_SIZE.incidentDatabases} incident databases within every limit`, async () => {
    const result = await synthSizes(ISSUE_SIZE);
    if (!result.ok) throw new Error(result.error);
    expect(result.stacks).toHaveLength(2);
    for (const stack of result.stacks) {
      expect(stack.templateBytes, stack.stack).toBeLessThan(MAX_TEMPLATE_BYTES / 2);
      expect(stack.resources, stack.stack).toBeLessThan(MAX_STACK_RESOURCES);
      // The settings travel bundled with the code: the environment holds deploy-time references only.
      expect(stack.largestEnvironmentBytes, stack.stack).toBeLessThan(1024);
    }
  });

  it('refuses a config whose stack would cross CloudFormation\'s 500 resources (420 policies), naming the limit', async () => {
    const result = await synthSizes({ policies: 420, drilledDatabases: 0, incidentDatabases: 0 });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(/(CloudFormationResourceCount|Number of resources in stack)[\s\S]*(allows at most|allowed maximum of) 500/);
  });
});
