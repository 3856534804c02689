// Limits that would only fail `cdk deploy` fail `cdk synth` instead, naming what crosses them.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../lib/platform/app.js';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { MAX_LAMBDA_ENVIRONMENT_BYTES, templateViolations } from '../../../lib/platform/deployment-limits.js';
import { LONG_TIMEOUT, rawTestConfig, testApp } from '../fixtures.js';

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

describe('cdk synth refuses a config that would not deploy', { timeout: LONG_TIMEOUT }, () => {
  it('so many policies that every function\'s settings pass Lambda\'s 4 KB environment', () => {
    const raw = rawTestConfig() as { policies: Record<string, unknown> };
    for (let i = 0; i < 12; i++) raw.policies[`team-${i}`] = { schedule: { cron: 'cron(0 2 * * ? *)', timeZone: 'UTC' }, selection: { tags: { team: `team-${i}`, env: 'prod' } } };
    const { app } = buildApp(parseConfig(raw, 'big.json'), { app: testApp() });
    expect(() => app.synth()).toThrow(/LambdaEnvironmentSize[\s\S]*Lambda allows 4096 in total/);
  });

  it('the test config synthesizes within every limit', () => {
    const { app } = buildApp(parseConfig(rawTestConfig(), 'test'), { app: testApp() });
    expect(() => app.synth()).not.toThrow();
  });
});
