// The active-region records (lambdas/core/active-region.ts) as SSM String parameters in the DR region.
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { activeRegionParameterName, activeRegionPath, databaseOfActiveRegionParameter, formatActiveRegionRecord, parseActiveRegionRecord, type ActiveRegionRecord } from '../core/active-region.js';
import { awsClients } from './clients.js';

export interface ActiveRegionReadout {
  /** Active region per database that has a readable record. */
  records: Map<string, ActiveRegionRecord>;
  /** Records that could not be parsed (the database is then treated as in the primary region), with why. */
  garbled: { name: string; error: string }[];
}

export class SsmActiveRegionStore {
  /**
   * `region`: where the records are (the DR region). `impaired`: read through a client that gives up
   * within seconds (the primary deployment reading the DR region, which may be the region in trouble).
   */
  constructor(
    private readonly appName: string,
    private readonly region: string,
    private readonly impaired = false,
  ) {}

  private get ssm() {
    return awsClients.ssm(this.region, this.impaired);
  }

  /** Writes (overwrites) the record of `db`: idempotent, so a retried step writes the same value again. */
  async write(db: string, record: ActiveRegionRecord): Promise<string> {
    const name = activeRegionParameterName(this.appName, db);
    await this.ssm.send(
      new PutParameterCommand({ Name: name, Value: formatActiveRegionRecord(record), Type: 'String', Overwrite: true, Description: `rds-dr: region ${db} is active in` }),
    );
    return name;
  }

  /** The record of `db`, or undefined when it has none (the primary region). */
  async read(db: string): Promise<ActiveRegionRecord | undefined> {
    const name = activeRegionParameterName(this.appName, db);
    try {
      const value = (await this.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
      return value === undefined ? undefined : parseActiveRegionRecord(value, name);
    } catch (err) {
      if ((err as Error).name === 'ParameterNotFound') return undefined;
      throw err;
    }
  }

  /** Every record under the app's path, in pages of 10 (GetParametersByPath's maximum). */
  async readAll(): Promise<ActiveRegionReadout> {
    const records = new Map<string, ActiveRegionRecord>();
    const garbled: ActiveRegionReadout['garbled'] = [];
    let NextToken: string | undefined;
    do {
      // The path without its trailing slash: GetParametersByPath takes the hierarchy, not a prefix.
      const page = await this.ssm.send(new GetParametersByPathCommand({ Path: activeRegionPath(this.appName).replace(/\/$/, ''), Recursive: false, NextToken }));
      for (const p of page.Parameters ?? []) {
        const db = databaseOfActiveRegionParameter(this.appName, p.Name ?? '');
        if (!db) continue;
        try {
          records.set(db, parseActiveRegionRecord(p.Value ?? '', p.Name));
        } catch (err) {
          garbled.push({ name: p.Name ?? '', error: (err as Error).message });
        }
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return { records, garbled };
  }
}
