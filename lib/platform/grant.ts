import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { acknowledgeWildcardResources } from './nag.js';

/** Each deliberately scoped wildcard resource pattern, with the reason cdk-nag is told. */
export type WildcardReasons = readonly (readonly [RegExp, string])[];

interface Grantee {
  addToRolePolicy(statement: iam.PolicyStatement): unknown;
  readonly role?: IConstruct;
}

/**
 * Adds the statements to the principal's role and acknowledges their wildcard resources, each with
 * the reason of the pattern it matches (a wildcard no pattern explains stays a cdk-nag finding).
 */
export function grantWithReasons(principal: Grantee, statements: iam.PolicyStatement[], reasons: WildcardReasons): void {
  for (const statement of statements) principal.addToRolePolicy(statement);
  const wildcards = statements.flatMap((st) => st.resources).filter((arn) => arn.includes('*'));
  const role = principal.role ?? principal;
  for (const [pattern, reason] of reasons) {
    acknowledgeWildcardResources(role as IConstruct, wildcards.filter((arn) => pattern.test(arn)), reason);
  }
}
