// Which region a protected database is active in, after a failover (or a failback) moved it. The
// record is an SSM String parameter in the DR region, `/<appName>/active-region/<db>`, holding
// {"region","since","by"}; no record means the primary region. The failover writes `region: drRegion`
// once the promoted database is writable; the failback writes `region: primaryRegion` back with the
// same helpers. Backup discovery and the RPO monitor of each region read it to protect a database
// where it runs now, and the DR region's drill to restore the snapshots of the database that is live. Pure and SDK-free (lambdas/aws/ssm-active-region.ts reads and writes it).
import { z } from 'zod';

/** Where every record of the app lives: one parameter per database under this path. */
export const activeRegionPath = (appName: string): string => `/${appName}/active-region/`;

/** The record's parameter name for one database (its identifier in the primary region). */
export const activeRegionParameterName = (appName: string, db: string): string => `${activeRegionPath(appName)}${db}`;

/** The database a parameter name is the record of, or undefined for a name outside the app's path. */
export function databaseOfActiveRegionParameter(appName: string, name: string): string | undefined {
  const prefix = activeRegionPath(appName);
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : undefined;
}

export const activeRegionRecordSchema = z.strictObject({
  /** The region the database is active (writable and protected) in. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region like us-west-2'),
  /** When it became active there (ISO-8601). */
  since: z.iso.datetime({ offset: true }),
  /** The execution that moved it (a failover's or failback's execution ARN). */
  by: z.string().min(1),
});

export type ActiveRegionRecord = z.infer<typeof activeRegionRecordSchema>;

/** The parameter's value (JSON); a garbled one throws, naming the parameter and what is wrong. */
export function parseActiveRegionRecord(value: string, name = 'active-region record'): ActiveRegionRecord {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new Error(`${name}: not JSON: ${value.slice(0, 200)}`);
  }
  const parsed = activeRegionRecordSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The value to write: `by` moved the database to `region` at `since`. */
export function formatActiveRegionRecord(record: ActiveRegionRecord): string {
  return JSON.stringify(activeRegionRecordSchema.parse(record));
}

/** Active region per database, as read from the records; a database without one is in the primary region. */
export type ActiveRegions = ReadonlyMap<string, string>;

export const activeRegionOf = (records: ActiveRegions, db: string, primaryRegion: string): string => records.get(db) ?? primaryRegion;
