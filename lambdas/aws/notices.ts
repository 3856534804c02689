// Alerts, warnings and notices go out through SNS topics; email and PagerDuty subscriptions fan them out.
import { PublishCommand } from '@aws-sdk/client-sns';
import { fitForSns, type Alert, type AlertPublisher } from '../core/alert.js';
import { awsClients, regionOfArn } from './clients.js';

export class SnsAlertPublisher implements AlertPublisher {
  /** Publishes in the topic's region: the function's own (each stack has its own topics). */
  constructor(private readonly topicArn: string) {}

  async publish(alert: Alert): Promise<string> {
    // Always deliverable: an alert SNS refused would page nobody.
    const fitted = fitForSns(alert);
    const out = await awsClients.sns(regionOfArn(this.topicArn)).send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: fitted.subject,
        Message: fitted.message,
        MessageAttributes: { severity: { DataType: 'String', StringValue: fitted.severity } },
      }),
    );
    return out.MessageId ?? '';
  }
}
