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
