import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeRule } from './nag.js';

/**
 * Encrypted, TLS-only SQS queue that receives deliveries a service (Scheduler, EventBridge)
 * gave up on, kept for the maximum 14 days so an operator can see what was lost.
 */
export function createDeadLetterQueue(scope: Construct, id: string, purpose: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    // SQS-managed SSE: Scheduler and EventBridge can send to it without a key-policy grant.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledgeRule(
    queue,
    'AwsSolutions-SQS3',
    `This queue is itself a dead-letter queue (${purpose}); giving it another DLQ would only move the problem.`,
  );
  return queue;
}
