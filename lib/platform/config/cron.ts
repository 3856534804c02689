// EventBridge Scheduler cron: cron(minutes hours day-of-month month day-of-week year).
// A malformed expression is rejected by CloudFormation only at deploy time; checking it here
// moves the failure to `cdk synth`, with the field named.

const FIELD_PATTERNS = [
  /^(\*|([0-5]?\d)([-/,]([0-5]?\d))*)$/, // minutes
  /^(\*|(1?\d|2[0-3])([-/,](1?\d|2[0-3]))*)$/, // hours
  /^(\*|\?|L|LW|([1-9]|[12]\d|3[01])W?([-/,]([1-9]|[12]\d|3[01]))*)$/, // day of month
  /^(\*|((1[0-2]|[1-9])|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)([-/,]((1[0-2]|[1-9])|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))*)$/i, // month
  /^(\*|\?|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5])?([-/,]([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT))*)$/i, // day of week
  /^(\*|(19[7-9]\d|2[01]\d\d)([-/,](19[7-9]\d|2[01]\d\d|\d{1,3}))*)$/, // year
];

export function isValidSchedulerCron(expression: string): boolean {
  const match = /^cron\((.+)\)$/.exec(expression.trim());
  if (!match) return false;
  const fields = match[1].trim().split(/\s+/);
  if (fields.length !== 6) return false;
  if (!fields.every((f, i) => FIELD_PATTERNS[i].test(f))) return false;
  // Exactly one of day-of-month / day-of-week must be "?".
  return (fields[2] === '?') !== (fields[4] === '?');
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}
