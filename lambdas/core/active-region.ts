// The "active region" record of a database: which region holds its writer, since when, and which
// execution put it there. One SSM String parameter per database in the DR region (the region that is
// up when it matters). Written by the failover (to the DR region) and the failback (back to the
// primary region); read by people, dashboards and the next incident.

export interface ActiveRegionRecord {
  region: string;
  /** ISO-8601 instant the writer moved there. */
  since: string;
  /** Execution ARN of the workflow that moved it. */
  by: string;
}

/** `/<appName>/active-region/<db>`. */
export const activeRegionParameterName = (appName: string, db: string): string => `/${appName}/active-region/${db}`;

export const formatActiveRegion = (record: ActiveRegionRecord): string => JSON.stringify(record);

/** The record's region: the value is the JSON record or, written by hand, just the region name. */
export function activeRegionOf(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<ActiveRegionRecord>;
    if (parsed && typeof parsed === 'object' && typeof parsed.region === 'string') return parsed.region;
  } catch {
    // Not JSON: a bare region name.
  }
  return value.trim();
}
