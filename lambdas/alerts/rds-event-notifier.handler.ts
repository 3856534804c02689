import { SnsAlertPublisher } from '../aws/notices.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { readSettings } from '../core/settings.js';
import { classifyRdsEvent, formatRdsEventAlert, type RdsEvent } from './rds-event-alert.js';
import { RdsTagReader } from '../aws/rds-tags.js';
import { protectionOf } from '../core/protection.js';

const settings = readSettings(['policies']);
const publisher = new SnsAlertPublisher(settings.alertTopicArn);

/** Target of the RDS failure-event rules (primary and DR region): decides protection, then pages. */
export async function handler(event: RdsEvent): Promise<{ messageId?: string; skipped?: string }> {
  const c = classifyRdsEvent(event);
  withLogKeys({ db: c.database, snapshot: c.snapshot, rdsEvent: event.detail.EventID });
  const instanceLevel = event['detail-type'] === 'RDS DB Instance Event' || event['detail-type'] === 'RDS DB Cluster Event';
  if (instanceLevel) {
    const kind = event['detail-type'] === 'RDS DB Cluster Event' ? 'cluster' : 'instance';
    const why = await protectionOf(settings, { id: c.database ?? '', arn: event.detail.SourceArn, kind }, new RdsTagReader(awsClients.rds(event.region)));
    if (!why) {
      logger.info('RDS event for an unprotected database ignored', { region: event.region, message: event.detail.Message });
      return { skipped: 'not protected by this deployment' };
    }
  }
  const alert = formatRdsEventAlert(event, settings.appName);
  const messageId = await publisher.publish(alert);
  logger.warn('RDS event alert published', { region: event.region, subject: alert.subject, messageId });
  return { messageId };
}
