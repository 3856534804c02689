// The per-account configuration of an rds-dr deployment, validated at `cdk synth`.
// Every rule here exists so that a mistake fails the synth with a message that names the field,
// instead of surfacing at 2 a.m. as a workflow that silently protects nothing.
import { z } from 'zod';
import { AWS_REGIONS } from './regions.js';
import { copySlotsSchema, RDS_COPIES_IN_PROGRESS } from './copy-slots-schema.js';
import { isValidSchedulerCron, isValidTimeZone } from './cron.js';
import { incidentSchema } from './incident-schema.js';
import { pruningSchema, retentionSchema } from './retention-schema.js';
import { verificationNetworkSchema, verifyPolicySchema } from './verification-schema.js';
import { deletionSeconds, PRUNE_DELETION_SECONDS_BUDGET } from '../../../lambdas/core/deletion-pace.js';

/**
 * The smallest snapshotTimeoutMinutes. backup.asl.json's retries of a database that is momentarily
 * not available (backing-up, modifying) wait at most this long in all (test/state-machines/asl-static.test.ts).
 */
export const MIN_SNAPSHOT_TIMEOUT_MINUTES = 5;

/**
 * Hard limit from RDS: DB snapshot copies in progress per destination region (account-wide, so the
 * copy slots, `copySlots`, hold all policies together to it; a policy's own bound cannot exceed it either).
 */
export const MAX_COPIES_IN_FLIGHT = RDS_COPIES_IN_PROGRESS.instance;

const regionSchema = z.string().refine((r) => (AWS_REGIONS as readonly string[]).includes(r), {
  error: (issue) => `unknown AWS region "${String(issue.input)}"; allowed: ${AWS_REGIONS.join(', ')}`,
});

// RDS DB instance / cluster identifiers: 1-63 chars, letters/digits/hyphens, start with a letter,
// no double hyphen, no trailing hyphen.
const dbIdentifierSchema = z
  .string()
  .regex(/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/, {
    error: 'must be an RDS identifier: 1-63 letters, digits or hyphens, starting with a letter, no "--"',
  })
  .refine((s) => !s.endsWith('-'), { error: 'must not end with a hyphen' });

// Option group names as CreateOptionGroup accepts them: 1-255 letters, digits or hyphens, starting
// with a letter, no trailing hyphen and no "--" (RDS API Reference, CreateOptionGroup).
const optionGroupNameSchema = (what: string) =>
  z.string().regex(/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,254}$/, {
    error: (issue) => `${what} must be RDS option group names: 1-255 letters, digits or hyphens, starting with a letter, no "--"; got "${String(issue.input)}"`,
  }).refine((s) => !s.endsWith('-'), { error: (issue) => `${what} must not end with a hyphen; got "${String(issue.input)}"` });

// Tag keys/values as RDS accepts them (letters, digits, spaces and _ . : / = + - @).
const tagText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, { error: 'may contain only letters, digits, spaces and _ . : / = + - @' });

const scheduleSchema = z
  .strictObject({
    cron: z
      .string()
      .refine(isValidSchedulerCron, {
        error: (issue) =>
          `invalid EventBridge Scheduler cron "${String(issue.input)}"; expected cron(minutes hours day-of-month month day-of-week year) with "?" in day-of-month or day-of-week, e.g. cron(0 2 * * ? *)`,
      })
      .default('cron(0 2 * * ? *)'),
    timeZone: z
      .string()
      .refine(isValidTimeZone, { error: (issue) => `unknown IANA time zone "${String(issue.input)}", e.g. UTC or Europe/Berlin` })
      .default('UTC'),
    enabled: z.boolean().default(true),
  })
  .prefault({});

const selectionSchema = z
  .strictObject({
    /** Protect every instance/cluster carrying all of these tags. */
    tags: z.record(tagText(128), tagText(256)).default({}),
    /** Protect these DB instance identifiers (primary region). */
    instances: z.array(dbIdentifierSchema).default([]),
    /** Protect these Aurora DB cluster identifiers (primary region). */
    clusters: z.array(dbIdentifierSchema).default([]),
  })
  .refine((s) => Object.keys(s.tags).length + s.instances.length + s.clusters.length > 0, {
    error: 'empty selection: set at least one of tags, instances or clusters',
  });

const policySchema = z.strictObject({
  schedule: scheduleSchema,
  selection: selectionSchema,
  /** Batches of 25 databases a backup run works on at once (its Distributed Map's MaxConcurrency). */
  maxConcurrency: z.number().int().min(1).max(40).default(5),
  /**
   * Superseded by the account-wide `copySlots`, which hold every policy's copies together to what RDS
   * allows in progress per destination region; still accepted so existing configs load, and no longer
   * read (cdk synth warns when it is set).
   */
  maxCopiesInFlight: z.number().int().min(1).max(MAX_COPIES_IN_FLIGHT).optional(),
  /** Give up waiting for a snapshot to become available after this long. */
  snapshotTimeoutMinutes: z.number().int().min(MIN_SNAPSHOT_TIMEOUT_MINUTES).max(24 * 60).default(6 * 60),
  /** Give up waiting for a cross-region copy after this long (copies of one source queue up). */
  copyTimeoutMinutes: z.number().int().min(5).max(48 * 60).default(12 * 60),
  /** Restore drills for this policy's databases (needs top-level `verification`). */
  verify: verifyPolicySchema.optional(),
  /** GFS retention of this policy's snapshots, per region. */
  retention: retentionSchema,
  /** Recovery objectives the alarms hold this policy's databases to. */
  objectives: z
    .strictObject({
      /** Max age of the newest restorable point in the primary region. */
      rpoPrimaryMinutes: z.number().int().min(5).max(7 * 24 * 60).default(60),
      /** Max age of the newest restorable point in the DR region. */
      rpoDrMinutes: z.number().int().min(5).max(14 * 24 * 60).default(25 * 60),
      /** Max measured restore time (drills' RestoreSeconds). */
      rtoMinutes: z.number().int().min(1).max(7 * 24 * 60).default(240),
      /** Max age of the last restore drill. */
      verificationMaxAgeDays: z.number().int().min(1).max(90).default(8),
    })
    .prefault({}),
});

const alertsSchema = z
  .strictObject({
    emails: z.array(z.email({ error: (issue) => `invalid email address "${String(issue.input)}"` })).default([]),
    pagerDutyUrl: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL (the PagerDuty Events API v2 / CloudWatch integration URL)' })
      .optional(),
    /**
     * Recommended instead of pagerDutyUrl: the name of an SSM String parameter holding the PagerDuty
     * integration URL, resolved by CloudFormation at deploy time, so the URL is in no config file or template.
     */
    pagerDutyUrlParameter: z
      .string()
      .regex(/^\/?[a-zA-Z0-9_.\-/]{1,1011}$/, { error: 'must be an SSM parameter name such as /rds-dr/pagerduty-url (letters, digits, _ . - /)' })
      .optional(),
  })
  .refine((a) => !(a.pagerDutyUrl !== undefined && a.pagerDutyUrlParameter !== undefined), {
    error: 'set pagerDutyUrl or pagerDutyUrlParameter, not both (prefer pagerDutyUrlParameter: the URL is a credential)',
  })
  .refine((a) => a.emails.length > 0 || a.pagerDutyUrl !== undefined || a.pagerDutyUrlParameter !== undefined, {
    error: 'no alert destination: set at least one email, pagerDutyUrlParameter or pagerDutyUrl',
  });

/** Schedule names rds-dr creates next to the policies' <app>-<policy> (prune, RPO monitor, drill sweeper). */
export const RESERVED_POLICY_NAMES = ['prune', 'rpo-monitor', 'sweep-verification'];
/** backup.asl.json TimeoutSeconds (48 h). */
export const BACKUP_EXECUTION_TIMEOUT_MINUTES = 48 * 60;
/** A drill's check (RunChecks times out at 15 min) and cleanup after its two restore waits. */
const DRILL_CHECK_AND_CLEANUP_MINUTES = 30;

export const configSchema = z
  .strictObject({
    /** Short name used in resource names, so two deployments in one account do not collide. */
    appName: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,20}$/, { error: 'must be 2-21 lowercase letters, digits or hyphens, starting with a letter' })
      .default('rds-dr'),
    account: z
      .string()
      .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })
      .optional(),
    primaryRegion: regionSchema,
    drRegion: regionSchema,
    /** Existing customer-managed key in the DR region for copies; omit to let the DR stack create one. */
    drKmsKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/, {
        error: 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      })
      .optional(),
    /**
     * DR-region option group to name in a cross-region copy, by the source snapshot's option group:
     * { "<primary option group>": "<DR option group>" }. Needed for Oracle / SQL Server snapshots with
     * TDE (a persistent option): RDS refuses such a cross-region copy without an option group of the
     * destination region that has the same option. Create the DR option groups first.
     */
    drOptionGroups: z.record(optionGroupNameSchema('source option group names (keys)'), optionGroupNameSchema('DR option group names (values)')).default({}),
    alerts: alertsSchema,
    /** Account-wide pruning schedule and safety limits. */
    pruning: pruningSchema,
    /** The RPO monitor and the warning topic. */
    monitoring: z
      .strictObject({
        /** How often the RPO monitor computes every database's recovery-point ages. */
        rpoMonitorRateMinutes: z.number().int().min(5).max(60).default(15),
        /** Recipients of warnings (defaults to alerts.emails). */
        warningEmails: z.array(z.email()).optional(),
      })
      .prefault({}),
    /** Failover / restore workflows and PITR readiness, per database. */
    incident: incidentSchema,
    /** Cross-region copies in progress across all policies and executions (RDS's per-region limits), taken as leased slots. */
    copySlots: copySlotsSchema,
    /**
     * RDS writes per second (CreateDB*Snapshot, CopyDB*Snapshot) one backup run makes, shared by its
     * batches: by default a third of RDS's ~12 requests/s sustained per account and region, leaving the
     * rest to the polls, the other workflows and every other tool in the account ("Quotas and
     * constraints for Amazon RDS", API request throttling).
     */
    backupRdsWritesPerSecond: z.number().min(0.5).max(10).default(4),
    /** The DR-region network for restore drills; required when any policy has `verify`. */
    verification: verificationNetworkSchema.optional(),
    policies: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: 'policy names are 1-31 lowercase letters, digits or hyphens' }),
        policySchema,
      )
      .refine((p) => Object.keys(p).length > 0, { error: 'define at least one policy' }),
  })
  .superRefine((c, ctx) => {
    if (c.drRegion === c.primaryRegion) {
      ctx.addIssue({ code: 'custom', path: ['drRegion'], message: `must differ from primaryRegion (${c.primaryRegion})` });
    }
    if (c.incident.failbackKmsKeyArn && c.incident.failbackKmsKeyArn.split(':')[3] !== c.primaryRegion) {
      ctx.addIssue({ code: 'custom', path: ['incident', 'failbackKmsKeyArn'], message: `must be a key in primaryRegion ${c.primaryRegion} (the failback copies land there)` });
    }
    if (c.drKmsKeyArn && c.drKmsKeyArn.split(':')[3] !== c.drRegion) {
      ctx.addIssue({ code: 'custom', path: ['drKmsKeyArn'], message: `must be a key in drRegion ${c.drRegion}` });
    }
    for (const [name, p] of Object.entries(c.policies)) {
      if (!p.verify) continue;
      if (!c.verification) {
        ctx.addIssue({ code: 'custom', path: ['verification'], message: `required because policy "${name}" has verify (vpcId and subnetIds in ${c.drRegion})` });
      }
      if (!isValidSchedulerCron(p.verify.schedule.cron)) {
        ctx.addIssue({ code: 'custom', path: ['policies', name, 'verify', 'schedule', 'cron'], message: `invalid EventBridge Scheduler cron "${p.verify.schedule.cron}", e.g. cron(0 3 ? * SUN *)` });
      }
      const maxAgeDays = p.verify.sample.maxAgeDays;
      if (maxAgeDays !== undefined && maxAgeDays > p.objectives.verificationMaxAgeDays) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', name, 'verify', 'sample', 'maxAgeDays'],
          message: `${maxAgeDays} days exceeds objectives.verificationMaxAgeDays (${p.objectives.verificationMaxAgeDays}): the monitor would flag databases the rotation leaves that long`,
        });
      }
      if (!isValidTimeZone(p.verify.schedule.timeZone)) {
        ctx.addIssue({ code: 'custom', path: ['policies', name, 'verify', 'schedule', 'timeZone'], message: `unknown IANA time zone "${p.verify.schedule.timeZone}"` });
      }
    }
    for (const [name, p] of Object.entries(c.policies)) {
      if (!isValidTimeZone(p.retention.timeZone)) {
        ctx.addIssue({ code: 'custom', path: ['policies', name, 'retention', 'timeZone'], message: `unknown IANA time zone "${p.retention.timeZone}"` });
      }
    }
    if (!isValidTimeZone(c.pruning.schedule.timeZone)) {
      ctx.addIssue({ code: 'custom', path: ['pruning', 'schedule', 'timeZone'], message: `unknown IANA time zone "${c.pruning.schedule.timeZone}"` });
    }
    if (!isValidSchedulerCron(c.pruning.schedule.cron)) {
      ctx.addIssue({ code: 'custom', path: ['pruning', 'schedule', 'cron'], message: `invalid EventBridge Scheduler cron "${c.pruning.schedule.cron}", e.g. cron(0 5 * * ? *)` });
    }
    // The largest run the guard lets through must finish deleting, at the RDS request budget, before
    // the prune execution times out.
    const deleting = deletionSeconds(c.pruning.maxDeletesPerRun, c.pruning.rdsRequestsPerSecond);
    if (deleting > PRUNE_DELETION_SECONDS_BUDGET) {
      ctx.addIssue({
        code: 'custom',
        path: ['pruning', 'maxDeletesPerRun'],
        message: `${c.pruning.maxDeletesPerRun} deletions at rdsRequestsPerSecond ${c.pruning.rdsRequestsPerSecond} take ${Math.round(deleting / 60)} minutes, more than the prune's ${PRUNE_DELETION_SECONDS_BUDGET / 60}; lower maxDeletesPerRun or raise rdsRequestsPerSecond`,
      });
    }
    for (const [db, d] of Object.entries(c.incident.databases)) {
      if (d.cutover === 'endpoint' && !d.endpoint) {
        ctx.addIssue({ code: 'custom', path: ['incident', 'databases', db, 'endpoint'], message: 'required because cutover is "endpoint" (route53 and/or ssmParameter)' });
      }
      if (d.standby && 'replicaInstance' in d.standby && d.standby.replicaInstance === db) {
        ctx.addIssue({ code: 'custom', path: ['incident', 'databases', db, 'standby', 'replicaInstance'], message: 'must name the replica, not the primary itself' });
      }
    }
    // Limits the workflows and the sweeper depend on, checked here so that a config that would break
    // at run time fails `cdk synth` naming the field.
    for (const [name, p] of Object.entries(c.policies)) {
      // Schedules are named <app>-<policy>; the app's own schedules must not be taken.
      if (RESERVED_POLICY_NAMES.includes(name) || name.startsWith('verify-')) {
        ctx.addIssue({ code: 'custom', path: ['policies', name], message: `"${name}" collides with a schedule rds-dr creates (<app>-${name}); reserved: ${RESERVED_POLICY_NAMES.join(', ')}, verify-*` });
      }
      // One database's snapshot and copy must fit the backup execution's timeout (backup.asl.json).
      if (p.snapshotTimeoutMinutes + p.copyTimeoutMinutes > BACKUP_EXECUTION_TIMEOUT_MINUTES) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', name, 'copyTimeoutMinutes'],
          message: `snapshotTimeoutMinutes (${p.snapshotTimeoutMinutes}) + copyTimeoutMinutes (${p.copyTimeoutMinutes}) exceed the backup execution's ${BACKUP_EXECUTION_TIMEOUT_MINUTES} minutes`,
        });
      }
      // A drill waits up to restoreTimeoutMinutes for the restore and again for its password, then checks
      // for up to 15 minutes: the hourly sweeper must not take the throwaway (expiryHours) before that.
      const drillMinutes = p.verify ? 2 * p.verify.restoreTimeoutMinutes + DRILL_CHECK_AND_CLEANUP_MINUTES : 0;
      if (p.verify && c.verification && drillMinutes > c.verification.expiryHours * 60) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', name, 'verify', 'restoreTimeoutMinutes'],
          message: `a drill may run ${drillMinutes} minutes (2 x restoreTimeoutMinutes + ${DRILL_CHECK_AND_CLEANUP_MINUTES}), longer than verification.expiryHours (${c.verification.expiryHours} h): the sweeper could delete the throwaway under it`,
        });
      }
    }
    for (const [i, zone] of (c.verification?.availabilityZones ?? []).entries()) {
      if (!new RegExp(`^${c.drRegion}[a-z]$`).test(zone)) {
        ctx.addIssue({ code: 'custom', path: ['verification', 'availabilityZones', i], message: `"${zone}" is not an Availability Zone of drRegion ${c.drRegion} (e.g. ${c.drRegion}a)` });
      }
    }
    if (c.account && c.drKmsKeyArn && c.drKmsKeyArn.split(':')[4] !== c.account) {
      ctx.addIssue({ code: 'custom', path: ['drKmsKeyArn'], message: `must be a key in account ${c.account}` });
    }
  });

export type RdsDrConfig = z.output<typeof configSchema>;
export type PolicyConfig = RdsDrConfig['policies'][string];

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid rds-dr config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates raw JSON, returning the typed config or throwing a ConfigError naming every bad field. */
export function parseConfig(raw: unknown, source = '(inline)'): RdsDrConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    if (issue.code === 'unrecognized_keys') {
      return `${field}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    if (issue.code === 'invalid_key') {
      // A bad record key (e.g. a database id): report the key's own rule, not zod's generic text.
      return `${field}: ${issue.issues.map((i) => i.message).join('; ')}`;
    }
    return `${field}: ${issue.message}`;
  });
  throw new ConfigError(source, problems);
}
