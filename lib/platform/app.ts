import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeploymentLimits } from './deployment-limits.js';
import { loadConfigFile } from './config/load.js';
import { ConfigError, type RdsDrConfig } from './config/schema.js';
import { DrStack } from './dr-stack.js';
import { PrimaryStack } from './primary-stack.js';
import { hasRestoreDrills } from './config/features.js';

export interface BuildAppOptions {
  /** @default a new App */
  readonly app?: App;
  /** Run the cdk-nag AwsSolutions checks at synth. @default true */
  readonly nag?: boolean;
}

export interface RdsDrApp {
  readonly app: App;
  readonly primary: PrimaryStack;
  readonly dr: DrStack;
}

/** Builds the rds-dr stacks from a validated config; bin/app.ts and the tests share this. */
export function buildApp(config: RdsDrConfig, options: BuildAppOptions = {}): RdsDrApp {
  const app = options.app ?? new App();
  // Undefined account = environment-agnostic on the account axis: synth works without credentials.
  const account = config.account ?? process.env.CDK_DEFAULT_ACCOUNT;

  const dr = new DrStack(app, `${config.appName}-dr`, {
    config,
    env: { account, region: config.drRegion },
    description: `${config.appName}: ${drStackContents(config)} in the DR region`,
  });

  const primary = new PrimaryStack(app, `${config.appName}-primary`, {
    config,
    env: { account, region: config.primaryRegion },
    description: `${config.appName}: scheduled RDS/Aurora snapshots copied to ${config.drRegion}, with alerting`,
  });
  // Copies need the DR key, so `cdk deploy --all` deploys the DR stack first. No values cross regions,
  // and each stack has its own alert and warning topics: the DR stack pages without the primary one.
  primary.addStackDependency(
    dr,
    config.drKmsKeyArn
      ? 'the prune workflow writes its audit to the DR stack reports bucket'
      : 'advance-backup-batch encrypts DR copies with the DR stack key',
  );

  // cdk-nag v3 is a CDK policy-validation plugin (v2's Aspect API is gone): findings are reported
  // at synth, fail `cdk synth`, and make an in-memory app.synth() throw.
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  // CloudFormation and Lambda limits that would otherwise only fail `cdk deploy`.
  Validations.of(app).addPlugins(new DeploymentLimits());
  return { app, primary, dr };
}

function drStackContents(config: RdsDrConfig): string {
  const parts = [
    config.drKmsKeyArn ? undefined : 'KMS key for RDS snapshot copies',
    'reports bucket',
    'alert topics',
    hasRestoreDrills(config) ? 'scheduled restore drills' : undefined,
  ];
  return parts.filter(Boolean).join(' and ');
}

/**
 * What `cdk synth -c config=path/to/config.json` runs (bin/app.ts): the config named by the context
 * (default config/example.json), validated; a bad one exits 1 naming every bad field.
 */
export function synthFromContext(): void {
  const app = new App();
  const configPath = String(app.node.tryGetContext('config') ?? 'config/example.json');
  let config: RdsDrConfig;
  try {
    config = loadConfigFile(configPath);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The message names every bad field; a stack trace would only bury it.
    console.error(err.message);
    process.exit(1);
  }
  buildApp(config, { app });
  app.synth();
}
