import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { kmsKeyArn } from './arns.js';
import { alertKeyAliasName, alertTopicArn, warningKeyAliasName, warningTopicArn } from './config/runtime-settings.js';
import type { RdsDrConfig } from './config/schema.js';
import { acknowledgeRule, acknowledgeWildcardResources } from './nag.js';

/**
 * Lets a function (in any region) publish to the primary-region alert topic. The topic and its
 * key are named, not referenced (no cross-region stack reference): the topic by its fixed ARN, the
 * key by its alias via kms:ResourceAliases.
 */
export function grantAlertPublish(fn: IFunction, config: RdsDrConfig): void {
  grantTopicPublish(fn, config, 'critical');
}

/** The same for the primary-region warning topic (`<app>-warnings`, its own KMS key alias/<app>/warnings). */
export function grantWarningPublish(fn: IFunction, config: RdsDrConfig): void {
  grantTopicPublish(fn, config, 'warning');
}

function grantTopicPublish(fn: IFunction, config: RdsDrConfig, severity: 'critical' | 'warning'): void {
  const account = Stack.of(fn).account;
  const anyPrimaryKey = kmsKeyArn(fn, config.primaryRegion, '*');
  const [topicArn, alias, suffix] =
    severity === 'critical'
      ? [alertTopicArn(config, account), alertKeyAliasName(config), 'Alerts']
      : [warningTopicArn(config, account), warningKeyAliasName(config), 'Warnings'];
  fn.addToRolePolicy(new iam.PolicyStatement({ sid: `Publish${suffix}`, actions: ['sns:Publish'], resources: [topicArn] }));
  // SNS encrypts the message with the topic key on the publisher's behalf.
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: `Encrypt${suffix}WithTopicKey`,
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: [anyPrimaryKey],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
    }),
  );
  const role = fn.role!;
  acknowledgeWildcardResources(
    role,
    [anyPrimaryKey],
    `The ${severity} topic key lives in the primary stack (maybe another region); it is matched by its alias ` +
      `${alias} (kms:ResourceAliases condition) instead of a cross-region stack reference.`,
  );
  acknowledgeRule(
    role,
    'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    'Publishing to a KMS-encrypted topic: SNS needs a data key of the algorithm it chooses (the grant topic.grantPublish ' +
      'makes); limited to the topic keys by their aliases.',
  );
}
