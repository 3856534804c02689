import { logger, withLogKeys } from '../aws/logger.js';
import { formatFailureAlert, type ExecutionStatusEvent } from './failure-alert.js';
import { SnsAlertPublisher } from '../aws/notices.js';
import { readSettings } from '../core/settings.js';

const settings = readSettings();
const publisher = new SnsAlertPublisher(settings.alertTopicArn);

/** Target of the EventBridge rule on this app's executions ending FAILED, TIMED_OUT or ABORTED. */
export async function handler(event: ExecutionStatusEvent): Promise<{ messageId: string }> {
  withLogKeys({ executionArn: event.detail.executionArn });
  const alert = formatFailureAlert(event, settings.appName);
  const messageId = await publisher.publish(alert);
  logger.warn('failure alert published', { status: event.detail.status, error: event.detail.error, subject: alert.subject, messageId });
  return { messageId };
}
