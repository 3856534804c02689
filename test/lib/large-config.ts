// A generated config at the size the issue asks rds-dr to deploy: many policies, each drilling
// several databases with tables and assertions, plus many incident databases with endpoints.
// Used by the deployment-limit tests and `npm run bench` to state the largest config tested.
import { readFileSync } from 'node:fs';
import { repoPath } from '../../lib/platform/paths.js';

const exampleConfigRaw = (): Record<string, unknown> => JSON.parse(readFileSync(repoPath('config', 'example.json'), 'utf8'));

export interface LargeConfigSize {
  policies: number;
  drilledDatabases: number;
  incidentDatabases: number;
}

export const ISSUE_SIZE: LargeConfigSize = { policies: 50, drilledDatabases: 200, incidentDatabases: 50 };

/** The example config grown to `size`: drilled databases spread evenly over the policies. */
export function largeRawConfig(size: LargeConfigSize = ISSUE_SIZE): Record<string, unknown> {
  const raw = exampleConfigRaw() as Record<string, unknown> & { incident: { databases: Record<string, unknown> } };
  const policies: Record<string, unknown> = {};
  for (let p = 0; p < size.policies; p++) {
    const databases: Record<string, unknown> = {};
    for (let d = p; d < size.drilledDatabases; d += size.policies) {
      databases[`app-${String(d).padStart(3, '0')}-orders-database`] = {
        database: 'orders',
        rpoMinutes: 60,
        tables: [
          { name: 'public.orders', minRows: 1000, freshnessColumn: 'updated_at' },
          { name: 'public.customers', minRows: 100 },
          { name: 'public.invoices', minRows: 10 },
        ],
        assertions: [{ name: 'no negative totals', sql: 'SELECT count(*) FROM public.orders WHERE total < 0', expect: 0 }],
      };
    }
    policies[`policy-${String(p).padStart(2, '0')}`] = {
      schedule: { cron: `cron(${p % 60} ${p % 24} * * ? *)`, timeZone: 'UTC' },
      selection: { tags: { 'rds-dr:policy': `policy-${p}` } },
      ...(Object.keys(databases).length > 0 && {
        verify: { schedule: { cron: `cron(${p % 60} 3 ? * SUN *)`, timeZone: 'UTC' }, databases },
      }),
    };
  }
  const incident: Record<string, unknown> = {};
  for (let i = 0; i < size.incidentDatabases; i++) {
    incident[`app-${String(i).padStart(3, '0')}-orders-database`] = {
      standby: { replicaInstance: `app-${String(i).padStart(3, '0')}-orders-replica` },
      maxReplicaLagSeconds: 60,
      endpoint: { ssmParameter: `/app-${i}/db/writer-endpoint` },
      cutover: 'endpoint',
    };
  }
  return { ...raw, policies, incident: { ...raw.incident, databases: incident } };
}
