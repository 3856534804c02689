// Named errors of the incident workflows (failover, restore): Step Functions uses the Lambda
// error's name as the state's Error, and the failure alert quotes name and message.

import { NamedError } from '../errors.js';

abstract class IncidentError extends NamedError {}

/** A pre-check failed; the message names the check and what to do. Nothing was changed. */
export class PreCheckFailedError extends IncidentError {
  readonly errorName = 'rds-dr.PreCheckFailed';
}

/** The requested action is unsafe in the observed situation (e.g. Aurora failover without force). Nothing was changed. */
export class FailoverRefusedError extends IncidentError {
  readonly errorName = 'rds-dr.FailoverRefused';
}

/** The standby did not become available and writable within the configured wait. */
export class PromotionTimeoutError extends IncidentError {
  readonly errorName = 'rds-dr.PromotionTimeout';
}

/** The promoted standby disappeared or entered a terminal state. */
export class PromotionFailedError extends IncidentError {
  readonly errorName = 'rds-dr.PromotionFailed';
}

/** A required endpoint target (Route 53 record, DR-region SSM parameter) could not be updated. */
export class CutoverFailedError extends IncidentError {
  readonly errorName = 'rds-dr.CutoverFailed';
}
