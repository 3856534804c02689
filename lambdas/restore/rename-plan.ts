// Cutover by renaming, one idempotent move per call: `<db>` → `<db>-replaced-<slot>`, then the
// restored target → `<db>`. Each call looks at what exists and does the next move, so a retried or
// re-driven execution picks up where it stopped. The replaced database is never deleted.
// Once the restored database has the name, it takes over what protected the original: the original's
// settings a restore does not carry (deletion protection, Multi-AZ, backup retention and window,
// parameter and option groups, copy-tags-to-snapshot, a managed master password) and its tags (the
// policies' tag selection), and the original is tagged rds-dr:replaced-by so selection skips it. Applied
// after the renames, so the cutover itself is not delayed by, say, a Multi-AZ conversion.
import { NamedError } from '../core/errors.js';
import { type DatabaseSettings, type RestorePlan } from '../core/restore-plan.js';

export type { DatabaseSettings };
import { PER_DATABASE_TAGS, TAG, tagValue } from '../core/naming.js';

export class CutoverBlockedError extends NamedError {
  readonly errorName = 'rds-dr.CutoverBlocked';
}

export interface Observed {
  status: string;
  tags: Record<string, string>;
  arn?: string;
  settings?: DatabaseSettings;
}

/** What the restored database lacks of the original's protection. */
export interface ProtectionChanges {
  settings: Partial<DatabaseSettings>;
  tags: Record<string, string>;
}

const COPIED_SETTINGS = ['deletionProtection', 'multiAz', 'backupRetentionPeriod', 'preferredBackupWindow', 'parameterGroup', 'optionGroup', 'copyTagsToSnapshot'] as const;

/** The original's protection that the restored database does not have yet (empty when it has it all). */
export function protectionToCopy(original: Observed, restored: Observed): ProtectionChanges {
  const settings: Partial<DatabaseSettings> = {};
  const from = original.settings;
  const to = restored.settings;
  if (from && to) {
    for (const key of COPIED_SETTINGS) {
      if (from[key] !== undefined && from[key] !== to[key]) (settings as Record<string, unknown>)[key] = from[key];
    }
    // The original's applications read a managed secret: the restored database gets its own (RDS
    // names it after the new database; the secret of the original stays with the original).
    if (from.managesMasterPassword && !to.managesMasterPassword) {
      settings.managesMasterPassword = true;
      if (from.masterSecretKmsKeyId) settings.masterSecretKmsKeyId = from.masterSecretKmsKeyId;
    }
  }
  const tags = Object.fromEntries(
    Object.entries(original.tags).filter(([k, v]) => !PER_DATABASE_TAGS.includes(k) && !k.startsWith('aws:') && restored.tags[k] !== v),
  );
  return { settings, tags };
}

export const isEmptyChange = (c: ProtectionChanges) => Object.keys(c.settings).length === 0 && Object.keys(c.tags).length === 0;

export interface RenameWorld {
  /** The database currently named `<db>`. */
  current?: Observed;
  /** `<db>-replaced-<slot>`. */
  replaced?: Observed;
  /** The restored target under its own id. */
  target?: Observed;
}

export type RenameMove =
  | { move: 'rename'; from: string; to: string; why: string }
  | { move: 'protect'; id: string; arn: string; changes: ProtectionChanges; why: string }
  | { move: 'retire'; id: string; arn: string; tags: Record<string, string>; why: string }
  | { move: 'wait'; why: string }
  | { move: 'done'; why: string };

export function nextRenameMove(plan: Pick<RestorePlan, 'db' | 'targetId' | 'replacedId' | 'executionArn'>, world: RenameWorld): RenameMove {
  const ours = (o?: Observed) => o?.tags[TAG.execution] === plan.executionArn.slice(0, 256);
  const replacedId = plan.replacedId!;
  if (ours(world.current)) {
    const current = world.current!;
    if (current.status !== 'available') return { move: 'wait', why: `${plan.db} (restored) is "${current.status}"` };
    const { replaced } = world;
    if (replaced?.arn && replaced.tags[TAG.replacedBy] === undefined) {
      return { move: 'retire', id: replacedId, arn: replaced.arn, tags: { [TAG.replacedBy]: tagValue(plan.executionArn) }, why: `${replacedId} is no longer the protected ${plan.db}: tag it ${TAG.replacedBy} so backups skip it (its deletion protection stays; a human deletes it)` };
    }
    const changes = replaced ? protectionToCopy(replaced, current) : undefined;
    if (changes && !isEmptyChange(changes) && current.arn) {
      return { move: 'protect', id: plan.db, arn: current.arn, changes, why: `${plan.db} (restored) takes over the protection of ${replacedId}: ${describeChanges(changes)}` };
    }
    return { move: 'done', why: `${plan.db} is now the restored database, protected as the original was; the old one is kept as ${replacedId}` };
  }
  if (!world.target) throw new CutoverBlockedError(`restored ${plan.targetId} no longer exists and ${plan.db} is not the restored database; nothing was renamed further`);
  if (!ours(world.target)) throw new CutoverBlockedError(`${plan.targetId} was not created by this execution; refusing to rename it`);
  const original = world.current ?? world.replaced;
  if (world.target.settings?.managesMasterPassword && original?.settings && !original.settings.managesMasterPassword) {
    // Verification turned on RDS's managed password, which replaced the master password the
    // applications use; RDS cannot turn it back without that password, which rds-dr never has.
    throw new CutoverBlockedError(
      `${plan.targetId} has an RDS-managed master password (turned on to verify it) but ${plan.db} does not: after the cutover the applications' password would no longer work. ` +
        `Nothing was renamed; restore again without verify to cut over, or set ${plan.targetId}'s master password by hand (ModifyDBInstance ManageMasterUserPassword=false, MasterUserPassword) and re-run`,
    );
  }
  if (world.current) {
    if (world.replaced) throw new CutoverBlockedError(`both ${plan.db} and ${replacedId} exist; rename or remove ${replacedId} by hand, then re-run`);
    if (world.current.status !== 'available') return { move: 'wait', why: `${plan.db} is "${world.current.status}"; it is renamed once available` };
    return { move: 'rename', from: plan.db, to: replacedId, why: `keep the replaced database as ${replacedId} (never deleted)` };
  }
  if (world.target.status !== 'available') return { move: 'wait', why: `${plan.targetId} is "${world.target.status}"` };
  return { move: 'rename', from: plan.targetId, to: plan.db, why: `the restored database takes over ${plan.db}` };
}

const describeChanges = (c: ProtectionChanges) =>
  [...Object.entries(c.settings).map(([k, v]) => `${k}=${v}`), ...(Object.keys(c.tags).length ? [`tags ${Object.keys(c.tags).join(', ')}`] : [])].join('; ');
