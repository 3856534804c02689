import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { awsClients } from '../aws/clients.js';
import { noticeTopicArn, runIncidentReport, type IncidentReportEvent, type IncidentReportResult } from './report-step.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';

const settings = readSettings();

/** Writes the incident timeline to the reports bucket (DR region) and a notice to the warnings topic (primary region, best effort). */
export async function handler(event: IncidentReportEvent): Promise<IncidentReportResult> {
  withLogKeys({ db: event.db, executionArn: event.executionArn });
  const bucket = settings.reportsBucket;
  if (!bucket) throw new Error('RDSDR_SETTINGS.reportsBucket is not set');
  const topicArn = process.env.NOTICE_TOPIC_ARN || noticeTopicArn(settings, event.executionArn.split(':')[4] ?? '');
  const result = await runIncidentReport(
    event,
    {
      store: async (key, body) => {
        await awsClients.s3(settings.drRegion).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
        return `s3://${bucket}/${key}`;
      },
      notify: async (subject, message) => {
        await awsClients.sns(settings.primaryRegion, true).send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
      },
    },
    () => new Date(),
  );
  logger.info('incident report', { workflow: event.workflow, report: result.reportLocation, totalSeconds: result.totalSeconds, notice: result.notice });
  return result;
}
