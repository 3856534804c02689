import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Alert, AlertPublisher } from '../core/alert.js';


/** Publishes to the alert topic; email and PagerDuty subscriptions fan it out. */
export class SnsAlertPublisher implements AlertPublisher {
  private readonly sns: SNSClient;
  constructor(private readonly topicArn: string) {
    // Publish in the topic's region: notifiers in the DR region alert through the primary's topic.
    this.sns = new SNSClient({ region: topicArn.split(':')[3], maxAttempts: 8 });
  }

  async publish(alert: Alert): Promise<string> {
    const out = await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: alert.subject,
        Message: alert.message,
        MessageAttributes: { severity: { DataType: 'String', StringValue: alert.severity } },
      }),
    );
    return out.MessageId ?? '';
  }
}
