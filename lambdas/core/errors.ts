// Errors a workflow can match by name in Retry/Catch and that an alert can quote verbatim.
// Step Functions uses a Lambda error's `name` as the state's Error.

/** Base of every rds-dr error: `name` is the Error a Step Functions Retry/Catch matches. */
export abstract class NamedError extends Error {
  abstract readonly errorName: string;
  constructor(message: string) {
    super(message);
  }
  override get name(): string {
    return this.errorName;
  }
}

/** The execution input is malformed; nothing was changed. */
export class InvalidInputError extends NamedError {
  readonly errorName = 'rds-dr.InvalidInput';
}

/** A snapshot or copy reached a terminal state other than `available`. */
export class SnapshotFailedError extends NamedError {
  readonly errorName = 'rds-dr.SnapshotFailed';
}

/** A snapshot or copy did not become available within its wait budget. */
export class SnapshotTimeoutError extends NamedError {
  readonly errorName = 'rds-dr.SnapshotTimeout';
}

/** A snapshot that should exist does not. */
export class SnapshotNotFoundError extends NamedError {
  readonly errorName = 'rds-dr.SnapshotNotFound';
}

/** A restored database (drill throwaway, incident restore target) reached a status it cannot recover from. */
export class RestoreFailedError extends NamedError {
  readonly errorName = 'rds-dr.RestoreFailed';
}

/** A restored database did not become available (or get its managed password) within its wait budget. */
export class RestoreTimeoutError extends NamedError {
  readonly errorName = 'rds-dr.RestoreTimeout';
}

/** A restored database that should exist does not (deleted while it was being waited for). */
export class RestoreNotFoundError extends NamedError {
  readonly errorName = 'rds-dr.RestoreNotFound';
}

/** A snapshot with our deterministic identifier exists but was not made from the expected source. */
export class SnapshotConflictError extends NamedError {
  readonly errorName = 'rds-dr.SnapshotConflict';
}

/** The copy's target identifier exists already; the caller checks whose copy it is. */
export class CopyAlreadyExistsError extends Error {
  override name = 'AlreadyExists';
}

// Incident workflows (failover, restore).
/** A pre-check failed; the message names the check and what to do. Nothing was changed. */
export class PreCheckFailedError extends NamedError {
  readonly errorName = 'rds-dr.PreCheckFailed';
}

/** The requested action is unsafe in the observed situation (e.g. Aurora failover without force). Nothing was changed. */
export class FailoverRefusedError extends NamedError {
  readonly errorName = 'rds-dr.FailoverRefused';
}

/** The standby did not become available and writable within the configured wait. */
export class PromotionTimeoutError extends NamedError {
  readonly errorName = 'rds-dr.PromotionTimeout';
}

/** The promoted standby disappeared or entered a terminal state. */
export class PromotionFailedError extends NamedError {
  readonly errorName = 'rds-dr.PromotionFailed';
}

/** A required endpoint target (Route 53 record, DR-region SSM parameter) could not be updated. */
export class CutoverFailedError extends NamedError {
  readonly errorName = 'rds-dr.CutoverFailed';
}
