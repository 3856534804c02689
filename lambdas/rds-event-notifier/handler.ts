import { z } from 'zod';
import { SnsAlertPublisher } from '../failure-notifier/sns-alert-publisher.js';
import { logger, withLogKeys } from '../shared/logger.js';
import { rdsClient } from '../shared/rds-clients.js';
import { readSettings } from '../shared/settings.js';
import { classifyRdsEvent, formatRdsEventAlert, type RdsEvent } from './format-rds-event.js';
import { protectionOf } from './protection.js';
import { RdsTagReader } from './rds-tag-reader.js';

const settings = readSettings();
const env = z.object({ ALERT_TOPIC_ARN: z.string().startsWith('arn:'), APP_NAME: z.string().default('rds-dr') }).parse(process.env);
const publisher = new SnsAlertPublisher(env.ALERT_TOPIC_ARN);

/** Target of the RDS failure-event rules (primary and DR region): decides protection, then pages. */
export async function handler(event: RdsEvent): Promise<{ messageId?: string; skipped?: string }> {
  const c = classifyRdsEvent(event);
  withLogKeys({ db: c.database, snapshot: c.snapshot, rdsEvent: event.detail.EventID });
  const instanceLevel = event['detail-type'] === 'RDS DB Instance Event' || event['detail-type'] === 'RDS DB Cluster Event';
  if (instanceLevel) {
    const kind = event['detail-type'] === 'RDS DB Cluster Event' ? 'cluster' : 'instance';
    const why = await protectionOf(settings, { id: c.database ?? '', arn: event.detail.SourceArn, kind }, new RdsTagReader(rdsClient(event.region)));
    if (!why) {
      logger.info('RDS event for an unprotected database ignored', { region: event.region, message: event.detail.Message });
      return { skipped: 'not protected by this deployment' };
    }
  }
  const alert = formatRdsEventAlert(event, env.APP_NAME);
  const messageId = await publisher.publish(alert);
  logger.warn('RDS event alert published', { region: event.region, subject: alert.subject, messageId });
  return { messageId };
}
