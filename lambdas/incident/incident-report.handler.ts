import { logger, withLogKeys } from '../aws/logger.js';
import { SnsAlertPublisher } from '../aws/notices.js';
import { reportsFromSettings } from '../aws/reports.js';
import { readSettings } from '../core/settings.js';
import { runIncidentReport, type IncidentReportEvent, type IncidentReportResult } from './report-step.js';

const settings = readSettings();
// The notice goes to the warnings topic of this function's own region.
const notices = new SnsAlertPublisher(settings.warningTopicArn);
const reportsBucket = reportsFromSettings(settings);

/** Writes the incident timeline to the reports bucket (DR region) and a notice to the warnings topic (this region, best effort). */
export async function handler(event: IncidentReportEvent): Promise<IncidentReportResult> {
  withLogKeys({ db: event.db, executionArn: event.executionArn });
  if (!reportsBucket) throw new Error('RDSDR_SETTINGS names no reports bucket (reportsBucket or reportsBucketParameter)');
  const reports = reportsBucket;
  const result = await runIncidentReport(
    event,
    {
      store: (key, body) => reports.put(key, body),
      notify: async (subject, message) => {
        await notices.publish({ subject, message, severity: 'warning' });
      },
    },
    () => new Date(),
  );
  logger.info('incident report', { workflow: event.workflow, report: result.reportLocation, totalSeconds: result.totalSeconds, notice: result.notice });
  return result;
}
