import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LONG_TIMEOUT, statementsOf, synth, testConfig, TEST_ACCOUNT, type Synthesized, settingsOf } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(testConfig());
}, LONG_TIMEOUT);

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  s.primary.getLogicalId(construct.node.defaultChild as never);

describe('alert topic', { timeout: LONG_TIMEOUT }, () => {
  it('is encrypted with its own rotating KMS key and refuses non-TLS publishers', () => {
    const topicKeyId = s.primary.getLogicalId(s.primary.alerting.topic.masterKey!.node.defaultChild as never);
    s.primaryTemplate.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'acme-dr-alerts',
      KmsMasterKeyId: { 'Fn::GetAtt': [topicKeyId, 'Arn'] },
    });
    s.primaryTemplate.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }) });
    expect(s.primaryTemplate.findResources('AWS::KMS::Key')[topicKeyId].Properties.EnableKeyRotation).toBe(true);
    s.primaryTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes every configured email and the PagerDuty URL over HTTPS (SNS envelope kept)', () => {
    const topic = { Ref: logicalId(s.primary.alerting.topic) };
    for (const email of ['dba@example.com', 'oncall@example.com']) {
      s.primaryTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: topic });
    }
    s.primaryTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://events.pagerduty.com/integration/abc/enqueue',
      RawMessageDelivery: false,
      TopicArn: topic,
    });
    // Exactly these three on the alert topic (the warning topic has its own email subscriptions).
    const onAlertTopic = Object.values(s.primaryTemplate.findResources('AWS::SNS::Subscription')).filter((r) => r.Properties.TopicArn.Ref === topic.Ref);
    expect(onAlertTopic).toHaveLength(3);
  });
});

describe('failure alerting', { timeout: LONG_TIMEOUT }, () => {
  it('routes FAILED / TIMED_OUT / ABORTED executions of the backup, prune and restore state machines to the notifier', () => {
    s.primaryTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [
            { Ref: logicalId(s.primary.backup.stateMachine) },
            { Ref: logicalId(s.primary.prune.stateMachine) },
            { Ref: logicalId(s.primary.restore.stateMachine) },
          ],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(s.primary.alerting.notifier), 'Arn'] },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  it('dead-letters alerts EventBridge could not deliver to an encrypted queue', () => {
    const rule = Object.values(s.primaryTemplate.findResources('AWS::Events::Rule'))[0];
    const dlqId = rule.Properties.Targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0];
    expect(s.primaryTemplate.findResources('AWS::SQS::Queue')[dlqId].Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('gives the notifier the topic ARN and app name (in its settings), and only publish rights on that topic', () => {
    const notifier = s.primaryTemplate.findResources('AWS::Lambda::Function')[logicalId(s.primary.alerting.notifier)];
    expect(settingsOf(notifier)).toMatchObject({
      alertTopicArn: `arn:aws:sns:eu-central-1:${TEST_ACCOUNT}:acme-dr-alerts`,
      appName: 'acme-dr',
    });
    s.primaryTemplate.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'acme-dr-alerts' });
    const statements = statementsOf(s.primaryTemplate, 'AlertingFailureNotifierRole');
    const publish = statements.filter((st) => st.Action === 'sns:Publish');
    expect(publish).toEqual([expect.objectContaining({ Resource: { Ref: logicalId(s.primary.alerting.topic) } })]);
  });
});
