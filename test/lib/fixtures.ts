// Shared by the CDK tests: configs, and one synth per config (bundling five Lambdas is the slow part).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_SETTINGS_FILE, mergeSettings } from '../../lambdas/core/settings.js';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp, type RdsDrApp } from '../../lib/platform/app.js';
import { parseConfig, type RdsDrConfig } from '../../lib/platform/config/schema.js';
import { repoPath } from '../../lib/platform/paths.js';

export const TEST_ACCOUNT = '111122223333';
export const BYO_KEY_ARN = `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** A valid raw config (before defaults), covering tag, instance and cluster selections and a disabled schedule. */
export function rawTestConfig(): Record<string, unknown> {
  return {
    appName: 'acme-dr',
    account: TEST_ACCOUNT,
    primaryRegion: 'eu-central-1',
    drRegion: 'eu-west-1',
    alerts: {
      emails: ['dba@example.com', 'oncall@example.com'],
      pagerDutyUrl: 'https://events.pagerduty.com/integration/abc/enqueue',
    },
    policies: {
      gold: {
        schedule: { cron: 'cron(0 2 * * ? *)', timeZone: 'UTC' },
        selection: { tags: { 'rds-dr:policy': 'gold', env: 'prod' } },
      },
      billing: {
        schedule: { cron: 'cron(30 1 * * ? *)', timeZone: 'Europe/Berlin' },
        selection: { instances: ['billing-db', 'orders-db'], clusters: ['ledger'] },
      },
      weekly: {
        schedule: { cron: 'cron(0 4 ? * SUN *)', timeZone: 'America/New_York', enabled: false },
        selection: { tags: { tier: 'archive' } },
      },
    },
  };
}

export const testConfig = (): RdsDrConfig => parseConfig(rawTestConfig(), 'test');
export const byoKeyConfig = (): RdsDrConfig => parseConfig({ ...rawTestConfig(), drKmsKeyArn: BYO_KEY_ARN }, 'test');
export const DRILL_SUBNETS = ['subnet-0aaa1111bbbb22223', 'subnet-0ccc3333dddd44445'];

/** Restore drills on two policies (one schedule disabled), with a bring-your-own DR key and no zones configured. */
export function rawDrillConfig(): Record<string, unknown> {
  const raw = rawTestConfig() as { policies: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  raw.drKmsKeyArn = BYO_KEY_ARN;
  raw.verification = { vpcId: 'vpc-0123456789abcdef0', subnetIds: DRILL_SUBNETS, reportRetentionDays: 90 };
  raw.policies.gold.verify = { databases: { orders: { tables: [{ name: 'public.orders' }] } } };
  raw.policies.billing.verify = {
    schedule: { cron: 'cron(0 5 ? * SAT *)', timeZone: 'Europe/Berlin', enabled: false },
    databases: { 'billing-db': {}, ledger: {} },
  };
  return raw;
}

export const drillConfig = (): RdsDrConfig => parseConfig(rawDrillConfig(), 'test');
export const exampleConfig = (): RdsDrConfig =>
  parseConfig(JSON.parse(readFileSync(repoPath('config', 'example.json'), 'utf8')), 'config/example.json');

export interface Synthesized extends RdsDrApp {
  readonly assembly: CloudAssembly;
  readonly primaryTemplate: Template;
  readonly drTemplate?: Template;
}

/**
 * An App that skips Lambda bundling (CDK's own `aws:cdk:bundling-stacks` context, as `cdk synth
 * --exclusively` uses for other stacks): templates are identical except for the code asset, and
 * esbuild's synchronous bundling would block the test worker for a minute per synth. The real
 * bundling is covered by test/bin/cdk-synth.test.ts, which runs the CDK CLI.
 */
export const testApp = (): App => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

/** Builds the app exactly as bin/app.ts does (cdk-nag included) and synthesizes it. */
export function synth(config: RdsDrConfig): Synthesized {
  const built = buildApp(config, { app: testApp() });
  assemblyDirs.push(built.app.outdir);
  // In-memory synth throws if cdk-nag (a policy-validation plugin) reports an unacknowledged error.
  const assembly = built.app.synth();
  return {
    ...built,
    assembly,
    primaryTemplate: Template.fromStack(built.primary),
    drTemplate: built.dr && Template.fromStack(built.dr),
  };
}

/** All IAM policy statements of the given role logical-id prefix (e.g. "BackupFunctionsCopySnapshotRole"). */
export function statementsOf(template: Template, rolePrefix: string): IamStatement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies)
    .filter(([id]) => id.startsWith(`${rolePrefix}DefaultPolicy`))
    .flatMap(([, p]) => (p as { Properties: { PolicyDocument: { Statement: IamStatement[] } } }).Properties.PolicyDocument.Statement);
}

export interface IamStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Statements allowing the action. */
export const allowing = (statements: IamStatement[], action: string) =>
  statements.filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action));

export const LONG_TIMEOUT = 180_000;

/** A template value as text: an `Fn::Join` with each reference CloudFormation fills in rendered by `reference`. */
export function joinedText(value: string | { 'Fn::Join': [string, unknown[]] }, reference: (part: unknown) => string): string {
  return typeof value === 'string' ? value : value['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : reference(p))).join(value['Fn::Join'][0]);
}

/** Assembly directories of this file's synths: where the functions' bundled settings were written. */
const assemblyDirs: string[] = [];

/**
 * A function's settings as its handler reads them: the bundled file (found through the function's
 * `rds-dr:settings-file` metadata) with RDSDR_SETTINGS laid over it. Values CloudFormation fills in at
 * deploy (a bucket name, a security group id) appear as `<ref:…>` strings.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a template resource, as aws-cdk-lib/assertions types it
export function settingsOf(fn: { [key: string]: any }): Record<string, unknown> {
  const text = joinedText(fn.Properties.Environment.Variables.RDSDR_SETTINGS, (p) => `<ref:${JSON.stringify(p).replace(/"/g, "'")}>`);
  const { $bundled, ...deployed } = JSON.parse(text) as Record<string, unknown>;
  if ($bundled !== BUNDLED_SETTINGS_FILE) throw new Error(`RDSDR_SETTINGS does not point to ${BUNDLED_SETTINGS_FILE}: ${text}`);
  const relative = fn.Metadata?.['rds-dr:settings-file'] as string;
  const dir = assemblyDirs.find((d) => existsSync(join(d, relative)));
  if (!dir) throw new Error(`no synth of this test file wrote ${relative}`);
  return mergeSettings(JSON.parse(readFileSync(join(dir, relative), 'utf8')), deployed) as Record<string, unknown>;
}
