import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { RdsDrConfig } from './config/schema.js';
import { coordinationTableName } from './config/runtime-settings.js';

/** What a function that takes copy slots or claims work may do on the table (lambdas/aws/dynamodb-*.ts), and nothing else. */
export const COORDINATION_TABLE_ACTIONS = ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/** The lease attribute DynamoDB's TTL reads (epoch seconds; lambdas/core/leases.ts). */
export const COORDINATION_TTL_ATTRIBUTE = 'expiresAtEpoch';

/**
 * The coordination table of the primary region: the account-wide copy slots (lambdas/core/copy-slots.ts)
 * and the work ledger (lambdas/core/work-ledger.ts), as leases under generic keys pk / sk.
 */
export class CoordinationTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, config: RdsDrConfig) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      // Fixed, like the topics: the local AWS and the CLI reach it by name. A fixed name is safe here
      // because the table is deleted with the stack (below), so the next deployment can create it again.
      tableName: coordinationTableName(config),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      // A few writes per poll turn, nothing in between: on-demand costs nothing idle and never throttles a burst.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // Leases that ran out are deleted by DynamoDB eventually; expiry itself is decided by the conditions.
      timeToLiveAttribute: COORDINATION_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Only leases that expire within minutes live here; none outlives the executions that hold
      // them, so nothing is lost with the table (a stack deletion ends those executions' purpose too).
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Lets `grantee` take and give back copy slots and work claims: the five item calls, on this table only (no index, no scan). */
  grantLeases(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...COORDINATION_TABLE_ACTIONS], resourceArns: [this.table.tableArn] });
  }
}
