import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RdsDrConfig } from '../config/schema.js';
import { acknowledgeRule, acknowledgeWildcardResources } from '../nag/acknowledge.js';
import { alertKeyAliasName, alertTopicArn } from '../observability/alerting.js';
import { kmsKeyArn } from './arns.js';

/**
 * Lets a function in the DR region publish to the primary-region alert topic. The topic and its
 * key are named, not referenced (no cross-region stack reference): the topic by its fixed ARN, the
 * key by its alias via kms:ResourceAliases.
 */
export function grantAlertPublish(fn: IFunction, config: RdsDrConfig): void {
  const account = Stack.of(fn).account;
  const anyPrimaryKey = kmsKeyArn(fn, config.primaryRegion, '*');
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'PublishAlerts',
      actions: ['sns:Publish'],
      resources: [alertTopicArn(config, account)],
    }),
  );
  // SNS encrypts the message with the topic key on the publisher's behalf.
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'EncryptAlertsWithTopicKey',
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: [anyPrimaryKey],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alertKeyAliasName(config) } },
    }),
  );
  const role = fn.role!;
  acknowledgeWildcardResources(
    role,
    [anyPrimaryKey],
    'The alert topic key lives in the primary stack (another region); it is matched by its alias ' +
      `${alertKeyAliasName(config)} (kms:ResourceAliases condition) instead of a cross-region stack reference.`,
  );
  acknowledgeRule(
    role,
    'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    'Publishing to a KMS-encrypted topic: SNS needs a data key of the algorithm it chooses (the grant topic.grantPublish ' +
      'makes); limited to the alert topic key by its alias.',
  );
}
