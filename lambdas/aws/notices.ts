// Alerts, warnings and notices go out through SNS topics; email and PagerDuty subscriptions fan them out.
import { PublishCommand } from '@aws-sdk/client-sns';
import type { Alert, AlertPublisher } from '../core/alert.js';
import { awsClients, regionOfArn } from './clients.js';

export class SnsAlertPublisher implements AlertPublisher {
  /**
   * Publishes in the topic's region (a DR-region Lambda may publish to a primary-region topic).
   * `impaired`: that region may be down, so give up fast (a best-effort notice).
   */
  constructor(
    private readonly topicArn: string,
    private readonly impaired = false,
  ) {}

  async publish(alert: Alert): Promise<string> {
    const out = await awsClients.sns(regionOfArn(this.topicArn), this.impaired).send(
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
