// What every alert and warning is, whoever sends it: the message someone reads at 3 a.m.

export interface Alert {
  subject: string;
  message: string;
  severity: 'critical' | 'warning';
}

/** Publishes alerts (SNS in AWS: lambdas/aws/notices.ts); returns the message id. */
export interface AlertPublisher {
  publish(alert: Alert): Promise<string>;
}

/** SNS Publish: a message of at most 256 KB (UTF-8 bytes), a subject of at most 100 printable ASCII characters. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
export const SNS_MAX_SUBJECT = 100;
/** Room left for the SNS envelope and a note on what was cut. */
const MESSAGE_BUDGET = SNS_MAX_MESSAGE_BYTES - 2_048;

/** `text` cut to at most `maxBytes` UTF-8 bytes, saying how much was left out. */
export function truncateBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return text;
  const note = (cut: number) => `\n… [${cut} bytes cut to fit the alert]`;
  // Cut whole characters (never half a UTF-8 sequence), leaving room for the note.
  const keep = Buffer.from(text, 'utf8').subarray(0, maxBytes - 64).toString('utf8').replace(/\uFFFD$/, '');
  return keep + note(bytes - Buffer.byteLength(keep, 'utf8'));
}

/**
 * An alert SNS accepts whatever went into it (a 100 kB database name quoted twice, a huge input):
 * the subject printable and short, the message within SNS's limit. Messages put their essential facts
 * first, so what a cut drops is the tail.
 */
export function fitForSns(alert: Alert): Alert {
  const subject = alert.subject.replace(/[^\x20-\x7e]/g, ' ').slice(0, SNS_MAX_SUBJECT - 1).trim() || 'rds-dr alert';
  return { ...alert, subject, message: truncateBytes(alert.message, MESSAGE_BUDGET) };
}

/** Lambda and SDK errors arrive as JSON strings; show the human part. */
export function readableCause(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; message?: string };
    return parsed.errorMessage ?? parsed.message ?? cause;
  } catch {
    return cause;
  }
}
