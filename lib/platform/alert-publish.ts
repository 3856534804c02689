import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { kmsKeyArn } from './arns.js';
import { warningKeyAliasName, warningTopicArn } from './config/runtime-settings.js';
import type { RdsDrConfig } from './config/schema.js';
import { acknowledgeRule, acknowledgeWildcardResources } from './nag.js';

/**
 * Lets a function publish to the warning topic (`<app>-warnings`, KMS key alias/<app>/warnings) of its
 * own stack's region: the ARN its settings name (lib/platform/rds-dr-function.ts), never another
 * region's, so each region warns on its own. The topic and its key are named, not referenced (the
 * function need not be built beside the construct that made them): the topic by its fixed ARN, the
 * key by its alias via kms:ResourceAliases. (Functions beside a topic use topic.grantPublish.)
 */
export function grantWarningPublish(fn: IFunction, config: RdsDrConfig): void {
  const { account, region } = Stack.of(fn);
  const anyKeyHere = kmsKeyArn(fn, region, '*');
  const alias = warningKeyAliasName(config);
  fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'PublishWarnings', actions: ['sns:Publish'], resources: [warningTopicArn(config, { account, region })] }));
  // SNS encrypts the message with the topic key on the publisher's behalf.
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'EncryptWarningsWithTopicKey',
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: [anyKeyHere],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
    }),
  );
  const role = fn.role!;
  acknowledgeWildcardResources(
    role,
    [anyKeyHere],
    `The warning topic key of this region is matched by its alias ${alias} (kms:ResourceAliases condition) ` +
      'instead of a reference to the construct that made it; limited to this region.',
  );
  acknowledgeRule(
    role,
    'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    'Publishing to a KMS-encrypted topic: SNS needs a data key of the algorithm it chooses (the grant topic.grantPublish ' +
      'makes); limited to the topic key by its alias.',
  );
}
