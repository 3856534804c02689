import { z } from 'zod';
import { logger, withLogKeys } from '../aws/logger.js';
import { formatFailureAlert, type ExecutionStatusEvent } from './failure-alert.js';
import { SnsAlertPublisher } from '../aws/notices.js';

const env = z.object({ ALERT_TOPIC_ARN: z.string().startsWith('arn:'), APP_NAME: z.string().default('rds-dr') }).parse(process.env);
const publisher = new SnsAlertPublisher(env.ALERT_TOPIC_ARN);

/** Target of the EventBridge rule on this app's executions ending FAILED, TIMED_OUT or ABORTED. */
export async function handler(event: ExecutionStatusEvent): Promise<{ messageId: string }> {
  withLogKeys({ executionArn: event.detail.executionArn });
  const alert = formatFailureAlert(event, env.APP_NAME);
  const messageId = await publisher.publish(alert);
  logger.warn('failure alert published', { status: event.detail.status, error: event.detail.error, subject: alert.subject, messageId });
  return { messageId };
}
